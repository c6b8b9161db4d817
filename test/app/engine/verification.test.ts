import { afterEach, describe, expect, it } from 'vitest';
import { noVerdictText } from '../../../src/words/verdicts.js';

const NOT_WATCHED = noVerdictText({ kind: 'not-watched' });

import type { AttackRecord, HealthReport } from '../../../src/domain/model.js';
import { endingOf } from '../../../src/domain/report-bars.js';
import { type Harness, harness, say } from '../../support/bot-harness.js';
import { eventsOf, launches, reverting } from '../../support/endings.js';
import { ScriptedHealth, settle } from '../../support/fakes.js';

let h: Harness;
afterEach(() => h?.close());

const PASS: Omit<HealthReport, 'checkedAt'> = {
  healthy: true,
  results: [{ name: 'svc', kind: 'command', healthy: true, reason: 'ok', durationMs: 1 }],
};
const FAIL: Omit<HealthReport, 'checkedAt'> = {
  healthy: false,
  results: [{ name: 'svc', kind: 'command', healthy: false, reason: 'exit 1: not running', durationMs: 1 }],
};

/** A bot whose attacks' steady state is one probe, `svc`, scripted by the test. */
function withProbe(overrides: Record<string, unknown> = {}, attack: Record<string, unknown> = {}) {
  let probe: ScriptedHealth | undefined;
  h = harness(
    { dryRun: false, verdict: { probeInterval: '5s', recoveryWindow: '30s', haltOnNotRecovered: true }, ...overrides },
    [{ name: 'cpu-burn', weight: 10, targets: ['web'], duration: '60s', ...attack }],
    {
      steadyState: (clock) => {
        probe = new ScriptedHealth(PASS, clock);
        return { probesFor: () => probe as ScriptedHealth };
      },
    },
  );
  return probe as ScriptedHealth;
}

const verdicts = (x: Harness) => x.chat.events.filter((e) => e.kind === 'verdict');

