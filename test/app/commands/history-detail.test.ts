import { afterEach, describe, expect, it } from 'vitest';
import { parseHistory } from '../../../src/domain/command-args.js';
import type { AttackRecord, HealthReport } from '../../../src/domain/model.js';
import type { Reply } from '../../../src/ports/chat.js';
import { detailReply, historyReply } from '../../../src/words/catalogue.js';
import { commandAnswerText } from '../../../src/words/command-replies.js';
import { type Harness, harness, say } from '../../support/bot-harness.js';
import { audited } from '../../support/endings.js';
import { ScriptedHealth, settle } from '../../support/fakes.js';
import { WARNED_OUTPUT } from '../../support/records.js';

let h: Harness;
afterEach(() => h?.close());

const PASS: Omit<HealthReport, 'checkedAt'> = {
  healthy: true,
  results: [{ name: 'svc-running', kind: 'command', healthy: true, reason: 'exit 0', durationMs: 1 }],
};
const FAIL = (reason: string): Omit<HealthReport, 'checkedAt'> => ({
  healthy: false,
  results: [{ name: 'svc-running', kind: 'command', healthy: false, reason, durationMs: 1 }],
});

const HOSTS = [
  { name: 'web-1', address: '10.0.1.11', port: 2222, tags: ['web'], vars: { process: 'nginx', unit: 'nginx.service' } },
  { name: 'db-1', address: '10.0.2.21', port: 22, tags: ['db'] },
];

/** A bot with one attack, `process-kill`, whose steady state is one probe scripted by the test. */
function bot(overrides: Record<string, unknown> = {}): ScriptedHealth {
  let probe: ScriptedHealth | undefined;
  h = harness(
    {
      dryRun: false,
      hosts: HOSTS,
      verdict: { probeInterval: '5s', recoveryWindow: '30s', haltOnNotRecovered: true },
      ...overrides,
    },
    [
      {
        name: 'process-kill',
        weight: 10,
        targets: ['web'],
        duration: '60s',
        hostVars: ['process'],
        params: { SIGNAL: 'KILL' },
      },
    ],
    {
      steadyState: (clock) => {
        probe = new ScriptedHealth(PASS, clock);
        return { probesFor: () => probe as ScriptedHealth };
      },
    },
  );
  return probe as ScriptedHealth;
}

const detail = (id: string) => say(h, `history #${id}`, 'U0ANYONE');

/** What the words make of attack #id as the bot has it now: the record, the config's attack and host, the probe samples. */
function rendered(id: string, inFlight = false): Reply {
  const record = h.store.getAttack(id) as AttackRecord;
  return detailReply({
    kind: 'found',
    detail: {
      record,
      timezone: h.config.timezone,
      attack: h.config.attacks.find((a) => a.name === record.attack),
      host: h.config.hosts.find((x) => x.name === record.host),
      samples: h.store.samplesOf(id),
      inFlight,
    },
    answers: null,
  });
}

/** The phase of each probe round recorded for attack #id, and whether it held. */
const rounds = (id: string) => h.store.samplesOf(id).map((s) => [s.phase, s.healthy]);

