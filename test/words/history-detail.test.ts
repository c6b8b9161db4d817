import { describe, expect, it } from 'vitest';
import { parseHistory } from '../../src/domain/command-args.js';
import type { AttackRecord, HostDef, ProbeRecord } from '../../src/domain/model.js';
import { endedText, MAX_WARNINGS } from '../../src/words/announcements.js';
import { detailReply, historyReply } from '../../src/words/catalogue.js';
import { commandAnswerText } from '../../src/words/command-replies.js';
import { DETAIL_OUTPUT_LINES } from '../../src/words/format.js';
import { attackRecord, WARNED_OUTPUT } from '../support/records.js';
import { testConfig } from '../support/test-config.js';

const TZ = 'America/Los_Angeles';
/** A Tuesday, 12:00 in Los Angeles. */
const NOON = Date.parse('2026-11-24T20:00:00Z');
const S = 1_000;
const [processKill] = testConfig({}, [
  { name: 'process-kill', weight: 10, targets: ['web'], duration: '60s', hostVars: ['process'], params: { SIGNAL: 'KILL' } },
]).attacks;
const WEB_1: HostDef = {
  name: 'web-1',
  address: '10.0.1.11',
  port: 2222,
  tags: ['web'],
  vars: { process: 'nginx', unit: 'nginx.service' },
  source: 'config',
};

/** #1 process-kill on web-1, run once by admin at noon: what the bot stored when it ended, with the fields a test sets. */
function ran(overrides: Partial<AttackRecord> = {}): AttackRecord {
  return attackRecord({
    attack: 'process-kill',
    trigger: { kind: 'user', user: 'admin' },
    createdAt: NOON,
    startedAt: NOON,
    deadlineAt: NOON + 90 * S,
    params: { SIGNAL: 'KILL' },
    ...overrides,
  });
}

const ok = { name: 'svc-running', kind: 'command', healthy: true, reason: 'exit 0', durationMs: 1 };
function sample(at: number, phase: ProbeRecord['phase'], failing?: string): ProbeRecord {
  return failing === undefined
    ? { at: NOON + at * S, phase, healthy: true, results: [ok] }
    : { at: NOON + at * S, phase, healthy: false, results: [{ ...ok, healthy: false, reason: failing }] };
}

function detail(record: AttackRecord, samples: readonly ProbeRecord[] = [], inFlight = false) {
  return detailReply({
    kind: 'found',
    detail: { record, timezone: TZ, attack: processKill, host: WEB_1, samples, inFlight },
    answers: null,
  });
}

const NGINX_DOWN = 'exit 1: nginx not running';

