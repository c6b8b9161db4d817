import { afterEach, describe, expect, it } from 'vitest';
import { FAULT_HALT_BY } from '../../../src/domain/fault.js';
import type { AttackRecord } from '../../../src/domain/model.js';
import { endingOf } from '../../../src/domain/report-bars.js';
import { type Harness, harness, say } from '../../support/bot-harness.js';
import { audited, eventsOf, launches, reverting } from '../../support/endings.js';
import { ControlledHealth, settle } from '../../support/fakes.js';

let h: Harness;
afterEach(() => h?.close());

/** A bot whose health checks wait until the test answers them. */
function slowHealth(overrides: Record<string, unknown> = {}): { h: Harness; health: ControlledHealth } {
  let health: ControlledHealth | undefined;
  const built = harness(overrides, undefined, {
    customHealth: (clock) => {
      health = new ControlledHealth(clock);
      return health;
    },
  });
  return { h: built, health: health as ControlledHealth };
}

describe('admission: reserved before any await, taken again after each', () => {
  it('a stop during a slow health check cancels the run-once: nothing starts and the asker is told', async () => {
    const built = slowHealth();
    h = built.h;
    const launched = launches(h);
    const asking = say(h, 'run-once');
    await settle();
    expect(built.health.pending).toBe(1);
    expect(h.bot.context.runner.list()).toMatchObject([{ id: null, request: { asker: 'user' } }]);
    await say(h, 'stop incident', 'U0ONCALL');
    // Nothing had a record yet: the stop reverts nothing, and the reservation is gone at once.
    expect(reverting(h)).toEqual([[]]);
    expect(h.bot.context.runner.inFlightCount).toBe(0);
    built.health.answer(true);
    await asking;
    expect(launched).toEqual([{ ok: false, refusal: expect.objectContaining({ kind: 'cancelled' }) }]);
    expect(h.executor.startCalls).toBe(0);
    expect(h.store.history({ limit: 5 })).toEqual([]);
    expect(h.bot.context.latch.state().halt).toMatchObject({ by: 'U0ONCALL', reason: 'incident' });
    expect(h.bot.context.runner.inFlightCount).toBe(0);
  });

  it('twenty concurrent run-once give one attack; the others are told one is in flight', async () => {
    const built = slowHealth();
    h = built.h;
    const launched = launches(h);
    const asks = Array.from({ length: 20 }, () => say(h, 'run-once'));
    await settle();
    expect(built.health.pending).toBe(1);
    // The health gate, then the attack's steady state before it starts.
    built.health.answer(true);
    await settle();
    built.health.answer(true);
    await Promise.all(asks);
    expect(launched.filter((l) => l.ok)).toHaveLength(1);
    expect(launched.filter((l) => !l.ok && l.refusal.kind === 'in-flight')).toHaveLength(19);
    expect(h.executor.runs).toHaveLength(1);
    expect(h.store.history({ limit: 50 })).toHaveLength(1);
  });

  it('a tick racing a run-once gives one attack', async () => {
    const built = slowHealth();
    h = built.h;
    const launched = launches(h);
    const ticking = h.bot.tick();
    const asking = say(h, 'run-once');
    await settle();
    // The tick reserved the slot first: the run-once is refused while it still checks health.
    expect(launched).toEqual([{ ok: false, refusal: { kind: 'in-flight' } }]);
    expect(h.bot.context.runner.list()).toMatchObject([{ id: null, request: { asker: 'schedule' } }]);
    built.health.answer(true);
    await settle();
    built.health.answer(true);
    expect(await ticking).toMatchObject({ kind: 'attacked' });
    await asking;
    expect(h.executor.runs).toHaveLength(1);
  });

  it('does not start when Slack disconnects while the announcement is being posted', async () => {
    h = harness();
    let accept: () => void = () => {};
    h.chat.startGate = new Promise((r) => {
      accept = r;
    });
    const launched = launches(h);
    const asking = say(h, 'run-once');
    await settle();
    h.chat.hearingState = { ok: false, reason: 'Socket Mode disconnected' };
    accept();
    await asking;
    expect(launched).toMatchObject([{ ok: false, refusal: { kind: 'deaf' }, record: { id: '1', state: 'cancelled' } }]);
    expect(h.executor.startCalls).toBe(0);
    expect(h.store.history({ limit: 1 })[0]).toMatchObject({
      state: 'cancelled',
      ending: { kind: 'cancelled', by: { kind: 'deaf', forMs: null, why: 'Socket Mode disconnected' }, refusal: null },
    });
  });

  it('no announcement, no attack: a refused announcement starts nothing and says why', async () => {
    h = harness();
    h.chat.startAnswer = { ok: false, reason: 'Slack refused the announcement: channel_not_found' };
    const outcome = await h.bot.tick();
    expect(outcome).toMatchObject({ kind: 'skipped', code: 'announce' });
    expect(h.executor.startCalls).toBe(0);
    expect(h.store.history({ limit: 1 })[0]).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('channel_not_found'),
      ending: { kind: 'refused', refusal: { kind: 'announce', cause: expect.stringContaining('channel_not_found') } },
    });
  });
});

