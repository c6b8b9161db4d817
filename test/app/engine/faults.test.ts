import { afterEach, describe, expect, it } from 'vitest';
import { FAULT_HALT_BY } from '../../../src/domain/fault.js';
import { plainText } from '../../../src/words/tokens.js';
import { type Harness, harness, say } from '../../support/bot-harness.js';
import { settle } from '../../support/fakes.js';

/** A fault that may remain (issue 22, case 7): a failed rollback or an unconfirmed end latches the halt until resolved. */
let h: Harness | undefined;
afterEach(() => h?.close());

const live = () =>
  harness({ dryRun: false, schedule: { tick: '* * * * *', cooldown: '0s' } }, [
    { name: 'cpu-burn', weight: 10, targets: ['web'] },
  ]);

async function attackWithFailedRollback(x: Harness): Promise<string> {
  const reply = await say(x, 'run-once cpu-burn web-1');
  expect(reply.text).toMatch(/Started #\d+/);
  await settle();
  const run = x.executor.runs.find((r) => !r.ended);
  run?.finish({
    outcome: 'failed',
    exitCode: 0,
    rollbackOk: false,
    reason: 'the rollback failed (exit 3)',
    manualRollback: 'ssh -p 22 chaoscat@127.0.0.1 /bin/sh /tmp/chaoscat-x/manual.sh',
  });
  await settle();
  await x.timers.advance(10 * 60_000);
  await settle();
  const id = /#(\d+)/.exec(reply.text)?.[1] as string;
  return id;
}

describe('a fault that may remain', () => {
  it('latches the halt, is told in the channel, comes first in status, and nothing starts after it', async () => {
    h = live();
    const id = await attackWithFailedRollback(h);
    expect(h.bot.context.latch.state().halt?.by).toBe(FAULT_HALT_BY);
    const told = h.chat.events.find((e) => e.kind === 'fault-may-remain');
    expect(told).toMatchObject({ fault: { id, attack: 'cpu-burn', host: 'web-1' } });
    const status = await say(h, 'status');
    expect(plainText(status.text).split('\n')[0]).toMatch(
      new RegExp(`^FAULT MAY REMAIN: #${id} cpu-burn on web-1 since \\d\\d:\\d\\d PST — `),
    );
    expect(status.text.split('\n')[0]).toContain(`\`resolve #${id}\``);
    expect(status.text.split('\n')[0]).toContain(
      'To roll back by hand: ssh -p 22 chaoscat@127.0.0.1 /bin/sh /tmp/chaoscat-x/manual.sh',
    );
    const runs = h.executor.runs.length;
    await h.bot.tick();
    expect((await say(h, 'run-once cpu-burn web-2')).text).toMatch(/Not starting: halted by rollback-failed/);
    await settle();
    expect(h.executor.runs.length).toBe(runs);
  });

  it('is not cleared by start; an admin resolves it, then start resumes', async () => {
    h = live();
    const id = await attackWithFailedRollback(h);
    const refused = await say(h, 'start');
    expect(refused.text).toContain(`Still halted: a fault may remain (#${id} cpu-burn on web-1)`);
    expect(h.bot.context.latch.state().halt).not.toBeNull();
    expect((await say(h, `resolve #${id} iptables rule removed by hand`, 'UNOBODY')).text).toMatch(/only admins may `resolve`/);
    expect((await say(h, 'resolve #999')).text).toContain('No open fault for #999');
    const resolved = await say(h, `resolve #${id} iptables rule removed by hand`);
    expect(resolved.text).toContain(`Resolved #${id} by`);
    expect(resolved.text).toContain('ChaosCat stays halted until an admin says `start`');
    expect((await say(h, 'status')).text).not.toContain('FAULT MAY REMAIN');
    expect((await say(h, 'start')).text).toMatch(/^Resumed by/);
    expect(h.bot.context.latch.state().halt).toBeNull();
  });

  it('survives a restart: still first in status, start still refused', async () => {
    h = live();
    const id = await attackWithFailedRollback(h);
    h = h.restart();
    expect(h.bot.context.faults.list().map((f) => f.id)).toEqual([id]);
    expect((await say(h, 'status')).text).toMatch(new RegExp(`^FAULT MAY REMAIN: #${id}`));
    expect((await say(h, 'start')).text).toContain('Still halted: a fault may remain');
  });

  it('opens for a host that could not be reached to revert (its end unconfirmed)', async () => {
    h = live();
    h.executor.abortAnswer = 'unreachable';
    const started = await say(h, 'run-once cpu-burn web-1');
    const id = /#(\d+)/.exec(started.text)?.[1] as string;
    await settle();
    await say(h, 'stop maintenance', 'UONCALL');
    await h.timers.advance(60_000);
    await settle();
    expect(h.bot.context.faults.list()).toMatchObject([{ id, host: 'web-1' }]);
    expect((await say(h, 'start')).text).toContain('Still halted: a fault may remain');
  });

  it('never opens in a dry run (nothing was touched)', async () => {
    h = harness({ dryRun: true }, [{ name: 'cpu-burn', weight: 10, targets: ['web'] }]);
    await attackWithFailedRollback(h);
    expect(h.bot.context.faults.list()).toEqual([]);
  });
});