describe('history #ID in words', () => {
  it('shows the attack, host, trigger, lifecycle times, state, exit, rollback, parameters, probe samples, time to detect and recover, the verdict and the output', () => {
    const reply = detail(
      ran({
        state: 'completed',
        endedAt: NOON + 20 * S,
        exitCode: 124,
        rollbackOk: true,
        outputTail: 'sending SIGKILL to nginx (pid 42)\nnginx is running again\n',
        verdict: 'recovered',
        ttdMs: 15 * S,
        ttrMs: 10 * S,
        verdictDetail: `detected after 15s (svc-running: ${NGINX_DOWN}), recovered 10s later`,
      }),
      [
        sample(0, 'before'),
        sample(5, 'during'),
        sample(10, 'during'),
        sample(15, 'during', NGINX_DOWN),
        sample(20, 'during', NGINX_DOWN),
        sample(20, 'after', NGINX_DOWN),
        sample(25, 'after'),
      ],
    );
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

  it('says plainly when no attack has that id', () => {
    const reply = detailReply({ kind: 'unknown', id: '99' });
    expect(reply.text).toBe('No attack #99 is recorded. `history` lists the recent ones with their ids.');
    expect(reply.block).toBeUndefined();
  });

  it('a malformed id gets the usage', () => {
    const parsed = parseHistory(['#x1']);
    expect(parsed.kind).toBe('invalid');
    if (parsed.kind !== 'invalid') throw new Error('expected the usage');
    expect(commandAnswerText({ kind: 'invalid', command: 'history', problem: parsed.problem })).toBe(
      'Cannot `history`: usage: `history #ID`, e.g. `history #12`.',
    );
  });

  it('not recovered: the verdict as the thread told it, each failing probe with its first and last time and reasons, and the rollback’s warning', () => {
    const reply = detail(
      ran({
        state: 'completed',
        endedAt: NOON + 5 * S,
        exitCode: 124,
        rollbackOk: true,
        outputTail:
          'sending SIGKILL to nginx (pid 42)\n--- rollback (exit 0) ---\nwarning: nginx is not running; nothing restarted it\n',
        verdict: 'not-recovered',
        ttdMs: 5 * S,
        verdictDetail: 'still failing 30s after the fault ended — svc-running: exit 1: pgrep found nothing',
      }),
      [
        sample(0, 'before'),
        sample(5, 'during', NGINX_DOWN),
        ...[10, 15, 20, 25, 30, 35].map((at) => sample(at, 'after', 'exit 1: pgrep found nothing')),
      ],
    );
    expect(reply.text).toMatch(/^#1 process-kill on web-1: verdict: NOT RECOVERED — still failing 30s after the fault ended/);
    const block = reply.block ?? '';
    expect(block).toMatch(
      /^ {2}svc-running failed \d+ times, from 12:00:05 to 12:00:35: exit 1: nginx not running; exit 1: pgrep found nothing$/m,
    );
    expect(block).toContain("detect      5s (from the fault's start to the first failing probe)");
    expect(block).toContain('recover     - (it did not recover)');
    expect(block).toContain('warnings    1:\n  warning: nginx is not running; nothing restarted it');
  });

  it('bounds the output to its last lines, and says how many there were', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i + 1} ${'x'.repeat(i === 99 ? 500 : 0)}`.trimEnd());
    const block =
      detail(ran({ state: 'completed', endedAt: NOON, exitCode: 0, rollbackOk: true, outputTail: `${lines.join('\n')}\n` }))
        .block ?? '';
    expect(block).toContain(`output (last ${DETAIL_OUTPUT_LINES} of 100 lines):\n  line 81\n`);
    expect(block).not.toMatch(/^ {2}line 80$/m);
    const last = block.split('\n').at(-1) ?? '';
    expect(last.length).toBeLessThanOrEqual(2 + 200);
    expect(last).toMatch(/^ {2}line 100 x+…$/);
  });

  it('host output cannot smuggle terminal escapes or control characters into the reply', () => {
    const outputTail = 'ok \u001b[31mred\u001b[0m\u0007 done\n';
    const block = detail(ran({ state: 'completed', endedAt: NOON, exitCode: 0, rollbackOk: true, outputTail })).block ?? '';
    expect(block).toContain('  ok red done');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting that none survive
    expect(block).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('an attack still in flight: its verdict is pending', () => {
    const reply = detail(ran({ state: 'running' }), [sample(0, 'before'), sample(5, 'during')], true);
    expect(reply.text).toBe('#1 process-kill on web-1: running…; verdict pending (the probes run until it is known).');
    expect(reply.block).toMatch(/^ended {7}-$/m);
    expect(reply.block).toMatch(/^detect {6}pending$/m);
    expect(reply.block).toContain('output      (none)');
  });

  it('an attack that never touched the host has no verdict, and says why it did not start', () => {
    const reply = detail(
      ran({ state: 'failed', startedAt: null, endedAt: NOON, reason: 'pre-flight: web-1: missing command pgrep' }),
      [sample(0, 'before')],
    );
    expect(reply.text).toBe('#1 process-kill on web-1: failed; no verdict: it never touched the host.');
    expect(reply.block).toMatch(/^state {7}failed — pre-flight: web-1: missing command pgrep$/m);
    expect(reply.block).toMatch(/^rollback {4}not run: it never touched the host$/m);
    expect(reply.block).toContain('probes      1 round: 1 before, 0 during, 0 after');
  });

  it('a dry run is marked dry, and its probes and verdict are shown', () => {
    const reply = detail(
      ran({
        dryRun: true,
        state: 'completed',
        endedAt: NOON + 5 * S,
        exitCode: 0,
        rollbackOk: true,
        verdict: 'held',
        verdictDetail: 'no probe failed',
      }),
      [sample(0, 'before'), sample(5, 'during'), sample(10, 'after')],
    );
    expect(reply.text).toMatch(
      /^#1 process-kill on web-1 \(dry run\): verdict: held — no probe failed \(.*nothing was attacked\)\.$/,
    );
    expect(reply.block).toContain('mode        dry run: nothing was touched on the host');
    expect(reply.block).toMatch(/^probes {6}\d+ rounds: 1 before, \d+ during, \d+ after$/m);
    expect(reply.block).toContain('            no probe failed');
  });

  it('the attack and host as the config has them now; one gone from the config is said to be gone', () => {
    const record = ran({ attack: 'old-attack', host: 'old-host', params: undefined, state: 'completed', endedAt: NOON });
    const block =
      detailReply({
        kind: 'found',
        detail: { record, timezone: TZ, attack: undefined, host: undefined, samples: [], inFlight: false },
        answers: null,
      }).block ?? '';
    expect(block).toContain('attack      old-attack (no longer in the config)');
    expect(block).toContain('host        old-host (no longer in the config)');
    expect(block).toContain('params      - (from the config now)');
  });
});

describe('history failed in words', () => {
  it('says what failed means: the system not recovering counts', () => {
    const record = ran({ state: 'completed', endedAt: NOON, verdict: 'not-recovered' });
    const reply = historyReply({ filter: { by: 'failed' }, records: [record], awaiting: new Set(), fleet: false }, TZ);
    expect(reply.tables?.[0]?.note).toMatch(/failed = .* or the system did not recover \(verdict\)$/);
  });
});

describe('the ending message shows what the attack warned about', () => {
  it('appends the run’s and the rollback’s `warning:` lines, trimmed, each once', () => {
    const record = ran({
      state: 'completed',
      endedAt: NOON,
      exitCode: 124,
      rollbackOk: true,
      outputTail: WARNED_OUTPUT,
    });
    expect(endedText(record, [], 'UTC').split('\n')).toEqual([
      '#1 process-kill on web-1 completed (took 0 ms, ran to its deadline, rollback ok)',
      'warning: nginx had 2 workers left',
      'Warning: nginx is not running; nothing restarted it',
    ]);
  });

  it(`shows at most ${MAX_WARNINGS}, and points at history #ID for the rest`, () => {
    const record = attackRecord({
      id: '7',
      attack: 'disk-fill',
      state: 'completed',
      startedAt: 0,
      endedAt: 60_000,
      exitCode: 124,
      rollbackOk: true,
      outputTail: Array.from({ length: 8 }, (_, i) => `warning: disk ${i + 1} nearly full`).join('\n'),
    });
    const lines = endedText(record, [], 'UTC').split('\n');
    expect(lines).toHaveLength(1 + MAX_WARNINGS + 1);
    expect(lines.slice(1, 1 + MAX_WARNINGS)).toEqual([1, 2, 3, 4, 5].map((i) => `warning: disk ${i} nearly full`));
    expect(lines.at(-1)).toBe('(3 more warning lines: `history #7`)');
  });

  it('without warnings it stays one line', () => {
    const record = attackRecord({
      id: '8',
      state: 'completed',
      startedAt: 0,
      endedAt: 1_000,
      exitCode: 124,
      rollbackOk: true,
      outputTail: 'burning 2 cores\nthe warning: is not at the start\n',
    });
    expect(endedText(record, [], 'UTC')).toBe('#8 cpu-burn on web-1 completed (took 1s, ran to its deadline, rollback ok)');
  });
});