describe('history #ID: one attack whole', () => {
  it('hands words the stored record — lifecycle times, state, exit, rollback, parameters, time to detect and recover, the verdict, the output — with the config’s attack and host and the probe samples', async () => {
    const probe = bot();
    await say(h, 'run-once process-kill web-1');
    await h.timers.advance(10_000);
    probe.report = FAIL('exit 1: nginx not running');
    await h.timers.advance(5_000); // first failure 15 s after the fault started
    await h.timers.advance(5_000);
    h.executor.runs[0]?.finish({ exitCode: 124, outputTail: 'sending SIGKILL to nginx (pid 42)\nnginx is running again\n' });
    await settle();
    probe.report = PASS;
    await h.timers.advance(5_000);
    const noon = h.clock.now() - 25_000;
    expect(h.store.getAttack('1')).toMatchObject({
      attack: 'process-kill',
      host: 'web-1',
      trigger: { kind: 'user', user: 'admin' },
      dryRun: false,
      createdAt: noon,
      startedAt: noon,
      endedAt: noon + 20_000,
      deadlineAt: noon + 90_000,
      state: 'completed',
      exitCode: 124,
      rollbackOk: true,
      // The values it ran with, recorded with the attack (not read back from today's config).
      params: { SIGNAL: 'KILL' },
      verdict: 'recovered',
      ttdMs: 15_000,
      ttrMs: 10_000,
      outputTail: 'sending SIGKILL to nginx (pid 42)\nnginx is running again\n',
    });
    expect(rounds('1')).toEqual([
      ['before', true],
      ['during', true],
      ['during', true],
      ['during', false],
      ['during', false],
      ['after', false],
      ['after', true],
    ]);
    expect(await detail('1')).toEqual(rendered('1'));
  });

  it('says plainly when no attack has that id', async () => {
    bot();
    expect(await detail('99')).toEqual(detailReply({ kind: 'unknown', id: '99' }));
  });

  it('a malformed id gets the usage, not a lookup', async () => {
    bot();
    const reply = await detail('x1');
    const parsed = parseHistory(['#x1']);
    expect(parsed).toMatchObject({ kind: 'invalid', command: 'history' });
    expect(reply.text).toBe(commandAnswerText(parsed as Extract<typeof parsed, { kind: 'invalid' }>));
    expect(reply.block).toBeUndefined();
    expect(audited(h, 'history')).toEqual(['invalid']);
  });

  it('not recovered: the verdict, each failing probe round with its reasons, and the rollback’s warning in the output', async () => {
    const probe = bot();
    await say(h, 'run-once process-kill web-1');
    probe.report = FAIL('exit 1: nginx not running');
    await h.timers.advance(5_000);
    const outputTail =
      'sending SIGKILL to nginx (pid 42)\n--- rollback (exit 0) ---\nwarning: nginx is not running; nothing restarted it\n';
    h.executor.runs[0]?.finish({ exitCode: 124, outputTail });
    await settle();
    probe.report = FAIL('exit 1: pgrep found nothing');
    await h.timers.advance(30_000);
    expect(h.store.getAttack('1')).toMatchObject({ verdict: 'not-recovered', ttdMs: 5_000, ttrMs: null, outputTail });
    const failing = h.store.samplesOf('1').filter((s) => !s.healthy);
    expect(failing[0]).toMatchObject({ at: h.clock.now() - 30_000, results: [{ reason: 'exit 1: nginx not running' }] });
    expect(failing.at(-1)).toMatchObject({ at: h.clock.now(), results: [{ reason: 'exit 1: pgrep found nothing' }] });
    expect(await detail('1')).toEqual(rendered('1'));
  });

  it('hands words the whole stored output (words bound it to its last lines)', async () => {
    bot();
    await say(h, 'run-once process-kill web-1');
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i + 1} ${'x'.repeat(i === 99 ? 500 : 0)}`.trimEnd());
    h.executor.runs[0]?.finish({ outputTail: `${lines.join('\n')}\n` });
    await settle();
    await h.timers.advance(5_000);
    expect(h.store.getAttack('1')?.outputTail.split('\n').filter(Boolean)).toHaveLength(100);
    expect(await detail('1')).toEqual(rendered('1'));
  });

  it('host output cannot smuggle terminal escapes or control characters into the reply', async () => {
    bot();
    await say(h, 'run-once process-kill web-1');
    h.executor.runs[0]?.finish({ outputTail: 'ok \u001b[31mred\u001b[0m\u0007 done\n' });
    await settle();
    const reply = await detail('1');
    expect(reply).toEqual(rendered('1'));
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting that none survive
    expect(`${reply.text}\n${reply.block}`).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('an attack still in flight: its verdict is pending', async () => {
    bot();
    await say(h, 'run-once process-kill web-1');
    await h.timers.advance(5_000);
    expect(h.store.getAttack('1')).toMatchObject({ state: 'running', endedAt: null, verdict: null, ttdMs: null, outputTail: '' });
    expect(await detail('1')).toEqual(rendered('1', true));
  });

  it('an attack that never touched the host has no verdict, and says why it did not start', async () => {
    bot();
    h.executor.preflightAnswer = { ok: false, cause: 'missing-command', reason: 'web-1: missing command pgrep' };
    await say(h, 'run-once process-kill web-1');
    expect(h.store.getAttack('1')).toMatchObject({
      state: 'failed',
      startedAt: null,
      verdict: null,
      rollbackOk: null,
      reason: 'pre-flight: web-1: missing command pgrep',
    });
    // The steady state held before it (the pre-flight failed after that check).
    expect(rounds('1')).toEqual([['before', true]]);
    expect(await detail('1')).toEqual(rendered('1'));
  });

  it('a dry run is marked dry, and its probes and verdict are shown', async () => {
    bot({ dryRun: true });
    await say(h, 'run-once process-kill web-1');
    await h.timers.advance(5_000); // one probe round during the fault: it was watched
    h.executor.runs[0]?.finish();
    await settle();
    expect(h.store.getAttack('1')).toMatchObject({ dryRun: true, verdict: 'held' });
    expect(rounds('1').slice(0, 2)).toEqual([
      ['before', true],
      ['during', true],
    ]);
    expect(rounds('1').every(([, healthy]) => healthy)).toBe(true);
    expect(await detail('1')).toEqual(rendered('1'));
  });

  it('the attack and host as the config has them now; one gone from the config is handed over as gone', async () => {
    bot();
    await say(h, 'run-once process-kill web-1');
    h.executor.runs[0]?.finish();
    await settle();
    const record = h.store.getAttack('1') as AttackRecord;
    // A row written before parameters were recorded: only today's config could tell them, and it has none.
    const gone = h.store.insertAttack({ ...record, attack: 'old-attack', host: 'old-host', params: undefined });
    const reply = await detail(gone);
    expect(reply).toEqual(
      detailReply({
        kind: 'found',
        detail: {
          record: h.store.getAttack(gone) as AttackRecord,
          timezone: h.config.timezone,
          attack: undefined,
          host: undefined,
          samples: [],
          inFlight: false,
        },
        answers: null,
      }),
    );
  });
});

describe('history failed', () => {
  it('lists attacks that did not recover even though they completed', async () => {
    const probe = bot({ verdict: { probeInterval: '5s', recoveryWindow: '30s', haltOnNotRecovered: false } });
    await say(h, 'run-once process-kill web-1');
    probe.report = FAIL('exit 1: nginx not running');
    await h.timers.advance(5_000);
    h.executor.runs[0]?.finish();
    await settle();
    await h.timers.advance(30_000);
    const record = h.store.getAttack('1') as AttackRecord;
    expect(record).toMatchObject({ state: 'completed', verdict: 'not-recovered' });
    const reply = await say(h, 'history failed');
    expect(reply).toEqual(
      historyReply({ filter: { by: 'failed' }, records: [record], awaiting: new Set(), fleet: false }, h.config.timezone),
    );
  });

  it('lists none when nothing failed', async () => {
    bot();
    expect(await say(h, 'history failed')).toEqual(
      historyReply({ filter: { by: 'failed' }, records: [], awaiting: new Set(), fleet: false }, h.config.timezone),
    );
  });
});

describe('the ending message carries what the attack warned about', () => {
  it('the attack-ended event carries the run’s and the rollback’s output, where the words find the `warning:` lines', async () => {
    bot();
    await say(h, 'run-once process-kill web-1');
    const outputTail = WARNED_OUTPUT;
    h.executor.runs[0]?.finish({ exitCode: 124, outputTail });
    await settle();
    const ended = h.chat.events.find((e) => e.kind === 'attack-ended');
    expect(ended).toMatchObject({
      kind: 'attack-ended',
      record: { id: '1', state: 'completed', exitCode: 124, rollbackOk: true, outputTail },
    });
  });
});
