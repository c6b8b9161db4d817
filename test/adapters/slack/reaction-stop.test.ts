import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually.js';
import { ADMIN, CHANNEL, NOBODY, type SlackHarness, startHarness } from './slack-harness.js';

let h: SlackHarness | undefined;
afterEach(async () => {
  const x = h;
  h = undefined;
  await x?.close();
});

async function running(): Promise<{ x: SlackHarness; ts: string }> {
  const x = await startHarness();
  h = x;
  x.standin.mention({ user: ADMIN, channel: CHANNEL, text: `<@${x.standin.botUserId}> run-once cpu-burn web-1` });
  await eventually(() => x.store.getAttack('1')?.state === 'running' && x.top('1') !== undefined, 'the attack to run');
  return { x, ts: x.top('1')?.ts as string };
}

/**
 * Issue 26, "Stop with a reaction": in an incident the fastest gesture in Slack is a reaction. An
 * :octagonal_sign: on any of the bot's messages is a stop by whoever reacted (real Bolt against the
 * stand-in, real SQLite).
 */
describe('a stop reaction', () => {
  it('on the announcement halts and reverts the attack, by whoever reacted, "reaction on #1", answered in its thread', async () => {
    const { x, ts } = await running();
    x.standin.reactionAdded({ user: NOBODY, reaction: 'octagonal_sign', channel: CHANNEL, ts });
    await eventually(() => x.store.getState().halt !== null, 'the halt');
    expect(x.store.getState().halt).toMatchObject({ by: NOBODY, reason: 'reaction on #1' });
    await eventually(() => x.store.getAttack('1')?.state === 'reverted', 'the revert');
    await eventually(() => x.thread(ts).some((m) => m.text.includes('reaction on #1')), 'the answer in the thread');
    expect(x.thread(ts).find((m) => m.text.includes('reaction on #1'))?.text).toContain(`<@${NOBODY}>`);
    expect(x.store.getAttack('1')?.ending).toMatchObject({ kind: 'stopped', by: NOBODY, note: 'reaction on #1' });
  });

  it('on another message of the bot halts too, saying only that it was a reaction', async () => {
    const { x } = await running();
    // `status here` answers in the channel: a message of the bot that is not an announcement.
    x.standin.mention({ user: ADMIN, channel: CHANNEL, text: `<@${x.standin.botUserId}> status here` });
    await eventually(() => x.posted().some((m) => m.ts !== x.top('1')?.ts), 'the status in the channel');
    const other = x.posted().find((m) => m.ts !== x.top('1')?.ts);
    expect(other, 'a message of the bot other than the announcement').toBeDefined();
    x.standin.reactionAdded({ user: NOBODY, reaction: 'octagonal_sign', channel: CHANNEL, ts: other?.ts as string });
    await eventually(() => x.store.getState().halt !== null, 'the halt');
    expect(x.store.getState().halt).toMatchObject({ by: NOBODY, reason: 'reaction on a ChaosCat message' });
  });

  it('is ignored for another emoji, or on a message someone else wrote', async () => {
    const { x, ts } = await running();
    x.standin.reactionAdded({ user: NOBODY, reaction: 'eyes', channel: CHANNEL, ts });
    x.standin.reactionAdded({ user: NOBODY, reaction: 'octagonal_sign', channel: CHANNEL, ts, itemUser: NOBODY });
    // A mark after both: once the bot answered it, both reactions were handled before it.
    const answered = () => x.standin.okCalls('chat.postEphemeral').length + x.posted().length;
    const before = answered();
    x.standin.mention({ user: ADMIN, channel: CHANNEL, text: `<@${x.standin.botUserId}> status` });
    await eventually(() => answered() > before, 'the status');
    expect(x.store.getState().halt).toBeNull();
    expect(x.store.getAttack('1')?.state).toBe('running');
  });
});
