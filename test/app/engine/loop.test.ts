import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness, say } from '../../support/bot-harness.js';
import { audited, eventsOf, launches, reverting } from '../../support/endings.js';
import { eventually } from '../../support/eventually.js';
import { ScriptedHealth } from '../../support/fakes.js';

const MINUTE = 60_000;
let h: Harness;
afterEach(() => h?.close());

describe('the minute loop', () => {
  it('attacks inside business hours when everything passes, writing the row before dispatch', async () => {
    h = harness();
    const outcome = await h.bot.tick();
    expect(outcome).toMatchObject({ kind: 'attacked', attack: 'cpu-burn' });
    expect(h.executor.runs).toHaveLength(1);
    const record = h.store.history({ limit: 5 })[0];
    expect(record).toMatchObject({ attack: 'cpu-burn', state: 'running', trigger: { kind: 'schedule' }, dryRun: true });
    expect(['web-1', 'web-2']).toContain(record?.host);
    expect(h.executor.runs[0]?.job.env.CHAOSCAT_ATTACK_ID).toBe(`${h.store.instanceId()}-${record?.id}`);
    expect(h.store.instanceId()).toMatch(/^[0-9a-f]{8}$/);
    expect(h.chat.kinds()).toContain('attack-started');
    expect(h.store.lastTick()?.outcome.kind).toBe('attacked');
  });

  it('never has two attacks in flight', async () => {
    h = harness();
    await h.bot.tick();
    h.clock.advance(MINUTE);
    const second = await h.bot.tick();
    expect(second).toMatchObject({ kind: 'skipped', code: 'in-flight' });
    const launched = launches(h);
    await say(h, 'run-once');
    expect(launched).toMatchObject([{ ok: false, refusal: { kind: 'in-flight' } }]);
    expect(h.executor.runs).toHaveLength(1);
  });

  it('honours the cooldown after an attack ends, then attacks again', async () => {
    h = harness();
    await h.bot.tick();
    h.executor.runs[0]?.finish();
    await eventually(() => h.bot.context.runner.inFlightCount === 0, 'the attack to finish');
    expect(h.store.history({ limit: 1 })[0]?.state).toBe('completed');
    expect(h.store.getState().cooldownUntil).toBe(Date.parse('2026-11-24T20:10:00Z')); // 12:10 PST
    h.clock.advance(5 * MINUTE);
    expect(await h.bot.tick()).toMatchObject({ kind: 'skipped', code: 'cooldown' });
    h.clock.advance(5 * MINUTE);
    expect(await h.bot.tick()).toMatchObject({ kind: 'attacked' });
    expect(h.executor.runs).toHaveLength(2);
  });

  it('does not attack outside business hours and says when they open', async () => {
    h = harness();
    h.clock.set('2026-11-28T20:00:00Z'); // Saturday noon in Los Angeles
    expect(await h.bot.tick()).toMatchObject({
      kind: 'skipped',
      code: 'closed',
      reason: expect.stringMatching(/^outside business hours: opens <!date\^\d+\^[^|]*\|Mon 10:00 P[SD]T>$/),
    });
    h.clock.set('2026-12-25T20:00:00Z'); // a holiday
    expect(await h.bot.tick()).toMatchObject({ kind: 'skipped', code: 'closed' });
    expect(h.executor.runs).toHaveLength(0);
    expect(h.health.calls).toBe(0);
  });

  it('does not attack when the health check fails, and records why', async () => {
    h = harness({}, undefined, { health: (c) => ScriptedHealth.failing(c, 'HTTP 500') });
    const outcome = await h.bot.tick();
    expect(outcome).toMatchObject({ kind: 'skipped', code: 'unhealthy', reason: 'unhealthy: api: HTTP 500' });
    expect(h.executor.runs).toHaveLength(0);
    expect(h.store.lastSkip()?.outcome).toMatchObject({ code: 'unhealthy' });
    expect(h.store.lastHealth()).toMatchObject({
      healthy: false,
      results: [{ name: 'api', healthy: false, reason: 'HTTP 500' }],
    });
  });

  it('does not attack while it cannot hear stop', async () => {
    h = harness();
    h.chat.hearingState = { ok: false, reason: 'Socket Mode disconnected' };
    expect(await h.bot.tick()).toMatchObject({
      kind: 'skipped',
      code: 'deaf',
      reason: 'cannot hear stop: Socket Mode disconnected',
    });
    const launched = launches(h);
    await say(h, 'run-once');
    expect(launched).toMatchObject([{ ok: false, refusal: { kind: 'deaf' } }]);
    expect(h.executor.runs).toHaveLength(0);
  });

  it('stop reverts what is in flight and halts: nothing starts until start', async () => {
    h = harness();
    await h.bot.tick();
    await say(h, 'stop incident 42', 'U0SOMEONE');
    expect(h.bot.context.latch.state().halt).toMatchObject({ by: 'U0SOMEONE', reason: 'incident 42' });
    expect(reverting(h)).toEqual([['1']]);
    expect(h.executor.runs[0]?.aborted).not.toBeNull();
    await h.bot.context.runner.idle();
    const stopped = { kind: 'stopped', by: 'U0SOMEONE', note: 'incident 42', revert: 'reverted' };
    expect(h.store.history({ limit: 1 })[0]).toMatchObject({ state: 'reverted', rollbackOk: true, ending: stopped });
    expect(eventsOf(h, 'attack-ended')).toMatchObject([{ record: { id: '1', state: 'reverted', ending: stopped } }]);
    h.clock.advance(60 * MINUTE);
    expect(await h.bot.tick()).toMatchObject({ kind: 'skipped', code: 'halted' });
    const launched = launches(h);
    await say(h, 'run-once');
    expect(launched).toMatchObject([{ ok: false, refusal: { kind: 'halted' } }]);
    expect(h.executor.runs).toHaveLength(1);
    await say(h, 'start');
    expect(h.bot.context.latch.state().halt).toBeNull();
    expect(eventsOf(h, 'resumed')).toMatchObject([{ by: 'admin' }]);
    expect(await h.bot.tick()).toMatchObject({ kind: 'attacked' });
  });

  it('a stop while the host is still connecting cancels the start: nothing runs there', async () => {
    h = harness();
    let release: () => void = () => {};
    h.executor.startGate = new Promise((r) => {
      release = r;
    });
    const ticking = h.bot.tick();
    await eventually(() => h.executor.startCalls === 1, 'the start');
    await say(h, 'stop');
    expect(reverting(h)).toEqual([['1']]);
    release();
    expect(await ticking).toMatchObject({ kind: 'skipped', code: 'cancelled' });
    await h.bot.context.runner.idle();
    expect(h.executor.execs).toBe(0);
    expect(h.store.history({ limit: 1 })[0]).toMatchObject({
      state: 'cancelled',
      rollbackOk: null,
      ending: { kind: 'cancelled', by: { kind: 'stopped', by: 'admin' }, refusal: null },
    });
  });

  it('a stop that comes too late to cancel the start reverts the attack the moment it runs', async () => {
    h = harness();
    let release: () => void = () => {};
    h.executor.execGate = new Promise((r) => {
      release = r;
    });
    const ticking = h.bot.tick();
    await eventually(() => h.executor.execs === 1, 'the command on the host');
    await say(h, 'stop');
    release();
    // It touched the host: "stopped" (being reverted), not "cancelled".
    expect(await ticking).toMatchObject({ kind: 'skipped', code: 'stopped' });
    await h.bot.context.runner.idle();
    expect(h.executor.runs[0]?.aborted).not.toBeNull();
    expect(h.store.history({ limit: 1 })[0]).toMatchObject({
      state: 'reverted',
      rollbackOk: true,
      remotePgid: 4242,
      startedAt: expect.any(Number),
      ending: { kind: 'stopped', by: 'admin', revert: 'reverted' },
    });
  });

  it('an unreachable host on stop is told with its on-host deadline, unconfirmed until the next contact', async () => {
    h = harness();
    h.executor.abortAnswer = 'unreachable';
    await h.bot.tick();
    await say(h, 'stop');
    await h.bot.context.runner.idle();
    const record = h.store.history({ limit: 1 })[0];
    expect(record).toMatchObject({
      state: 'failed',
      rollbackOk: null,
      unconfirmed: true,
      ending: { kind: 'stopped', by: 'admin', revert: 'unreachable' },
    });
    // The on-host deadline its ending is told with: 12:01 PST.
    expect(record?.deadlineAt).toBeGreaterThanOrEqual(Date.parse('2026-11-24T20:01:00Z'));
    expect(record?.deadlineAt).toBeLessThan(Date.parse('2026-11-24T20:02:00Z'));
  });

  it('halt and cooldown survive a restart on the same database', async () => {
    h = harness();
    await h.bot.tick();
    h.executor.runs[0]?.finish();
    await eventually(() => h.bot.context.runner.inFlightCount === 0, 'finish');
    await say(h, 'stop maintenance');
    h = h.restart();
    expect(await h.bot.tick()).toMatchObject({ kind: 'skipped', code: 'halted' });
    expect(h.bot.context.latch.state().halt).toMatchObject({ by: 'admin', reason: 'maintenance' });
    await say(h, 'start');
    h.clock.advance(2 * MINUTE);
    expect(await h.bot.tick()).toMatchObject({ kind: 'skipped', code: 'cooldown' });
    h = h.restart();
    expect(await h.bot.tick()).toMatchObject({ kind: 'skipped', code: 'cooldown' });
  });

  it('a failed pre-flight ends the attack as failed with the reason, and no run starts', async () => {
    h = harness();
    h.executor.preflightAnswer = { ok: false, cause: 'missing-command', reason: 'web-1: missing command stress-ng' };
    const outcome = await h.bot.tick();
    expect(outcome).toMatchObject({ kind: 'skipped', code: 'preflight' });
    expect(h.store.history({ limit: 1 })[0]).toMatchObject({
      state: 'failed',
      rollbackOk: null,
      reason: expect.stringContaining('web-1: missing command stress-ng'),
      ending: { kind: 'refused', refusal: { kind: 'preflight', cause: expect.stringContaining('missing command stress-ng') } },
    });
    expect(h.executor.runs).toHaveLength(0);
    // Issue 27: the pre-flight comes before the announcement: no LIVE alarm for an attack the host
    // refused, only its ending ("not started").
    expect(h.chat.kinds()).not.toContain('attack-started');
    expect(h.chat.kinds()).toContain('attack-ended');
  });

  it('aborts and reverts an attack when health fails during it', async () => {
    h = harness({ schedule: { tick: '* * * * *', cooldown: '10m', healthInterval: '50ms' } });
    await h.bot.tick();
    h.health.report = ScriptedHealth.failing(h.clock, 'alert HighLatency firing').report;
    await h.timers.advance(50);
    expect(h.chat.kinds()).toContain('auto-aborted');
    expect(h.store.history({ limit: 1 })[0]).toMatchObject({
      state: 'reverted',
      ending: { kind: 'health', failing: 'api: alert HighLatency firing', revert: 'reverted' },
    });
    expect(h.bot.context.latch.state().halt).toBeNull();
  });

  it('with haltOnHealthFailure a health failure during an attack also latches a halt', async () => {
    h = harness({ schedule: { tick: '* * * * *', cooldown: '10m', healthInterval: '50ms', haltOnHealthFailure: true } });
    await h.bot.tick();
    h.health.report = ScriptedHealth.failing(h.clock).report;
    await h.timers.advance(50);
    expect(h.chat.kinds()).toContain('auto-aborted');
    expect(h.bot.context.latch.state().halt?.by).toBe('health-gate');
  });
});

