import { afterEach, describe, expect, it } from 'vitest';
import type { AttackRecord, HealthReport } from '../../../src/domain/model.js';
import { endedText, eventText, MAX_WARNINGS } from '../../../src/words/announcements.js';
import { DETAIL_OUTPUT_LINES } from '../../../src/words/format.js';
import { type Harness, harness, say } from '../../support/bot-harness.js';
import { ScriptedHealth, settle } from '../../support/fakes.js';
import { shown } from '../../support/shown.js';

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

describe('history #ID: one attack whole', () => {
  it('shows the attack, host, trigger, lifecycle times, state, exit, rollback, parameters, probe samples, time to detect and recover, the verdict and the output', async () => {
    const probe = bot();
    expect((await say(h, 'run-once process-kill web-1')).text).toMatch(/^Started #1/);
    await h.timers.advance(10_000);
    probe.report = FAIL('exit 1: nginx not running');
    await h.timers.advance(5_000); // first failure 15 s after the fault started
    await h.timers.advance(5_000);
    h.executor.runs[0]?.finish({ exitCode: 124, outputTail: 'sending SIGKILL to nginx (pid 42)\nnginx is running again\n' });
    await settle();
    probe.report = PASS;
    await h.timers.advance(5_000);
    expect(h.store.getAttack('1')).toMatchObject({ verdict: 'recovered', ttdMs: 15_000, ttrMs: 10_000 });

    const reply = await detail('1');
    expect(reply.text).toBe(
      '#1 process-kill on web-1: verdict: recovered — detected after 15s (svc-running: exit 1: nginx not running), recovered 10s later.',
    );
    const block = reply.block ?? '';
    expect(block).toContain('attack      process-kill — test attack process-kill');
    expect(block).toContain('host        web-1 (10.0.1.11:2222)');
    expect(block).toContain('trigger     run-once by admin');
    expect(block).toContain('mode        live');
    expect(block).toContain('created     2026-11-24 12:00:00 (America/Los_Angeles)');
    expect(block).toMatch(/^started {5}12:00:00$/m);
    expect(block).toMatch(/^ended {7}12:00:20 \(took 20s\)$/m);
    expect(block).toMatch(/^deadline {4}12:01:30 \(the host's own timer ends it by then\)$/m);
    expect(block).toMatch(/^state {7}completed$/m);
    expect(block).toMatch(/^exit {8}timed out \(exit 124\)$/m);
    expect(block).toMatch(/^rollback {4}ok$/m);
    // The values it ran with, recorded with the attack (not read back from today's config).
    expect(block).toContain('params      SIGNAL=KILL (as it ran)');
    expect(block).toContain('host vars   process=nginx, unit=nginx.service (from the config now)');
    expect(block).toContain('probes      7 rounds: 1 before, 4 during (2 failing), 2 after (1 failing)');
    expect(block).toContain('  svc-running failed 3 times, from 12:00:15 to 12:00:20: exit 1: nginx not running');
    expect(block).toContain("detect      15s (from the fault's start to the first failing probe)");
    expect(block).toContain('recover     10s (from the first failure to the steady state holding again)');
    expect(block).toContain('output (2 lines):\n  sending SIGKILL to nginx (pid 42)\n  nginx is running again');
  });

  it('says plainly when no attack has that id', async () => {
    bot();
    const reply = await detail('99');
    expect(reply.text).toBe('No attack #99 is recorded. `history` lists the recent ones with their ids.');
    expect(reply.block).toBeUndefined();
  });

  it('a malformed id gets the usage, not a lookup', async () => {
    bot();
    expect((await detail('x1')).text).toBe('Cannot `history`: usage: `history #ID`, e.g. `history #12`.');
  });

  it('not recovered: the verdict as the thread told it, each failing probe with its first and last time and reasons, and the rollback’s warning', async () => {
    const probe = bot();
    await say(h, 'run-once process-kill web-1');
    probe.report = FAIL('exit 1: nginx not running');
    await h.timers.advance(5_000);
    h.executor.runs[0]?.finish({
      exitCode: 124,
      outputTail:
        'sending SIGKILL to nginx (pid 42)\n--- rollback (exit 0) ---\nwarning: nginx is not running; nothing restarted it\n',
    });
    await settle();
    probe.report = FAIL('exit 1: pgrep found nothing');
    await h.timers.advance(30_000);
    expect(h.store.getAttack('1')?.verdict).toBe('not-recovered');

    const reply = await detail('1');
    expect(reply.text).toMatch(/^#1 process-kill on web-1: verdict: NOT RECOVERED — still failing 30s after the fault ended/);
    const block = reply.block ?? '';
    expect(block).toMatch(
      /^ {2}svc-running failed \d+ times, from 12:00:05 to 12:00:35: exit 1: nginx not running; exit 1: pgrep found nothing$/m,
    );
    expect(block).toContain("detect      5s (from the fault's start to the first failing probe)");
    expect(block).toContain('recover     - (it did not recover)');
    expect(block).toContain('warnings    1:\n  warning: nginx is not running; nothing restarted it');
  });

  it('bounds the output to its last lines, and says how many there were', async () => {
    bot();
    await say(h, 'run-once process-kill web-1');
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i + 1} ${'x'.repeat(i === 99 ? 500 : 0)}`.trimEnd());
    h.executor.runs[0]?.finish({ outputTail: `${lines.join('\n')}\n` });
    await settle();
    await h.timers.advance(5_000);
    const block = (await detail('1')).block ?? '';
    expect(block).toContain(`output (last ${DETAIL_OUTPUT_LINES} of 100 lines):\n  line 81\n`);
    expect(block).not.toMatch(/^ {2}line 80$/m);
    const last = block.split('\n').at(-1) ?? '';
    expect(last.length).toBeLessThanOrEqual(2 + 200);
    expect(last).toMatch(/^ {2}line 100 x+…$/);
  });

  it('host output cannot smuggle terminal escapes or control characters into the reply', async () => {
    bot();
    await say(h, 'run-once process-kill web-1');
    h.executor.runs[0]?.finish({ outputTail: 'ok \u001b[31mred\u001b[0m\u0007 done\n' });
    await settle();
    const block = (await detail('1')).block ?? '';
    expect(block).toContain('  ok red done');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting that none survive
    expect(block).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('an attack still in flight: its verdict is pending', async () => {
    bot();
    await say(h, 'run-once process-kill web-1');
    await h.timers.advance(5_000);
    const reply = await detail('1');
    expect(reply.text).toBe('#1 process-kill on web-1: running…; verdict pending (the probes run until it is known).');
    expect(reply.block).toMatch(/^ended {7}-$/m);
    expect(reply.block).toMatch(/^detect {6}pending$/m);
    expect(reply.block).toContain('output      (none)');
  });

  it('an attack that never touched the host has no verdict, and says why it did not start', async () => {
    bot();
    h.executor.preflightAnswer = { ok: false, reason: 'web-1: missing command pgrep' };
    await say(h, 'run-once process-kill web-1');
    const reply = await detail('1');
    expect(reply.text).toBe('#1 process-kill on web-1: failed; no verdict: it never touched the host.');
    expect(reply.block).toMatch(/^state {7}failed — pre-flight: web-1: missing command pgrep$/m);
    expect(reply.block).toMatch(/^rollback {4}not run: it never touched the host$/m);
    // The steady state held before it (the pre-flight failed after that check).
    expect(reply.block).toContain('probes      1 round: 1 before, 0 during, 0 after');
  });

  it('a dry run is marked dry, and its probes and verdict are shown', async () => {
    bot({ dryRun: true });
    await say(h, 'run-once process-kill web-1');
    await h.timers.advance(5_000); // one probe round during the fault: it was watched
    h.executor.runs[0]?.finish();
    await settle();
    const reply = await detail('1');
    expect(reply.text).toMatch(
      /^#1 process-kill on web-1 \(dry run\): verdict: held — no probe failed \(.*nothing was attacked\)\.$/,
    );
    expect(reply.block).toContain('mode        dry run: nothing was touched on the host');
    expect(reply.block).toMatch(/^probes {6}\d+ rounds: 1 before, \d+ during, \d+ after$/m);
    expect(reply.block).toContain('            no probe failed');
  });

  it('the attack and host as the config has them now; one gone from the config is said to be gone', async () => {
    bot();
    await say(h, 'run-once process-kill web-1');
    h.executor.runs[0]?.finish();
    await settle();
    const record = h.store.getAttack('1') as AttackRecord;
    // A row written before parameters were recorded: only today's config could tell them, and it has none.
    const gone = h.store.insertAttack({ ...record, attack: 'old-attack', host: 'old-host', params: undefined });
    const block = (await detail(gone)).block ?? '';
    expect(block).toContain('attack      old-attack (no longer in the config)');
    expect(block).toContain('host        old-host (no longer in the config)');
    expect(block).toContain('params      - (from the config now)');
  });
});

describe('history failed', () => {
  it('lists attacks that did not recover even though they completed, and says what failed means', async () => {
    const probe = bot({ verdict: { probeInterval: '5s', recoveryWindow: '30s', haltOnNotRecovered: false } });
    await say(h, 'run-once process-kill web-1');
    probe.report = FAIL('exit 1: nginx not running');
    await h.timers.advance(5_000);
    h.executor.runs[0]?.finish();
    await settle();
    await h.timers.advance(30_000);
    const reply = await say(h, 'history failed');
    expect(reply.text).toBe('Last 1 failed attack:');
    expect(shown(reply)).toMatch(/^1 .* completed +\S+ +not-recovered$/m);
    expect(reply.tables?.[0]?.note).toMatch(/failed = .* or the system did not recover \(verdict\)$/);
  });

  it('says what it looked for when nothing failed', async () => {
    bot();
    expect((await say(h, 'history failed')).text).toBe('No failed, unconfirmed or not-recovered attacks recorded yet.');
  });
});

describe('the ending message shows what the attack warned about', () => {
  it('appends the run’s and the rollback’s `warning:` lines, trimmed, each once', async () => {
    bot();
    await say(h, 'run-once process-kill web-1');
    h.executor.runs[0]?.finish({
      exitCode: 124,
      outputTail: [
        'sending SIGKILL to nginx (pid 42)',
        '  warning: nginx had 2 workers left  ',
        'not a warning: this one is in the middle',
        '--- rollback (exit 0) ---',
        'Warning: nginx is not running; nothing restarted it',
        'warning: nginx had 2 workers left',
        '',
      ].join('\n'),
    });
    await settle();
    const ended = h.chat.events.find((e) => e.kind === 'attack-ended');
    expect(ended && eventText(ended, 'UTC').split('\n')).toEqual([
      '#1 process-kill on web-1 completed (took 0 ms, ran to its deadline, rollback ok)',
      'warning: nginx had 2 workers left',
      'Warning: nginx is not running; nothing restarted it',
    ]);
  });

  it(`shows at most ${MAX_WARNINGS}, and points at history #ID for the rest`, () => {
    const record = {
      id: '7',
      attack: 'disk-fill',
      host: 'web-1',
      dryRun: false,
      state: 'completed',
      startedAt: 0,
      endedAt: 60_000,
      exitCode: 124,
      signal: null,
      rollbackOk: true,
      reason: null,
      outputTail: Array.from({ length: 8 }, (_, i) => `warning: disk ${i + 1} nearly full`).join('\n'),
    } as unknown as AttackRecord;
    const lines = endedText(record, [], 'UTC').split('\n');
    expect(lines).toHaveLength(1 + MAX_WARNINGS + 1);
    expect(lines.slice(1, 1 + MAX_WARNINGS)).toEqual([1, 2, 3, 4, 5].map((i) => `warning: disk ${i} nearly full`));
    expect(lines.at(-1)).toBe('(3 more warning lines: `history #7`)');
  });

  it('without warnings it stays one line', () => {
    const record = {
      id: '8',
      attack: 'cpu-burn',
      host: 'web-1',
      dryRun: false,
      state: 'completed',
      startedAt: 0,
      endedAt: 1_000,
      exitCode: 124,
      signal: null,
      rollbackOk: true,
      reason: null,
      outputTail: 'burning 2 cores\nthe warning: is not at the start\n',
    } as unknown as AttackRecord;
    expect(endedText(record, [], 'UTC')).toBe('#8 cpu-burn on web-1 completed (took 1s, ran to its deadline, rollback ok)');
  });
});
