import { afterEach, describe, expect, it } from 'vitest';
import type { AttackRecord } from '../../../src/domain/model.js';
import { endingOf } from '../../../src/domain/report-bars.js';
import { noticeWords } from '../../../src/words/notices.js';
import { plainText } from '../../../src/words/tokens.js';
import { type Harness, harness, say } from '../../support/bot-harness.js';
import { ControlledHealth, settle } from '../../support/fakes.js';
import { shown } from '../../support/shown.js';

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
    const asking = say(h, 'run-once');
    await settle();
    expect(built.health.pending).toBe(1);
    const stop = await say(h, 'stop incident', 'U0ONCALL');
    expect(stop.text).toMatch(/Cancelled run-once by admin \(it was still checking health\)/);
    built.health.answer(true);
    expect((await asking).text).toMatch(/^Cancelled: stopped by <@U0ONCALL>: incident/);
    expect(h.executor.startCalls).toBe(0);
    expect(h.store.history({ limit: 5 })).toEqual([]);
    expect((await say(h, 'status')).text).toMatch(/Halted.*\n.*In flight: nothing/);
  });

  it('twenty concurrent run-once give one attack; the others are told one is in flight', async () => {
    const built = slowHealth();
    h = built.h;
    const asks = Array.from({ length: 20 }, () => say(h, 'run-once'));
    await settle();
    expect(built.health.pending).toBe(1);
    // The health gate, then the attack's steady state before it starts.
    built.health.answer(true);
    await settle();
    built.health.answer(true);
    const replies = await Promise.all(asks);
    expect(replies.filter((r) => r.text.startsWith('Started'))).toHaveLength(1);
    expect(replies.filter((r) => /in flight \(run-once by admin, checking health\)/.test(r.text))).toHaveLength(19);
    expect(h.executor.runs).toHaveLength(1);
    expect(h.store.history({ limit: 50 })).toHaveLength(1);
  });

  it('a tick racing a run-once gives one attack', async () => {
    const built = slowHealth();
    h = built.h;
    const ticking = h.bot.tick();
    const asking = say(h, 'run-once');
    await settle();
    built.health.answer(true);
    await settle();
    built.health.answer(true);
    expect(await ticking).toMatchObject({ kind: 'attacked' });
    expect((await asking).text).toMatch(/in flight \(a scheduled attack, checking health\)/);
    expect(h.executor.runs).toHaveLength(1);
  });

  it('does not start when Slack disconnects while the announcement is being posted', async () => {
    h = harness();
    let accept: () => void = () => {};
    h.chat.startGate = new Promise((r) => {
      accept = r;
    });
    const asking = say(h, 'run-once');
    await settle();
    h.chat.hearingState = { ok: false, reason: 'Socket Mode disconnected' };
    accept();
    expect((await asking).text).toMatch(/Not starting: cannot hear stop: Socket Mode disconnected/);
    expect(h.executor.startCalls).toBe(0);
    expect(h.store.history({ limit: 1 })[0]).toMatchObject({
      state: 'cancelled',
      reason: 'cancelled before it touched the host: cannot hear stop: Socket Mode disconnected',
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
      reason: expect.stringMatching(/the announcement could not be posted \(.*channel_not_found\); no announcement, no attack/),
    });
  });
});

