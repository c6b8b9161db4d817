import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionIds } from '../support/block-shapes.js';
import { eventually } from '../support/eventually.js';
import type { LiveBot } from '../support/run-bot.js';
import { SlackStandin, startBotOnStandin } from '../support/slack-standin.js';
import { writeTestConfig } from '../support/test-config.js';

const CHANNEL = 'C0CHAOS01';
/** A DM between two people: the bot is not in it. */
const PEOPLES_DM = 'D0PEOPLE01';

/**
 * Issue 14's Slack conventions with the real process: the start-up notice, a `/chaoscat stop` from a
 * DM the bot is not in answered through its response_url, and the App Home with its Stop button.
 */
describe('Slack conventions (real process, Slack stand-in)', () => {
  let slack: SlackStandin;
  let bot: LiveBot;

  beforeAll(async () => {
    slack = await SlackStandin.start();
    slack.notIn.add(PEOPLES_DM);
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

  it('says in its channel that it started, dry run, with its version', async () => {
    await eventually(() => slack.messages.some((m) => m.channel === CHANNEL && m.text.startsWith('ChaosCat ')), 'the notice');
    const notice = slack.messages.find((m) => m.channel === CHANNEL && m.text.startsWith('ChaosCat '));
    expect(notice?.text).toMatch(/^ChaosCat \d+\.\d+\.\d+ started on .+ \(pid \d+\) — dry run: hosts are never touched\.$/);
  });

  it('the App Home shows the state with a Stop button', async () => {
    slack.homeOpened('U0VIEWER');
    await eventually(() => slack.homes.has('U0VIEWER'), 'the App Home');
    const view = JSON.stringify(slack.homes.get('U0VIEWER'));
    expect(view).toContain('*Running*');
    expect(actionIds(slack.homes.get('U0VIEWER')?.blocks)).toContain('chaoscat_stop');
  });

  it('a /chaoscat stop typed in a DM between people halts and is answered through response_url', async () => {
    slack.slashCommand({ user: 'U0RANDOM', channel: PEOPLES_DM, text: 'stop checkout is down' });
    const url = slack.lastCommand?.response_url ?? '';
    await eventually(() => slack.responsesTo({ response_url: url }).length > 0, 'the answer');
    expect(slack.responsesTo({ response_url: url })[0]?.body.text).toContain('Halted by <@U0RANDOM>: checkout is down');
    await eventually(
      () => slack.messages.some((m) => m.channel === CHANNEL && m.text.startsWith('Halted by <@U0RANDOM>')),
      'the halt',
    );
    await eventually(() => JSON.stringify(slack.homes.get('U0VIEWER')).includes('*Halted*'), 'the App Home refreshed');
  });

  it('writes every time as <!date^…>, so each reader sees their own zone (outside preformatted output)', async () => {
    const say = (text: string) => slack.mention({ user: 'U0ADMIN', channel: CHANNEL, text: `<@${slack.botUserId}> ${text}` });
    say('start');
    say('run-once cpu-burn');
    await eventually(() => slack.messages.some((m) => /Chaos attack #\d+/.test(JSON.stringify(m.blocks ?? []))), 'the attack');
    for (const command of ['status here', 'history here', 'stop drill over', 'status here', 'start']) {
      const before = slack.calls.length;
      say(command);
      await eventually(() => slack.calls.slice(before).some((c) => c.method.startsWith('chat.') && c.answer === 'ok'), command);
    }
    const texts: string[] = [];
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(collect);
      else if (value && typeof value === 'object')
        for (const [key, v] of Object.entries(value)) {
          if ((key === 'text' || key === 'fallback') && typeof v === 'string') texts.push(v);
          else collect(v);
        }
    };
    collect(slack.messages.map((m) => ({ text: m.text, blocks: m.blocks })));
    collect(slack.ephemerals);
    collect(slack.responses.map((r) => r.body));
    const times = texts
      .map((t) => t.replace(/```[\s\S]*?```/g, '').replace(/<!date\^\d+\^[^|>]*\|[^>]*>/g, ''))
      .filter((t) => /\b\d{1,2}:\d\d\b/.test(t));
    // The date elements' own fallbacks are the only plain times (what old clients show).
    expect(times.filter((t) => !/^\d\d-\d\d \d\d:\d\d [A-Z0-9+]+$/.test(t))).toEqual([]);
    expect(texts.some((t) => /<!date\^\d+\^/.test(t))).toBe(true);
  });
});