describe('stop', () => {
  it('is idempotent: a second stop says who halted first and changes nothing', async () => {
    h = harness();
    await say(h, 'stop deploy freeze', 'U0FIRST');
    const events = h.chat.events.length;
    await say(h, 'stop other reason', 'U0SECOND');
    expect(h.bot.context.latch.state().halt).toMatchObject({ by: 'U0FIRST', reason: 'deploy freeze', at: h.clock.now() });
    expect(h.store.getState().halt).toMatchObject({ by: 'U0FIRST', reason: 'deploy freeze' });
    expect(audited(h, 'stop')).toEqual(['ok', 'ok']);
    expect(h.chat.events.length).toBe(events);
  });

  it('two concurrent stops credit the same person in the latch and the record', async () => {
    h = harness();
    await h.bot.tick();
    await Promise.all([say(h, 'stop one', 'U0ONE'), say(h, 'stop two', 'U0TWO')]);
    // One halt, announced once, the first stop's: the second found it latched.
    expect(eventsOf(h, 'halted')).toMatchObject([{ halt: { by: 'U0ONE', reason: 'one' } }]);
    await h.bot.context.runner.idle();
    expect(h.store.getState().halt?.by).toBe('U0ONE');
    expect(h.store.history({ limit: 1 })[0]?.ending).toMatchObject({ kind: 'stopped', by: 'U0ONE', note: 'one' });
  });

  it('status during an attack says the next one waits for it and the cooldown, not "at the next tick"', async () => {
    h = harness();
    await h.bot.tick();
    expect(h.bot.context.runner.list()).toMatchObject([{ id: '1' }]);
    const text = (await say(h, 'status')).text;
    // Kept: this line is the behaviour under test (status's own words); no data carries it.
    expect(text.split('\n')).toContain(
      'Next attack: after the attack in flight ends and the cooldown (10m) passes, if every health check passes.',
    );
  });

  it('answers before the host does, and the result follows when it arrives', async () => {
    h = harness();
    await h.bot.tick();
    let answer: () => void = () => {};
    const hostAnswers = new Promise<void>((r) => {
      answer = r;
    });
    h.executor.abortGate = hostAnswers;
    await say(h, 'stop');
    expect(reverting(h)).toEqual([['1']]);
    expect(h.store.getAttack('1')?.state).toBe('aborting');
    expect(h.bot.context.runner.list()).toMatchObject([{ id: '1', life: { phase: 'aborting' } }]);
    expect(h.bot.context.runner.records.get('1')?.state).toBe('aborting');
    answer();
    await h.bot.context.runner.idle();
    expect(h.store.getAttack('1')).toMatchObject({ state: 'reverted' });
    expect(h.chat.kinds().slice(-2)).toEqual(['attack-ended', 'verdict']);
  });
});

