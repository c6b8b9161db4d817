import { afterEach, describe, expect, it } from 'vitest';
import { homeView } from '../../../src/adapters/slack/app-home.js';
import { replyMessage } from '../../../src/adapters/slack/reply-blocks.js';
import type { AttackDef, AttackRecord } from '../../../src/domain/model.js';
import type { ChatEvent, Reply, Table } from '../../../src/ports/chat.js';
import type { AbortResult } from '../../../src/ports/executor.js';
import { blockKitProblems } from '../../support/block-kit-limits.js';
import { eventually } from '../../support/eventually.js';
import { attackRecord, startTransport, type TransportHarness } from './slack-harness.js';

let h: TransportHarness | undefined;
afterEach(async () => {
  const x = h;
  h = undefined;
  await x?.close();
});

const long = (n: number, word = 'word') => Array.from({ length: n }, (_, i) => `${word}${i}`).join(' ');
const HOSTS = Array.from({ length: 300 }, (_, i) => `web-${i}.a-rather-long-domain.example.com`);

function table(rows: number, title = 'History'): Table {
  return {
    title,
    columns: ['#', 'time (Europe/Berlin)', 'attack', 'host', 'trigger', 'outcome', 'took', 'verdict'],
    rows: Array.from({ length: rows }, (_, i) => [
      String(i + 1),
      `<!date^${1_790_000_000 + i * 60}^{date_short_pretty} {time}|12-01 10:${String(i % 60).padStart(2, '0')}>`,
      'cpu-burn',
      HOSTS[i % HOSTS.length] as string,
      '<@U0ADMIN>',
      `failed: ${long(30, 'because')}`,
      '1m 5s',
      'not-recovered',
    ]),
    numeric: [0, 6],
    note: long(200, 'note'),
  };
}

/** Replies at their largest: what each command can say on the busiest day. */
const REPLIES: Record<string, Reply> = {
  'a 60,000-character text': { text: long(8_000) },
  'a line longer than a section': { text: 'x'.repeat(10_000) },
  'history of 500 attacks': { text: 'Last 500 attacks:', tables: [table(500)] },
  'hosts: 5,000 hosts and 40 sources': {
    text: ['5000 hosts:', '*Sources:*', ...Array.from({ length: 40 }, (_, i) => `ansible:/inv/${i}: ${long(40)}`)].join('\n'),
    tables: [table(5_000, 'Hosts')],
  },
  'history #ID with its whole output': {
    text: 'history #1',
    block: Array.from({ length: 2_000 }, () => `<&> ${'o'.repeat(200)}`).join('\n'),
  },
  'a report with every table': {
    text: long(3_000),
    tables: [table(300, 'By attack'), table(300, 'By host'), table(300, 'Verdicts by attack'), table(300, 'Commands')],
  },
  'a table of 30 columns': {
    text: 'wide',
    tables: [
      { title: 'wide', columns: Array.from({ length: 30 }, (_, i) => `c${i}`), rows: [Array.from({ length: 30 }, () => '')] },
    ],
  },
};