describe('the steady-state verdict of a live attack', () => {
  it('held: no probe failed; the slot stays taken until the verdict, then it is recorded and told', async () => {
    withProbe();
    expect(await h.bot.tick()).toMatchObject({ kind: 'attacked' });
    await h.timers.advance(20_000);
    h.executor.runs[0]?.finish();
    await settle();
    expect(h.store.getAttack('1')).toMatchObject({ state: 'completed', verdict: 'held', verdictDetail: 'no probe failed' });
    expect(verdicts(h)).toHaveLength(1);
    expect(h.bot.context.runner.inFlightCount).toBe(0);
    expect(h.store.samplesOf('1').map((s) => s.phase)).toEqual(['before', 'during', 'during', 'during', 'during', 'after']);
  });

  it('recovered: detected, then back within the window, with time to detect and to recover', async () => {
    const probe = withProbe();
    await h.bot.tick();
    await h.timers.advance(10_000);
    probe.report = FAIL;
    await h.timers.advance(5_000); // first failure at 15 s
    await h.timers.advance(5_000);
    h.executor.runs[0]?.finish(); // the fault ends at 20 s
    await settle();
    expect(h.bot.context.runner.inFlightCount).toBe(1);
    expect(await h.bot.tick()).toMatchObject({ kind: 'skipped', code: 'in-flight' });
    // Verifying: #1 ended (completed) and its verdict is pending; it keeps its slot.
    expect(h.bot.context.runner.awaitingVerdict()).toMatchObject([{ id: '1' }]);
    expect(h.store.getAttack('1')).toMatchObject({ state: 'completed', ending: { kind: 'completed' }, verdict: null });
    probe.report = PASS;
    await h.timers.advance(5_000); // back at 25 s
    expect(h.store.getAttack('1')).toMatchObject({ verdict: 'recovered', ttdMs: 15_000, ttrMs: 10_000 });
    expect(h.store.getAttack('1')?.verdictDetail).toBe('detected after 15s (svc: exit 1: not running), recovered 10s later');
    expect(h.bot.context.latch.state().halt).toBeNull();
    expect(h.bot.context.runner.inFlightCount).toBe(0);
  });

  it('not recovered: still failing when the window ends; told, and a halt is latched', async () => {
    const probe = withProbe();
    await h.bot.tick();
    probe.report = FAIL;
    await h.timers.advance(5_000);
    h.executor.runs[0]?.finish();
    await settle();
    await h.timers.advance(29_000);
    expect(h.store.getAttack('1')?.verdict).toBeNull();
    await h.timers.advance(1_000);
    expect(h.store.getAttack('1')).toMatchObject({ verdict: 'not-recovered', ttdMs: 5_000, ttrMs: null });
    const [event] = verdicts(h);
    expect(event?.kind === 'verdict' && event.halted).toBe(true);
    expect(h.bot.context.latch.state().halt).toMatchObject({
      by: 'verdict',
      reason: expect.stringMatching(/#1 cpu-burn did not recover/),
    });
    // The halt has its own audit row at the latch, where the report's halt band starts.
    const halt = h.bot.context.latch.state().halt;
    expect(h.store.auditBetween(0, Number.MAX_SAFE_INTEGER)).toContainEqual(
      expect.objectContaining({ actor: 'verdict', command: 'halt', action: 'halted', at: halt?.at }),
    );
    expect(h.store.history({ limit: 5, failedOnly: true })).toMatchObject([{ id: '1', verdict: 'not-recovered' }]);
  });

  it('does not start when the steady state does not hold before the attack', async () => {
    const probe = withProbe();
    probe.report = FAIL;
    const launched = launches(h);
    await say(h, 'run-once');
    // The health gate passes (the harness's): the attack's own steady state is what refuses it.
    expect(h.health.calls).toBeGreaterThan(0);
    expect(probe.calls).toBeGreaterThan(0);
    expect(launched).toMatchObject([{ ok: false, refusal: { kind: 'not-steady' } }]);
    expect(h.executor.startCalls).toBe(0);
  });

  it('abortOnDeviation: the attack’s own probe failing aborts it; the verdict still follows', async () => {
    let probe: ScriptedHealth | undefined;
    h = harness(
      { dryRun: false, verdict: { probeInterval: '5s', recoveryWindow: '30s', haltOnNotRecovered: false } },
      [
        {
          name: 'cpu-burn',
          weight: 10,
          targets: ['web'],
          abortOnDeviation: true,
          steadyState: [{ kind: 'command', name: 'svc', command: ['true'] }],
        },
      ],
      {
        steadyState: (clock) => {
          probe = new ScriptedHealth(PASS, clock);
          return { probesFor: () => probe as ScriptedHealth };
        },
      },
    );
    await h.bot.tick();
    (probe as ScriptedHealth).report = FAIL;
    await h.timers.advance(5_000);
    expect(h.executor.runs[0]?.aborted).not.toBeNull();
    expect(eventsOf(h, 'attack-ended')).toMatchObject([
      { record: { id: '1', ending: { kind: 'deviation', failing: 'svc: exit 1: not running' } } },
    ]);
    (probe as ScriptedHealth).report = PASS;
    await h.timers.advance(5_000);
    expect(h.store.getAttack('1')).toMatchObject({
      state: 'reverted',
      verdict: 'recovered',
      ending: { kind: 'deviation', failing: 'svc: exit 1: not running', revert: 'reverted' },
    });
    // Issue 23: an abortOnDeviation abort is among the report's automatic aborts.
    expect(endingOf(h.store.getAttack('1') as AttackRecord)).toBe('aborted');
  });

  it('a shutdown during the recovery window records the verdict as unknown', async () => {
    const probe = withProbe();
    await h.bot.tick();
    probe.report = FAIL;
    await h.timers.advance(5_000);
    await h.bot.shutdown('SIGTERM');
    expect(h.store.getAttack('1')).toMatchObject({
      state: 'reverted',
      verdict: 'unknown',
      verdictDetail: expect.stringMatching(/the bot stopped \(received SIGTERM\) before the recovery window ended/),
    });
  });

  it('a stop during the recovery window reverts nothing more, and the verdict still comes', async () => {
    const probe = withProbe();
    await h.bot.tick();
    probe.report = FAIL;
    await h.timers.advance(5_000);
    h.executor.runs[0]?.finish();
    await settle();
    await say(h, 'stop');
    // It already ended: nothing to revert.
    expect(reverting(h)).toEqual([[]]);
    expect(h.executor.runs[0]?.aborted).toBeNull();
    const launched = launches(h);
    await say(h, 'run-once');
    expect(launched).toMatchObject([{ ok: false, refusal: { kind: 'halted' } }]);
    probe.report = PASS;
    await h.timers.advance(5_000);
    expect(h.store.getAttack('1')).toMatchObject({ state: 'completed', verdict: 'recovered' });
  });

  it('an attack stopped too late to cancel its start still gets its verdict', async () => {
    withProbe();
    let release: () => void = () => {};
    h.executor.execGate = new Promise((r) => {
      release = r;
    });
    const ticking = h.bot.tick();
    await settle();
    expect(h.executor.execs).toBe(1);
    await say(h, 'stop');
    release();
    await ticking;
    await settle();
    // Reverted at once: no probe sampled its fault, so nobody watched it: no verdict, not "held".
    expect(h.store.getAttack('1')).toMatchObject({ state: 'reverted', verdict: 'unknown', verdictDetail: NOT_WATCHED });
  });

  it('a stop reverts the attack; the verdict is still computed', async () => {
    withProbe();
    await h.bot.tick();
    await h.timers.advance(5_000); // one sample during the fault
    await say(h, 'stop');
    await settle();
    expect(h.store.getAttack('1')).toMatchObject({ state: 'reverted', verdict: 'held' });
  });
});

describe('verdicts only from watching (issue 22, case 8)', () => {
  it('a 4 s fault with probeInterval 5s is sampled at its midpoint: a service down during it is not "held"', async () => {
    const probe = withProbe({}, { duration: '4s' });
    await h.bot.tick();
    probe.report = FAIL; // the service is down while the fault is on
    await h.timers.advance(2_000); // the midpoint
    probe.report = PASS;
    await h.timers.advance(2_000);
    h.executor.runs[0]?.finish();
    await settle();
    await h.timers.advance(5_000);
    expect(h.store.samplesOf('1').map((s) => [s.phase, s.healthy])).toContainEqual(['during', false]);
    expect(h.store.getAttack('1')?.verdict).toBe('recovered');
    expect(h.store.getAttack('1')?.ttdMs).toBe(2_000);
  });

  it('a fault no probe sampled gets no verdict ("not watched"), and is not counted held', async () => {
    withProbe();
    await h.bot.tick();
    await h.timers.advance(1_000); // before the first sample (5 s), the fault ends by itself
    h.executor.runs[0]?.finish();
    await settle();
    await h.timers.advance(5_000);
    expect(h.store.samplesOf('1').map((s) => s.phase)).not.toContain('during');
    expect(h.store.getAttack('1')).toMatchObject({ state: 'completed', verdict: 'unknown', verdictDetail: NOT_WATCHED });
    const [event] = verdicts(h);
    expect(event?.kind === 'verdict' && event.record.verdict).toBe('unknown');
    expect(h.store.history({ limit: 5 }).map((r) => r.verdict)).toEqual(['unknown']);
    // Kept: `history #1` must say why there is no verdict; the words are the behaviour here.
    expect((await say(h, 'history #1')).text).toContain(
      'verdict: unknown — not watched: no probe sample was taken during the fault',
    );
  });

  it('an attack whose run failed at once (exit 2) is failed, with no verdict, not held', async () => {
    withProbe();
    await h.bot.tick();
    await h.timers.advance(5_000);
    h.executor.runs[0]?.finish({
      outcome: 'failed',
      exitCode: 2,
      rollbackOk: true,
      end: { kind: 'exited', status: 2 },
    });
    await settle();
    await h.timers.advance(60_000);
    expect(h.store.getAttack('1')).toMatchObject({ state: 'failed', verdict: null });
    expect(verdicts(h)).toHaveLength(0);
    expect(h.bot.context.runner.inFlightCount).toBe(0);
  });
});

describe('when no verdict can be drawn', () => {
  it('an attack with no probe at all gets no verdict (not "held") and frees its slot at the end', async () => {
    h = harness({ dryRun: false }, undefined, { steadyState: () => ({ probesFor: () => null }) });
    await h.bot.tick();
    h.executor.runs[0]?.finish();
    await settle();
    expect(h.store.getAttack('1')).toMatchObject({ state: 'completed', verdict: null });
    expect(verdicts(h)).toHaveLength(0);
    expect(h.bot.context.runner.inFlightCount).toBe(0);
    const record = h.store.getAttack('1');
    expect(record).toMatchObject({ ending: { kind: 'completed' }, verdictDetail: null });
    expect(record?.endedAt).toBe(record?.startedAt);
  });

  it('--force over a steady state that already failed gives an unknown verdict and no halt', async () => {
    const probe = withProbe();
    probe.report = FAIL;
    const launched = launches(h);
    await say(h, 'run-once --force');
    expect(launched).toMatchObject([{ ok: true, record: { id: '1' } }]);
    await h.timers.advance(5_000);
    h.executor.runs[0]?.finish();
    await settle();
    expect(h.store.getAttack('1')).toMatchObject({
      verdict: 'unknown',
      verdictDetail: expect.stringMatching(
        /^no verdict: the steady state did not hold before the attack \(svc: exit 1: not running; --force\)/,
      ),
    });
    expect(h.bot.context.latch.state().halt).toBeNull();
  });

  it('a dry run that does not recover is told, without a halt blaming an attack that touched nothing', async () => {
    const probe = withProbe({ dryRun: true });
    await h.bot.tick();
    probe.report = FAIL;
    await h.timers.advance(5_000);
    h.executor.runs[0]?.finish();
    await settle();
    await h.timers.advance(30_000);
    expect(h.store.getAttack('1')).toMatchObject({ verdict: 'not-recovered' });
    expect(h.bot.context.latch.state().halt).toBeNull();
  });

  it('after a restart, an attack whose verdict was pending is marked unknown', async () => {
    const probe = withProbe();
    await h.bot.tick();
    probe.report = FAIL;
    await h.timers.advance(5_000);
    h.executor.runs[0]?.finish();
    await settle();
    h = h.restart();
    await h.bot.recover();
    expect(h.store.getAttack('1')).toMatchObject({
      verdict: 'unknown',
      verdictDetail: 'the bot stopped before the recovery window ended; no verdict',
    });
  });
});