describe('endings told as they are', () => {
  it('a failed rollback says the fault may still be in place, with the output and the command to run by hand', async () => {
    h = harness({ dryRun: false });
    h.executor.abortAnswer = 'failed';
    await h.bot.tick();
    await say(h, 'stop');
    await h.bot.context.runner.idle();
    const record = h.store.getAttack('1');
    expect(record).toMatchObject({
      state: 'failed',
      rollbackOk: false,
      unconfirmed: false,
      ending: { kind: 'stopped', by: 'admin', revert: 'failed' },
    });
    // The fault may still be in place, with the command to run by hand.
    expect(h.bot.context.faults.list()).toMatchObject([
      { id: '1', attack: 'cpu-burn', host: record?.host, manualRollback: "ssh -p 22 chaoscat@127.0.0.1 'sh -c rollback'" },
    ]);
    expect(eventsOf(h, 'fault-may-remain')).toMatchObject([{ fault: { id: '1' } }]);
    expect(eventsOf(h, 'attack-ended')).toMatchObject([{ record: { id: '1', ending: { revert: 'failed' } } }]);
    expect(h.store.history({ limit: 5, failedOnly: true }).map((r) => r.id)).toEqual(['1']);
  });

  it('an unreachable host is checked at the next contact, and what was left is told', async () => {
    h = harness({ dryRun: false });
    h.executor.abortAnswer = 'unreachable';
    await say(h, 'run-once cpu-burn web-1');
    await say(h, 'stop');
    await h.bot.context.runner.idle();
    expect(h.store.getAttack('1')).toMatchObject({ unconfirmed: true, ending: { kind: 'stopped', revert: 'unreachable' } });
    // Its fault may remain: the halt holds until an admin resolves it (issue 22), not by start alone.
    await say(h, 'start');
    expect(audited(h, 'start')).toEqual(['refused']);
    expect(h.bot.context.latch.state().halt).not.toBeNull();
    expect(h.bot.context.faults.list()).toMatchObject([{ id: '1', attack: 'cpu-burn', host: 'web-1' }]);
    await say(h, 'resolve #1 looked at the host');
    await say(h, 'start');
    h.executor.abortAnswer = 'reverted';
    const launched = launches(h);
    await say(h, 'run-once cpu-burn web-1');
    expect(launched).toMatchObject([{ ok: true, record: { id: '2' } }]);
    expect(h.executor.recovered.map((o) => o.id)).toEqual([`${h.store.instanceId()}-1`]);
    expect(h.store.getAttack('1')).toMatchObject({ unconfirmed: false, rollbackOk: true });
    // What the check found is told: nothing of it was left, and its rollback ran.
    expect(eventsOf(h, 'notice')).toMatchObject([
      {
        notice: {
          kind: 'end-checked',
          record: { id: '1', attack: 'cpu-burn', host: 'web-1' },
          result: { outcome: 'reverted' },
          at: h.clock.now(),
        },
      },
    ]);
  });
});

describe('the next contact', () => {
  it('refuses a new attack on a host where the check finds the earlier fault may remain', async () => {
    h = harness({ dryRun: false });
    h.executor.abortAnswer = 'unreachable';
    await say(h, 'run-once cpu-burn web-1');
    await say(h, 'stop');
    await h.bot.context.runner.idle();
    await say(h, 'resolve #1 looked at the host');
    await say(h, 'start');
    h.executor.recoverAnswer = {
      outcome: 'failed',
      found: { kind: 'left', host: 'web-1', alive: 0, rollback: 3 },
      tookMs: 40,
      manualRollback: "ssh -p 22 chaoscat@127.0.0.1 'sh -c rollback'",
    };
    const launched = launches(h);
    await say(h, 'run-once cpu-burn web-1');
    // The check's finding opens the fault again: the halt it latches is what refuses the attack.
    expect(launched).toMatchObject([{ ok: false, refusal: { kind: 'halted' }, record: { id: '2', state: 'cancelled' } }]);
    expect(h.store.getAttack('2')?.ending).toMatchObject({
      kind: 'cancelled',
      by: { kind: 'stopped', by: FAULT_HALT_BY },
      refusal: null,
    });
    expect(h.executor.startCalls).toBe(1);
    // What the check found is kept with its ending too: the archive no longer says "not confirmed".
    expect(h.store.getAttack('1')).toMatchObject({
      unconfirmed: false,
      rollbackOk: false,
      ending: { revert: 'unreachable', checked: 'failed' },
    });
    expect(h.bot.context.faults.list()).toMatchObject([
      { id: '1', manualRollback: "ssh -p 22 chaoscat@127.0.0.1 'sh -c rollback'" },
    ]);
    // What the check found opens the fault again, and halts.
    expect(h.bot.context.faults.list().map((f) => f.id)).toEqual(['1']);
    expect(h.bot.context.latch.state().halt?.by).toBe('rollback-failed');
  });
});