describe("every message stays within Slack's limits", () => {
  it.each(Object.entries(REPLIES))('a reply: %s', (_, reply) => {
    const message = replyMessage(reply, '<@U0ADMIN> asked: `history 500`');
    expect(blockKitProblems(message)).toEqual([]);
    expect(message.blocks.filter((b) => b.type === 'table').length).toBeLessThanOrEqual(1);
  });

  it('the App Home at its largest: 60 teams, each with long lines of every kind', () => {
    const line = long(500);
    const teams = Array.from({ length: 60 }, (_, i) => ({
      team: `team-${i}`,
      faults: [line, line],
      halted: line,
      dryRun: false,
      inFlight: [line, line, line],
      next: line,
      verdicts: Array.from({ length: 10 }, () => line),
    }));
    expect(blockKitProblems(homeView(teams, line), true)).toEqual([]);
  });

  it('a table keeps its people and times as user and date elements, and says which rows it left out', () => {
    const { blocks } = replyMessage({ text: 'Last 500 attacks:', tables: [table(500)] });
    const json = JSON.stringify(blocks);
    expect(json).toContain('{"type":"user","user_id":"U0ADMIN"}');
    expect(json).toContain('"type":"date","timestamp":1790000000');
    expect(json).toContain('401 more rows not shown');
    expect(json).not.toContain('```');
  });

  it('every announcement kind at its largest is taken by Slack (the stand-in refuses what Slack would)', async () => {
    h = await startTransport();
    const x = h;
    const big = attackRecord({
      id: '1',
      host: HOSTS[0] as string,
      hosts: HOSTS,
      reason: long(5_000),
      verdict: 'not-recovered',
      verdictDetail: long(3_000),
      outputTail: long(3_000),
      params: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`PARAM_${i}`, 'v'.repeat(100)])),
    });
    const def = {
      name: 'cpu-burn',
      description: long(1_000),
      runbook: `https://runbooks.example.com/${'r'.repeat(2_000)}`,
    } as unknown as AttackDef;
    const failed: AbortResult = {
      outcome: 'failed',
      found: { kind: 'no-report', host: 'web-1', said: long(3_000) },
      tookMs: 1_000,
      rollbackOutput: long(3_000),
      manualRollback: `ssh -t web-1 sudo /usr/local/libexec/chaoscat/chaoscat-host rollback 1 ${'y'.repeat(2_000)}`,
    };
    const ended: AttackRecord = {
      ...big,
      state: 'failed',
      startedAt: big.createdAt,
      endedAt: big.createdAt + 60_000,
      rollbackOk: false,
    };
    const legs = HOSTS.map((host, i) => ({ ...ended, id: String(i + 2), host, hosts: undefined, reason: long(100) }));
    const events: ChatEvent[] = [
      { kind: 'attack-progress', record: big, progress: { kind: 'started', hosts: HOSTS.length } },
      {
        kind: 'attack-progress',
        record: big,
        progress: { kind: 'host-reverted', host: 'web-1', id: '2', result: failed, deadlineAt: big.deadlineAt },
      },
      {
        kind: 'auto-aborted',
        record: ended,
        halted: true,
        failing: Array.from({ length: 200 }, (_, i) => ({
          name: `probe-${i}`,
          kind: 'http',
          healthy: false,
          reason: long(40),
          durationMs: 5,
        })),
      },
      { kind: 'halted', halt: { by: 'U0ADMIN', at: Date.now(), reason: long(2_000) }, reverting: legs.concat(legs, legs, legs) },
      { kind: 'verdict', record: ended, halted: true },
      {
        kind: 'evidence',
        record: ended,
        series: [],
        failed: Array.from({ length: 200 }, (_, i) => ({ title: `metric ${i}`, why: long(30) })),
      },
      { kind: 'questions', record: ended, runbook: def.runbook ?? null },
      {
        kind: 'orphan-recovered',
        record: ended,
        outcome: { attackId: '1', attack: 'cpu-burn', host: 'web-1', result: failed, deadlineAt: big.deadlineAt },
      },
      {
        kind: 'fault-may-remain',
        fault: {
          id: '1',
          attack: 'cpu-burn',
          host: 'web-1',
          detail: long(5_000),
          manualRollback: failed.manualRollback ?? null,
          openedAt: Date.now(),
          confirmedAt: null,
        },
      },
      {
        kind: 'shutdown',
        aborted: legs
          .concat(legs, legs, legs)
          .map((r) => ({ attackId: r.id, attack: r.attack, host: r.host, result: failed, deadlineAt: r.deadlineAt })),
      },
      { kind: 'notice', notice: { kind: 'transport', text: long(10_000) } },
      {
        kind: 'game-day-notice',
        notice: {
          name: 'g'.repeat(200),
          attack: 'cpu-burn',
          at: Date.now() + 86_400_000,
          timezone: 'UTC',
          params: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`P${i}`, 'v'.repeat(100)])),
          blast: { count: 300 },
          approvals: 2,
          approvedBy: ['U0ADMIN'],
          dryRun: false,
        },
      },
      { kind: 'report', reply: REPLIES['a report with every table'] as Reply },
      { kind: 'resumed', by: 'U0ADMIN', at: Date.now() },
    ];
    expect(
      await x.transport.announceStart({
        kind: 'attack-started',
        record: big,
        attack: def,
        note: {
          capped: {
            hosts: 2,
            eligible: 9,
            why: { kind: 'all', asked: { kind: 'percent', percent: 100, of: 9 }, count: 8, eligible: 9 },
          },
        },
      }),
    ).toEqual({
      ok: true,
    });
    for (const event of events) await x.transport.announce(event);
    await x.transport.announce({ kind: 'attack-ended', record: ended, legs });
    // Each event is at least one post (the ending updates the top message too).
    await eventually(() => x.standin.callsTo('chat.postMessage').length >= events.length + 1, 'every announcement posted');
    await eventually(() => x.standin.callsTo('chat.update').length >= 1, 'the top message updated');
    const refused = x.standin.calls.filter((c) => c.method.startsWith('chat.') && c.answer !== 'ok');
    expect(refused.map((c) => `${c.method}: ${c.answer}: ${blockKitProblems(c.args).join('; ')}`)).toEqual([]);
  });
});