describe('run-once', () => {
  it('ignores business hours and cooldown, names attack and host', async () => {
    h = harness({}, [
      { name: 'cpu-burn', weight: 10, targets: ['web'] },
      { name: 'host-reboot', weight: 0 },
    ]);
    h.clock.set('2026-11-28T20:00:00Z'); // Saturday
    const launched = launches(h);
    await say(h, '@chaoscat run-once host-reboot db-1');
    expect(launched).toMatchObject([{ ok: true, record: { id: '1', attack: 'host-reboot', host: 'db-1', dryRun: true } }]);
    expect(h.store.history({ limit: 1 })[0]).toMatchObject({
      attack: 'host-reboot',
      host: 'db-1',
      trigger: { kind: 'user', user: 'admin' },
      dryRun: true,
    });
  });

  it('refuses names that are not in config, and look-alikes', async () => {
    h = harness();
    const launched = launches(h);
    // Kept: the reply must tell the asker the names that would work; no data carries them.
    expect((await say(h, 'run-once rm-rf')).text).toBe('Unknown attack "rm-rf". Known attacks: cpu-burn.');
    await say(h, 'run-once cpu-burn web-9');
    // Kept: a look-alike name must be called out, or the refusal of "cpu-burn" reads as nonsense.
    expect((await say(h, 'run-once cрu-burn')).text).toMatch(/non-ASCII/);
    await say(h, 'run-once cpu-burn db-1');
    // Refused before the runner is asked: names unknown (invalid), a pair that cannot work (refused).
    expect(audited(h, 'run-once')).toEqual(['invalid', 'invalid', 'invalid', 'refused']);
    expect(launched).toEqual([]);
    expect(h.executor.runs).toHaveLength(0);
  });

  it('is refused for non-admins, and the refusal is audited', async () => {
    h = harness();
    const launched = launches(h);
    const reply = await say(h, 'run-once', 'U0RANDOM');
    expect(reply.ephemeral).toBe(true);
    expect(launched).toEqual([]);
    const audit = h.store.auditBetween(0, Number.MAX_SAFE_INTEGER);
    expect(audit.at(-1)).toMatchObject({ actor: 'U0RANDOM', command: 'run-once', outcome: 'refused' });
    expect(h.executor.runs).toHaveLength(0);
  });

  it('runs the health gate, and only an admin may --force past it', async () => {
    h = harness({}, undefined, { health: (c) => ScriptedHealth.failing(c) });
    const launched = launches(h);
    await say(h, 'run-once');
    expect(launched).toMatchObject([{ ok: false, refusal: { kind: 'unhealthy' } }]);
    await say(h, 'run-once --force', 'U0RANDOM');
    // The non-admin's --force never reaches the runner.
    expect(launched).toHaveLength(1);
    await say(h, 'run-once --force');
    expect(launched).toMatchObject([
      { ok: false, refusal: { kind: 'unhealthy' } },
      { ok: true, record: { id: '1' } },
    ]);
    expect(h.bot.context.runner.list()).toMatchObject([{ request: { force: true } }]);
    expect(h.store.auditBetween(0, Number.MAX_SAFE_INTEGER).map((a) => `${a.command}:${a.outcome}`)).toEqual([
      'run-once:refused',
      'run-once:refused',
      'run-once:ok',
    ]);
  });
});

describe('orphan recovery', () => {
  it('reverts attacks left in flight by a previous process and marks them orphaned', async () => {
    h = harness({ dryRun: false });
    await h.bot.tick();
    h = h.restart();
    const outcomes = await h.bot.recover();
    expect(outcomes).toHaveLength(1);
    expect(h.executor.recovered[0]).toMatchObject({ remotePgid: 4242 });
    const record = h.store.history({ limit: 1 })[0];
    expect(record).toMatchObject({
      state: 'orphaned',
      rollbackOk: true,
      ending: { kind: 'orphaned', was: 'running', revert: 'reverted' },
    });
    expect(h.chat.kinds()).toContain('orphan-recovered');
  });
});