describe('the next contact, when the store cannot say', () => {
  it('refuses the attack when the attacks whose end nobody saw cannot be read (fail closed)', async () => {
    h = harness({ dryRun: false });
    // A real read that fails: the column the check reads is gone (a damaged or foreign database).
    h.store.handle.exec('ALTER TABLE attacks RENAME COLUMN unconfirmed TO unconfirmed_gone');
    const launched = launches(h);
    await say(h, 'run-once cpu-burn web-1');
    // The executor's own pre-flight passes: the refusal is the check that could not read the store.
    expect(launched).toMatchObject([
      {
        ok: false,
        record: {
          id: '1',
          state: 'failed',
          ending: { kind: 'refused', refusal: { kind: 'fault-remains', left: [{ kind: 'unread', host: 'web-1' }] } },
        },
      },
    ]);
    expect(h.executor.recovered).toEqual([]);
    expect(h.executor.startCalls).toBe(0);
  });
});

describe('--force', () => {
  it('skips the health gate for the attack’s whole life and says so in the announcement', async () => {
    h = harness({ schedule: { tick: '* * * * *', cooldown: '10m', healthInterval: '10s' } });
    h.health.report = {
      healthy: false,
      results: [{ name: 'api', kind: 'http', healthy: false, reason: 'HTTP 500', durationMs: 1 }],
    };
    const launched = launches(h);
    // Kept: the refusal must tell the asker how to get past it; no data carries that.
    expect((await say(h, 'run-once')).text).toMatch(/An admin may add `--force`/);
    await say(h, 'run-once --force');
    expect(launched).toMatchObject([
      { ok: false, refusal: { kind: 'unhealthy' } },
      { ok: true, record: { id: '1' } },
    ]);
    expect(h.bot.context.runner.list()).toMatchObject([{ id: '1', request: { force: true } }]);
    // The probes still observe (for the verdict), but nothing aborts the forced attack.
    await h.timers.advance(59_000);
    expect(h.executor.runs[0]?.aborted).toBeNull();
    expect(h.bot.context.runner.list()[0]?.life.phase).toBe('running');
    const started = h.chat.events.find((e) => e.kind === 'attack-started' && e.record.id === '1');
    expect(started?.kind === 'attack-started' && started.note).toEqual({ forcedBy: { kind: 'user', user: 'admin' } });
  });
});

describe('deafness during an attack', () => {
  it('reverts the attack after schedule.deafTimeout and says why once the bot hears again', async () => {
    h = harness({ schedule: { tick: '* * * * *', cooldown: '10m', deafTimeout: '30s' } });
    await h.bot.tick();
    h.chat.hearingState = { ok: false, reason: 'Socket Mode disconnected' };
    await h.timers.advance(20_000);
    expect(h.executor.runs[0]?.aborted).toBeNull();
    await h.timers.advance(15_000);
    expect(h.executor.runs[0]?.aborted).not.toBeNull();
    await h.bot.context.runner.idle();
    // The ending is kept as data: the report counts it among the automatic aborts (issue 23).
    expect(h.store.getAttack('1')).toMatchObject({
      state: 'reverted',
      ending: { kind: 'deaf', forMs: 30_000, why: 'Socket Mode disconnected', revert: 'reverted' },
    });
    expect(endingOf(h.store.getAttack('1') as AttackRecord)).toBe('aborted');
    expect(h.chat.kinds()).not.toContain('notice');
    h.chat.hearingState = { ok: true };
    await h.timers.advance(1_000);
    // Deaf from 12:00:01 to 12:00:36 PST, longer than the 30 s allowed: it told the host to revert #1.
    const noon = Date.parse('2026-11-24T20:00:00Z');
    expect(eventsOf(h, 'notice')).toMatchObject([
      {
        notice: {
          kind: 'deaf-reverted',
          from: noon + 1_000,
          to: noon + 36_000,
          why: 'Socket Mode disconnected',
          timeoutMs: 30_000,
          attacks: [{ id: '1', attack: 'cpu-burn' }],
        },
      },
    ]);
  });

  it('a short disconnect does not revert anything', async () => {
    h = harness({ schedule: { tick: '* * * * *', cooldown: '10m', deafTimeout: '30s' } });
    await h.bot.tick();
    h.chat.hearingState = { ok: false, reason: 'Socket Mode disconnected' };
    await h.timers.advance(20_000);
    h.chat.hearingState = { ok: true };
    await h.timers.advance(20_000);
    expect(h.executor.runs[0]?.aborted).toBeNull();
    expect(h.bot.context.runner.inFlightCount).toBe(1);
  });
});

