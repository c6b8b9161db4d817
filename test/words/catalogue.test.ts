import { describe, expect, it } from 'vitest';
import type { Answer } from '../../src/domain/answers.js';
import type { HostDef } from '../../src/domain/model.js';
import type { Reply } from '../../src/ports/chat.js';
import {
  attacksReply,
  type DetailAnswer,
  detailReply,
  type HistoryAnswer,
  helpText,
  historyReply,
  hostsReply,
  reachText,
  selectorText,
} from '../../src/words/catalogue.js';
import { replyWhole } from '../../src/words/table.js';
import { attackRecord } from '../support/records.js';
import { testConfig } from '../support/test-config.js';

const TZ = 'Europe/Berlin';
const NOW = Date.UTC(2026, 11, 5, 9, 0);
const config = testConfig({}, [
  { name: 'cpu-burn', weight: 3, targets: ['web'] },
  { name: 'disk-fill', weight: 1, targets: { tags: ['db'], names: '^db-[0-9]+$', exclude: ['db-9'] } },
  { name: 'manual', weight: 0 },
]);
const [cpu, disk, manual] = config.attacks;
const host = (name: string): HostDef => ({ name, address: '10.0.0.1', port: 22, tags: ['web'], vars: {}, source: 'config' });
const none: ReadonlySet<string> = new Set();
const ended = attackRecord({ id: '7', state: 'completed', startedAt: 1_000, endedAt: 61_000, exitCode: 0 });
const answer: Answer = { attackId: '7', by: 'U1', at: NOW, paged: 'yes', runbook: 'partly', note: null };

/** Every reply's words, tables included: nothing may be missing from any of it. */
function whole(r: Reply): string {
  const { text, body } = replyWhole(r);
  return `${text}\n${body}`;
}

const replies: Record<string, Reply> = {
  help: { text: helpText() },
  noAttacks: attacksReply([]),
  attacks: attacksReply([
    { attack: cpu!, reach: { eligible: 2, perRun: 1 } },
    { attack: disk!, reach: { eligible: 1, perRun: 1 } },
    { attack: manual!, reach: { eligible: 0, perRun: 0 } },
  ]),
  noHosts: hostsReply({ sources: [], now: NOW, timezone: TZ, hosts: [], reach: [] }),
  hosts: hostsReply({
    sources: [{ id: 'ansible:/etc/hosts.ini', hosts: 1, okAt: NOW - 60_000, failingSince: null, error: null, notes: [] }],
    now: NOW,
    timezone: TZ,
    hosts: [{ host: host('web-1'), owners: null }],
    reach: [{ attack: 'cpu-burn', reach: { eligible: 1, perRun: 1 } }],
  }),
  fleetHosts: hostsReply({
    sources: [],
    now: NOW,
    timezone: TZ,
    hosts: [
      { host: host('web-1'), owners: ['web'] },
      { host: host('web-2'), owners: [] },
      { host: host('web-3'), owners: ['web', 'payments'] },
    ],
    reach: [],
  }),
  ...Object.fromEntries(
    (
      [
        ['history', { filter: undefined, records: [ended], awaiting: none, fleet: false }],
        ['historyNone', { filter: undefined, records: [], awaiting: none, fleet: false }],
        ['historyHost', { filter: { by: 'host', value: 'web-1' }, records: [ended, ended], awaiting: none, fleet: true }],
        ['historyAttackNone', { filter: { by: 'attack', value: 'cpu-burn' }, records: [], awaiting: none, fleet: false }],
        ['failed', { filter: { by: 'failed' }, records: [ended], awaiting: new Set(['7']), fleet: false }],
        ['failedNone', { filter: { by: 'failed' }, records: [], awaiting: none, fleet: false }],
      ] as [string, HistoryAnswer][]
    ).map(([k, a]) => [k, historyReply(a, TZ)]),
  ),
  ...Object.fromEntries(
    (
      [
        ['unknown', { kind: 'unknown', id: '42' }],
        ['neverStarted', detail(attackRecord({ id: '7' }), false, null)],
        ['inFlight', detail(attackRecord({ id: '7', state: 'running', startedAt: 1_000 }), true, null)],
        ['noVerdict', detail(ended, false, [])],
        ['verdict', detail({ ...ended, verdict: 'recovered' } as typeof ended, false, [answer])],
      ] as [string, DetailAnswer][]
    ).map(([k, a]) => [k, detailReply(a)]),
  ),
};

