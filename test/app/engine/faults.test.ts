import { afterEach, describe, expect, it } from 'vitest';
import { FAULT_HALT_BY } from '../../../src/domain/fault.js';
import { plainText } from '../../../src/words/tokens.js';
import { type Harness, harness, say } from '../../support/bot-harness.js';
import { audited, eventsOf, launches } from '../../support/endings.js';
import { settle } from '../../support/fakes.js';

/** A fault that may remain (issue 22, case 7): a failed rollback or an unconfirmed end latches the halt until resolved. */
let h: Harness | undefined;
afterEach(() => h?.close());

const live = () =>
  harness({ dryRun: false, schedule: { tick: '* * * * *', cooldown: '0s' } }, [
    { name: 'cpu-burn', weight: 10, targets: ['web'] },
  ]);

async function attackWithFailedRollback(x: Harness): Promise<string> {
  const launched = launches(x);
  await say(x, 'run-once cpu-burn web-1');
  const [started] = launched;
  if (!started?.ok) throw new Error(`run-once did not start: ${JSON.stringify(started)}`);
  await settle();
  const run = x.executor.runs.find((r) => !r.ended);
  run?.finish({
    outcome: 'failed',
    exitCode: 0,
    rollbackOk: false,
    end: { kind: 'rollback-failed', exit: 3, survivors: false },
    manualRollback: 'ssh -p 22 chaoscat@127.0.0.1 /bin/sh /tmp/chaoscat-x/manual.sh',
  });
  await settle();
  await x.timers.advance(10 * 60_000);
  await settle();
  expect(x.store.getAttack(started.record.id)).toMatchObject({
    state: 'failed',
    rollbackOk: false,
    ending: { kind: 'rollback-failed', end: { kind: 'rollback-failed', exit: 3, survivors: false } },
  });
  return started.record.id;
}

describe('a fault that may remain', () => {
  it('latches the halt, is told in the channel, comes first in status, and nothing starts after it', async () => {
    h = live();
    const id = await attackWithFailedRollback(h);
    expect(h.bot.context.latch.state().halt?.by).toBe(FAULT_HALT_BY);
    expect(eventsOf(h, 'fault-may-remain')).toMatchObject([
      {
        fault: {
          id,
          attack: 'cpu-burn',
          host: 'web-1',
          manualRollback: 'ssh -p 22 chaoscat@127.0.0.1 /bin/sh /tmp/chaoscat-x/manual.sh',
          confirmedAt: null,
        },
      },
    ]);
    const first = (await say(h, 'status')).text.split('\n')[0] ?? '';
    // Kept: status must lead with the fault and say how to clear it; that order and hint are its words alone.
    expect(plainText(first)).toMatch(new RegExp(`^FAULT MAY REMAIN: #${id} cpu-burn on web-1 since \\d\\d:\\d\\d PST — `));
    expect(first).toContain(`\`resolve #${id}\``);
    const runs = h.executor.runs.length;
    const launched = launches(h);
    expect(await h.bot.tick()).toMatchObject({ kind: 'skipped', code: 'halted' });
    await say(h, 'run-once cpu-burn web-2');
    expect(launched).toMatchObject([
      { ok: false, refusal: { kind: 'halted' } },
      { ok: false, refusal: { kind: 'halted' } },
    ]);
    await settle();
    expect(h.executor.runs.length).toBe(runs);
  });

  it('is not cleared by start; an admin resolves it, then start resumes', async () => {
    h = live();
    const id = await attackWithFailedRollback(h);
    await say(h, 'start');
    expect(audited(h, 'start')).toEqual(['refused']);
    expect(h.bot.context.latch.state().halt?.by).toBe(FAULT_HALT_BY);
    await say(h, `resolve #${id} iptables rule removed by hand`, 'UNOBODY');
    await say(h, 'resolve #999');
    // Neither the non-admin nor an unknown id resolves anything.
    expect(audited(h, 'resolve')).toEqual(['refused', 'invalid']);
    expect(h.bot.context.faults.list().map((f) => f.id)).toEqual([id]);
    await say(h, `resolve #${id} iptables rule removed by hand`);
    expect(audited(h, 'resolve')).toEqual(['refused', 'invalid', 'ok']);
    expect(h.bot.context.faults.list()).toEqual([]);
    // Resolved, but still halted until an admin says start.
    expect(h.bot.context.latch.state().halt?.by).toBe(FAULT_HALT_BY);
    await say(h, 'start');
    expect(audited(h, 'start')).toEqual(['refused', 'ok']);
    expect(eventsOf(h, 'resumed')).toMatchObject([{ by: 'admin' }]);
    expect(h.bot.context.latch.state().halt).toBeNull();
  });

  it('survives a restart: still first in status, start still refused', async () => {
    h = live();
    const id = await attackWithFailedRollback(h);
    h = h.restart();
    expect(h.bot.context.faults.list().map((f) => f.id)).toEqual([id]);
    expect(h.bot.context.latch.state().halt?.by).toBe(FAULT_HALT_BY);
    await say(h, 'start');
    expect(audited(h, 'start')).toEqual(['refused']);
    expect(h.bot.context.latch.state().halt?.by).toBe(FAULT_HALT_BY);
  });

  it('opens for a host that could not be reached to revert (its end unconfirmed)', async () => {
    h = live();
    h.executor.abortAnswer = 'unreachable';
    const launched = launches(h);
    await say(h, 'run-once cpu-burn web-1');
    expect(launched).toMatchObject([{ ok: true, record: { host: 'web-1' } }]);
    const id = launched[0]?.record?.id;
    await settle();
    await say(h, 'stop maintenance', 'UONCALL');
    await h.timers.advance(60_000);
    await settle();
    expect(h.store.getAttack(id ?? '')).toMatchObject({ unconfirmed: true, ending: { kind: 'stopped', revert: 'unreachable' } });
    expect(h.bot.context.faults.list()).toMatchObject([{ id, host: 'web-1' }]);
    await say(h, 'start');
    expect(audited(h, 'start')).toEqual(['refused']);
    expect(h.bot.context.latch.state().halt).not.toBeNull();
  });

  it('never opens in a dry run (nothing was touched)', async () => {
    h = harness({ dryRun: true }, [{ name: 'cpu-burn', weight: 10, targets: ['web'] }]);
    await attackWithFailedRollback(h);
    expect(h.bot.context.faults.list()).toEqual([]);
  });
});
