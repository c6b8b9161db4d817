import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually.js';
import { ADMIN, CHANNEL, ELSEWHERE, NOBODY, type SlackHarness, startHarness } from './slack-harness.js';

let h: SlackHarness | undefined;
afterEach(async () => {
  const x = h;
  h = undefined;
  await x?.close();
});

type Say = (x: SlackHarness, text: string) => void;
const mentionIn =
  (channel: string): Say =>
  (x, text) =>
    x.standin.mention({ user: NOBODY, channel, text: `<@${x.standin.botUserId}> ${text}` });
const dm: Say = (x, text) => x.standin.messageEvent({ user: NOBODY, channel: 'D0NOBODY', text, channelType: 'im' });
const slash: Say = (x, text) => x.standin.slashCommand({ user: NOBODY, channel: ELSEWHERE, text });

/**
 * Issue 22, case 3: `stop` as people type it in a hurry, copied with the bot's own backticks, in any
 * channel or DM, from anyone, halts a live attack (real Bolt against the stand-in, real SQLite).
 */
describe('a formatted stop halts a live attack in every Slack transport', () => {
  it.each<[string, string, Say, string]>([
    ['a mention in the channel', '*Stop!* checkout is down', mentionIn(CHANNEL), 'checkout is down'],
    ['a mention in another channel', 'STOP!!!', mentionIn(ELSEWHERE), ''],
    ['a DM', ':octagonal_sign: `stop`', dm, ''],
    ['a DM copying the bot', '`stop`', dm, ''],
    ['a slash command in another channel', '_stop_ latency', slash, 'latency'],
  ])('%s: %j', async (_where, text, say, reason) => {
    const x = await startHarness();
    h = x;
    x.standin.mention({ user: ADMIN, channel: CHANNEL, text: `<@${x.standin.botUserId}> run-once cpu-burn web-1` });
    await eventually(() => x.store.getAttack('1')?.state === 'running', 'the attack to run');
    say(x, text);
    await eventually(() => x.store.getState().halt !== null, 'the halt');
    expect(x.store.getState().halt).toMatchObject({ by: NOBODY, reason });
    await eventually(() => x.store.getAttack('1')?.state === 'reverted', 'the revert');
    expect(x.standin.okCalls('chat.postEphemeral').map((c) => String(c.args.text))).not.toContainEqual(
      expect.stringMatching(/I only take commands|I don't know/),
    );
  });
});