describe('stop', () => {
  it('is idempotent: a second stop says who halted first and changes nothing', async () => {
    h = harness();
    await say(h, 'stop deploy freeze', 'U0FIRST');
    const events = h.chat.events.length;
    const second = await say(h, 'stop other reason', 'U0SECOND');
    expect(plainText(second.text)).toMatch(/^Already halted by @U0FIRST at 12:00 PST: deploy freeze\. The halt is unchanged\./);
    expect(h.bot.context.latch.state().halt).toMatchObject({ by: 'U0FIRST', reason: 'deploy freeze' });
    expect(h.chat.events.length).toBe(events);
  });

  it('two concurrent stops credit the same person in the latch and the record', async () => {
    h = harness();
    await h.bot.tick();
    const [a, b] = await Promise.all([say(h, 'stop one', 'U0ONE'), say(h, 'stop two', 'U0TWO')]);
    expect(a.text).toMatch(/^Halted by <@U0ONE>/);
    expect(b.text).toMatch(/^Already halted by <@U0ONE>/);
    await h.bot.context.runner.idle();
    expect(h.store.getState().halt?.by).toBe('U0ONE');
    expect(h.store.history({ limit: 1 })[0]?.reason).toMatch(/^stopped by <@U0ONE>: one/);
  });

  it('status during an attack says the next one waits for it and the cooldown, not "at the next tick"', async () => {
    h = harness();
    await h.bot.tick();
    const text = (await say(h, 'status')).text;
    expect(text).toMatch(/In flight: #1 /);
    expect(text).toMatch(/Next attack: after the attack in flight ends and the cooldown \(10m\) passes/);
    expect(text).not.toMatch(/at the next tick/);
  });

  it('answers before the host does, and the result follows when it arrives', async () => {
    h = harness();
    await h.bot.tick();
    let answer: () => void = () => {};
    const hostAnswers = new Promise<void>((r) => {
      answer = r;
    });
    h.executor.abortGate = hostAnswers;
    const reply = await say(h, 'stop');
    expect(reply.text).toMatch(/Reverting 1 attack: #1; each result follows/);
    expect(h.store.getAttack('1')?.state).toBe('aborting');
    expect((await say(h, 'status')).text).toMatch(/In flight: #1 cpu-burn on web-\d .*aborting/);
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
    expect(record).toMatchObject({ state: 'failed', rollbackOk: false });
    expect(record?.reason).toMatch(/revert FAILED on web-\d: .* — the fault may still be in place\./);
    expect(record?.reason).toMatch(/Rollback output: "iptables: Resource temporarily unavailable\."/);
    expect(record?.reason).toMatch(/To roll back by hand: ssh -p 22 chaoscat@127\.0\.0\.1 'sh -c rollback'/);
    expect(record?.reason).not.toMatch(/ends by itself/);
    expect(shown(await say(h, 'history failed'))).toMatch(/#?1 .* failed/);
  });

  it('an unreachable host is checked at the next contact, and what was left is told', async () => {
    h = harness({ dryRun: false });
    h.executor.abortAnswer = 'unreachable';
    await say(h, 'run-once cpu-burn web-1');
    await say(h, 'stop');
    await h.bot.context.runner.idle();
    expect(h.store.getAttack('1')).toMatchObject({ unconfirmed: true });
    // Its fault may remain: the halt holds until an admin resolves it (issue 22), not by start alone.
    expect((await say(h, 'start')).text).toContain('Still halted: a fault may remain (#1 cpu-burn on web-1)');
    await say(h, 'resolve #1 looked at the host');
    await say(h, 'start');
    h.executor.abortAnswer = 'reverted';
    expect((await say(h, 'run-once cpu-burn web-1')).text).toMatch(/^Started #2/);
    expect(h.executor.recovered.map((o) => o.id)).toEqual([`${h.store.instanceId()}-1`]);
    expect(h.store.getAttack('1')).toMatchObject({ unconfirmed: false, rollbackOk: true });
    expect(plainText(h.store.getAttack('1')?.reason ?? '')).toMatch(
      /checked 12:00 PST at the next contact: nothing of it was left and its rollback ran/,
    );
    const notice = h.chat.events.find((e) => e.kind === 'notice');
    expect(notice?.kind === 'notice' && plainText(noticeWords(notice.notice, h.config.timezone))).toMatch(
      /#1 cpu-burn on web-1 \(its end was not confirmed\): checked 12:00 PST/,
    );
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
      detail: 'processes gone on web-1, but the rollback failed (exit 3)',
      tookMs: 40,
      manualRollback: "ssh -p 22 chaoscat@127.0.0.1 'sh -c rollback'",
    };
    const reply = await say(h, 'run-once cpu-burn web-1');
    // The check's finding opens the fault again: the halt it latches is what refuses the attack.
    expect(reply.text).toMatch(
      /halted by rollback-failed .*#1 cpu-burn on web-1: the fault may still be in place \(the check at the next contact found: /,
    );
    expect(reply.text).toContain('`resolve #1`');
    expect(h.executor.startCalls).toBe(1);
    expect(h.store.getAttack('1')).toMatchObject({ unconfirmed: false, rollbackOk: false });
    expect(h.store.getAttack('1')?.reason).toMatch(/To roll back by hand: ssh/);
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
    const reply = await say(h, 'run-once cpu-burn web-1');
    expect(reply.text).toMatch(/web-1: the attacks whose end nobody saw could not be read \(/);
    expect(reply.text).toContain('not attacking a host where an earlier fault may remain');
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
    expect((await say(h, 'run-once')).text).toMatch(/An admin may add `--force`/);
    const reply = await say(h, 'run-once --force');
    expect(reply.text).toMatch(/^Started #1 .*Health gate skipped \(--force\) for its whole life/);
    // The probes still observe (for the verdict), but nothing aborts the forced attack.
    await h.timers.advance(59_000);
    expect(h.executor.runs[0]?.aborted).toBeNull();
    expect(h.bot.context.runner.list()[0]?.life.phase).toBe('running');
    const started = h.chat.events.find((e) => e.kind === 'attack-started' && e.record.id === '1');
    expect(started?.kind === 'attack-started' && started.note).toBe(
      "Health gate skipped (--force by admin) for this attack's whole life.",
    );
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
    expect(h.executor.runs[0]?.aborted).toMatch(/could not hear `stop` for 3\ds \(Socket Mode disconnected\)/);
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
    const notice = h.chat.events.find((e) => e.kind === 'notice');
    expect(notice?.kind === 'notice' && plainText(noticeWords(notice.notice, h.config.timezone))).toMatch(
      /could not hear `stop` from 12:00:01 PST to 12:00:36 PST .* so it told the host to revert #1 cpu-burn/,
    );
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
    expect((await say(h, 'status')).text).toMatch(/In flight: nothing/);
    expect(shown(await say(h, 'history'))).toMatch(/completed \(dry\)/);
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
    const outcomes = await h.bot.shutdown('received SIGHUP');
    expect(outcomes).toHaveLength(1);
    expect(h.store.getAttack('1')).toMatchObject({
      state: 'reverted',
      reason: expect.stringMatching(/^received SIGHUP: reverted/),
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
    const asking = say(h, 'run-once');
    await settle();
    h.store.handle.close();
    accept();
    expect((await asking).text).toMatch(/^Not starting: halted by system at .*: state unreadable/);
    expect(h.executor.startCalls).toBe(0);
    expect(h.bot.context.runner.inFlightCount).toBe(0);
    const stop = await say(h, 'stop');
    expect(stop.text).toMatch(/^Halted by admin\./);
    expect(stop.text).toMatch(
      /the database refused the halt .*written to the database before anything else once it takes writes again/,
    );
    expect(await h.bot.tick()).toMatchObject({ kind: 'skipped', code: 'halted' });
  });

  it('an attack already running when the database goes away still settles and stop answers', async () => {
    h = harness();
    await h.bot.tick();
    h.store.handle.close();
    const stop = await say(h, 'stop');
    expect(stop.text).toMatch(/Reverting 1 attack: #1;/);
    await h.bot.context.runner.idle();
    expect(h.bot.context.runner.inFlightCount).toBe(0);
    expect((await say(h, 'status')).text).toMatch(/The database refuses writes: \d+ kept in memory/);
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
    const asking = say(h, 'run-once');
    await settle();
    await h.bot.shutdown('received SIGTERM');
    (health as ControlledHealth).answer(true);
    expect((await asking).text).toBe('Cancelled: received SIGTERM.');
  });
});