function detail(record: typeof ended, inFlight: boolean, answers: readonly Answer[] | null): DetailAnswer {
  return {
    kind: 'found',
    detail: { record, timezone: TZ, attack: cpu, host: host('web-1'), samples: [], inFlight },
    answers,
  };
}

describe('catalogue replies', () => {
  for (const [name, reply] of Object.entries(replies)) {
    it(`renders ${name} without a hole`, () => {
      const text = whole(reply);
      expect(reply.text.trim().length).toBeGreaterThan(0);
      expect(text).not.toMatch(/undefined|\bnull\b|NaN|\[object/);
    });
  }

  it('says a count and the catalogue with each chance, selector and reach', () => {
    expect(replies.noAttacks).toEqual({ text: '0 attacks.' });
    const r = replies.attacks!;
    expect(r.text).toBe('3 attacks:');
    const rows = r.tables?.[0]?.rows ?? [];
    expect(rows.map((row) => row[2])).toEqual(['weight 3 (75%)', 'weight 1 (25%)', 'by name only']);
    expect(rows[1]?.[3]).toBe('db; names ^db-[0-9]+$; not db-9');
    expect(rows.map((row) => row[4])).toEqual(['may hit 2 hosts, 1 per run', 'may hit 1 host, 1 per run', 'may hit no host']);
  });

  it('reach and selectors', () => {
    expect(reachText({ eligible: 0, perRun: 0 })).toBe('may hit no host');
    expect(reachText({ eligible: 4, perRun: 2 })).toBe('may hit 4 hosts, 2 per run');
    expect(selectorText(manual!)).toBe('all hosts');
  });

  it('says the hosts, their sources and owners', () => {
    expect(replies.noHosts).toEqual({ text: '0 hosts.' });
    expect(replies.hosts!.text).toMatch(
      /^1 host:\n\*Sources:\*\nansible:\/etc\/hosts\.ini.*\n\*Attacks:\*\ncpu-burn: may hit 1 host, 1 per run$/,
    );
    expect(replies.hosts!.tables?.[0]?.columns).toEqual(['host', 'address', 'tags', 'source']);
    const fleet = replies.fleetHosts!.tables?.[0];
    expect(fleet?.columns.at(-1)).toBe('team');
    expect(fleet?.rows.map((row) => row.at(-1))).toEqual(['web', '(no team)', 'web and payments: never attacked']);
  });

  it('says the history heading for each filter', () => {
    expect(replies.history!.text).toBe('Last 1 attack:');
    expect(replies.historyNone).toEqual({ text: 'No attacks recorded yet.' });
    expect(replies.historyHost!.text).toBe('Last 2 attacks on web-1:');
    expect(replies.historyAttackNone).toEqual({ text: 'No attacks of cpu-burn recorded yet.' });
    expect(replies.failed!.text).toBe('Last 1 failed attack:');
    expect(replies.failed!.tables?.[0]?.note).toMatch(/^failed = the attack or its rollback failed/);
    expect(replies.failedNone).toEqual({ text: 'No failed, unconfirmed or not-recovered attacks recorded yet.' });
  });

  it('says why an attack has no verdict, and what people answered', () => {
    expect(replies.unknown).toEqual({ text: 'No attack #42 is recorded. `history` lists the recent ones with their ids.' });
    expect(replies.neverStarted!.text).toMatch(/; no verdict: it never touched the host\.$/);
    expect(replies.inFlight!.text).toMatch(/; verdict pending \(the probes run until it is known\)\.$/);
    expect(replies.noVerdict!.text).toMatch(/; no verdict recorded\.$/);
    expect(replies.noVerdict!.block).toContain('What we learned: nobody has answered yet.');
    expect(replies.neverStarted!.block).not.toContain('What we learned');
    expect(replies.verdict!.block).toContain('What we learned (1 answer):');
  });
});
