import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionIds } from '../support/block-shapes.js';
import { eventually } from '../support/eventually.js';
import type { LiveBot } from '../support/run-bot.js';
import { SlackStandin, STANDIN_BOT_USER, startBotOnStandin } from '../support/slack-standin.js';
import { writeTestConfig } from '../support/test-config.js';

const CHANNEL = 'C0CHAOS01';

/**
 * The issue's "done when": `npm start`'s entry with SLACK_BOT_TOKEN, SLACK_APP_TOKEN and SLACK_API_URL
 * pointing at the stand-in connects by Socket Mode; an admin's mention run-once posts the announcement
 * with a Stop button and the result in its thread; a stop from any user halts and is announced;
 * history lists the attack; a non-admin run-once is refused.
 */
describe('the bot in Slack (real process, Slack stand-in)', () => {
  let slack: SlackStandin;
  let bot: LiveBot;

  beforeAll(async () => {
    slack = await SlackStandin.start();
    const { file } = writeTestConfig(
      { slack: { channel: CHANNEL, admins: ['U0ADMIN'] }, schedule: { tick: '0 0 1 1 *', cooldown: '10m' } },
      [{ name: 'cpu-burn', weight: 1, duration: '30s', targets: ['web'] }],
    );
    bot = await startBotOnStandin(slack, file);
  }, 60_000);

  afterAll(async () => {
    bot?.child.kill('SIGTERM');
    await bot?.exited;
    await slack?.close();
  });

  const top = () => slack.messages.find((m) => m.channel === CHANNEL && !m.threadTs && /cpu-burn/.test(m.text));
  const threadOf = (ts: string) => slack.messages.filter((m) => m.threadTs === ts);
  const replies = (channel: string) => slack.messages.filter((m) => m.channel === channel);

  it('admin run-once by mention: announcement with a Stop button, progress in its thread', async () => {
    slack.mention({ user: 'U0ADMIN', channel: CHANNEL, text: `<@${STANDIN_BOT_USER}> run-once cpu-burn web-1` });
    await eventually(() => top() !== undefined, 'the announcement');
    const announcement = top();
    // The red Stop button, asking to confirm first.
    expect(actionIds(announcement?.blocks)).toEqual(['chaoscat_stop']);
    const stop = (announcement?.blocks as { elements?: { action_id?: string; style?: string; confirm?: unknown }[] }[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === 'chaoscat_stop');
    expect(stop).toMatchObject({ style: 'danger', confirm: { style: 'danger' } });
    await eventually(
      () => threadOf(announcement?.ts ?? '').some((m) => /started|dry run/.test(m.text)),
      'progress in the thread',
    );
  });

  it('a non-admin run-once is refused', async () => {
    slack.mention({ user: 'U0RANDOM', channel: CHANNEL, text: `<@${STANDIN_BOT_USER}> run-once` });
    await eventually(
      () => slack.okCalls('chat.postEphemeral').some((c) => /only admins/.test(String(c.args.text))),
      'the refusal',
    );
  });

  it('a stop from any user halts and is announced; the top message shows the final state; history lists it', async () => {
    slack.mention({ user: 'U0RANDOM', channel: CHANNEL, text: `<@${STANDIN_BOT_USER}> stop incident` });
    await eventually(() => replies(CHANNEL).some((m) => /Halted by <@U0RANDOM>/.test(m.text)), 'the halt');
    await eventually(
      () => (top()?.updates ?? 0) > 0 && /reverted/.test(JSON.stringify(top()?.blocks) + top()?.text),
      'the final state',
    );
    slack.mention({ user: 'U0RANDOM', channel: CHANNEL, text: `<@${STANDIN_BOT_USER}> history here` });
    // A table block: the person a user element (Slack shows the name), the time a date element.
    const row = /"cpu-burn"\}.*"web-1"\}.*"user_id":"U0ADMIN".*"reverted/;
    await eventually(() => replies(CHANNEL).some((m) => row.test(JSON.stringify(m.blocks ?? []))), 'the history');
  });

  it('report posts the summary and uploads the chart through the external upload flow, in order', async () => {
    slack.mention({
      user: 'U0RANDOM',
      channel: CHANNEL,
      // Today where the bot's business hours are (the test config's zone), not in UTC: between midnight
      // UTC and midnight there, the UTC date has not begun for the bot and there is nothing to report.
      text: `<@${STANDIN_BOT_USER}> report ${DateTime.now().setZone('America/Los_Angeles').toISODate()}`,
    });
    await eventually(() => slack.okCalls('files.completeUploadExternal').length > 0, 'the upload');
    const order = slack.calls.map((c) => c.method).filter((m) => /^files\./.test(m));
    expect(order.slice(0, 2)).toEqual(['files.getUploadURLExternal', 'files.completeUploadExternal']);
    expect(slack.uploads[0]?.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(replies(CHANNEL).some((m) => /ChaosCat report/i.test(m.text))).toBe(true);
  });
});