describe('a store that fails mid-attack', () => {
  it('keeps the true outcome in memory, shows it, and writes it once the store is back', async () => {
    h = harness();
    await h.bot.tick();
    h.store.handle.pragma('query_only = ON');
    h.executor.runs[0]?.finish({ exitCode: 0, outputTail: 'burnt' });
    await settle();
    expect(h.bot.context.runner.inFlightCount).toBe(0);
    expect(h.store.getAttack('1')?.state).toBe('running');
    // This process knows the truth the store could not take.
    expect(h.bot.context.runner.records.get('1')).toMatchObject({
      state: 'completed',
      dryRun: true,
      ending: { kind: 'completed' },
    });
    expect(h.bot.context.runner.records.unsaved).toBeGreaterThan(0);
    h.store.handle.pragma('query_only = OFF');
    await h.timers.advance(5_000);
    expect(h.store.getAttack('1')).toMatchObject({ state: 'completed', exitCode: 0, outputTail: 'burnt', rollbackOk: true });
    expect(h.bot.context.runner.records.unsaved).toBe(0);
    // The cooldown was kept too.
    expect(h.store.getState().cooldownUntil).not.toBeNull();
  });
});

describe('shutdown', () => {
  it('reverts what is in flight and waits for the host before it returns', async () => {
    h = harness();
    await h.bot.tick();
    const outcomes = await h.bot.shutdown('SIGHUP');
    expect(outcomes).toHaveLength(1);
    expect(h.store.getAttack('1')).toMatchObject({
      state: 'reverted',
      ending: { kind: 'shutdown', signal: 'SIGHUP', revert: 'reverted' },
    });
    expect(h.chat.kinds()).toContain('shutdown');
  });
});

describe('a database that goes away during a launch', () => {
  it('starts nothing (the state is unreadable), leaves no flight behind, and stop still latches in memory', async () => {
    h = harness();
    let accept: () => void = () => {};
    h.chat.startGate = new Promise((r) => {
      accept = r;
    });
    const launched = launches(h);
    const asking = say(h, 'run-once');
    await settle();
    h.store.handle.close();
    accept();
    await asking;
    // The state cannot be read: the latch fails safe, halted by the system.
    expect(launched).toMatchObject([{ ok: false, refusal: { kind: 'halted' } }]);
    expect(h.bot.context.latch.state().halt).toMatchObject({ by: 'system', reason: 'state unreadable' });
    expect(h.executor.startCalls).toBe(0);
    expect(h.bot.context.runner.inFlightCount).toBe(0);
    await say(h, 'stop');
    // The stop latches in memory, though the database refused it.
    expect(eventsOf(h, 'halted')).toMatchObject([{ halt: { by: 'admin' } }]);
    expect(h.bot.context.latch.state().halt).toMatchObject({ by: 'admin' });
    expect(await h.bot.tick()).toMatchObject({ kind: 'skipped', code: 'halted' });
  });

  it('an attack already running when the database goes away still settles and stop answers', async () => {
    h = harness();
    await h.bot.tick();
    h.store.handle.close();
    await say(h, 'stop');
    expect(reverting(h)).toEqual([['1']]);
    await h.bot.context.runner.idle();
    expect(h.bot.context.runner.inFlightCount).toBe(0);
    // Its ending is kept in memory, waiting for the database.
    expect(h.bot.context.runner.records.get('1')).toMatchObject({ state: 'reverted', ending: { kind: 'stopped', by: 'admin' } });
    expect(h.bot.context.runner.records.unsaved).toBeGreaterThan(0);
  });
});

describe('who cancelled', () => {
  it('says "by stop" only for a stop; a shutdown cancelling a waiting run-once says so', async () => {
    let health: ControlledHealth | undefined;
    h = harness({}, undefined, {
      customHealth: (clock) => {
        health = new ControlledHealth(clock);
        return health;
      },
    });
    const launched = launches(h);
    const asking = say(h, 'run-once');
    await settle();
    await h.bot.shutdown('SIGTERM');
    (health as ControlledHealth).answer(true);
    await asking;
    // Cancelled by the shutdown, not by a stop: no halt was latched or told.
    expect(launched).toEqual([{ ok: false, refusal: { kind: 'cancelled', why: { kind: 'shutdown', signal: 'SIGTERM' } } }]);
    expect(eventsOf(h, 'halted')).toEqual([]);
    expect(h.executor.startCalls).toBe(0);
  });
});
