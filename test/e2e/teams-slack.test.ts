import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import type { LiveBot } from '../support/run-bot.js';
import { SlackStandin, STANDIN_BOT_USER, startBotOnStandin } from '../support/slack-standin.js';
import { twoTeams } from '../support/teams-config.js';
import { writeTestConfig } from '../support/test-config.js';

const ALWAYS = { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00', holidays: [] };

/**
 * Two teams on one Slack app, through the real process and the real Bolt against the stand-in:
 * each team's commands and announcements stay in its channel, a stop in one team's channel halts
 * that team only, a stop in a DM halts both, and `start all` needs a global admin.
 */
describe('teams in Slack (real process, Slack stand-in)', () => {
  let slack: SlackStandin;
  let bot: LiveBot;

  beforeAll(async () => {
    slack = await SlackStandin.start();
    const { file } = writeTestConfig(
      {
        ...twoTeams({ businessHours: ALWAYS }, { businessHours: ALWAYS }),
        // No scheduled attack during the test: only run-once.
        schedule: { tick: '0 0 1 1 *', cooldown: '10m' },
      },
      [{ name: 'cpu-burn', weight: 1, duration: '30s' }],
    );
    bot = await startBotOnStandin(slack, file);
  }, 60_000);

  afterAll(async () => {
    bot?.child.kill('SIGTERM');
    await bot?.exited;
    await slack?.close();
  });

  const said = (channel: string, re: RegExp) => slack.messages.some((m) => m.channel === channel && re.test(m.text));
  const mention = (user: string, channel: string, text: string) =>
    slack.mention({ user, channel, text: `<@${STANDIN_BOT_USER}> ${text}` });

  it("a run-once in a team's channel attacks that team's host, announced in its channel only", async () => {
    mention('U0PAYLEAD', 'C0PAY', 'run-once cpu-burn');
    await eventually(() => said('C0PAY', /cpu-burn on pay-\d/), "the announcement in payments' channel");
    // Only the start-up notice is in search's channel.
    expect(slack.messages.filter((m) => m.channel === 'C0SEARCH' && !m.text.startsWith('ChaosCat '))).toEqual([]);
    mention('U0PAYLEAD', 'C0PAY', 'run-once cpu-burn search-1');
    // A refusal is for the asker alone (ephemeral).
    await eventually(
      () => slack.okCalls('chat.postEphemeral').some((c) => /search-1 is team search's host/.test(String(c.args.text))),
      'the refusal',
    );
  });

  it("a stop in search's channel halts search only; payments' attack runs on", async () => {
    mention('U0ANYONE', 'C0SEARCH', 'stop search is flaky');
    await eventually(() => said('C0SEARCH', /^\[search\] Halted by <@U0ANYONE>: search is flaky/), 'the halt reply');
    await eventually(() => said('C0SEARCH', /Halted by <@U0ANYONE>/), "the halt announced in search's channel");
    mention('U0ANYONE', 'C0PAY', 'status here');
    await eventually(() => said('C0PAY', /^\[payments\] \*Running\*[\s\S]*In flight: #1 cpu-burn on pay-\d/), "payments' status");
    expect(said('C0PAY', /Halted/)).toBe(false);
  });

  it('start all by a team admin is refused; a /chaoscat stop from a DM halts every team', async () => {
    mention('U0PAYLEAD', 'C0PAY', 'start all');
    await eventually(
      () => slack.okCalls('chat.postEphemeral').some((c) => /only global admins may `start all`/.test(String(c.args.text))),
      'the refusal',
    );
    slack.slashCommand({ user: 'U0ANYONE', channel: 'D0DIRECT', text: 'stop' });
    const url = slack.lastCommand?.response_url ?? '';
    await eventually(
      () =>
        slack.responsesTo({ response_url: url }).some((r) => /Stop for every team \(payments, search\)/.test(r.body.text ?? '')),
      'the reply through response_url',
    );
    await eventually(() => said('C0PAY', /Halted by <@U0ANYONE>/), "the halt announced in payments' channel");
    await eventually(
      () =>
        slack.messages.some((m) => m.channel === 'C0PAY' && !m.threadTs && /reverted/.test(JSON.stringify(m.blocks) + m.text)),
      "payments' attack reverted",
    );
    mention('U0GLOBAL', 'D0DIRECT', 'status here');
    await eventually(
      () => said('D0DIRECT', /^2 teams:\npayments: \*Halted\*[\s\S]*\nsearch: \*Halted\*/),
      'status of every team',
    );
  });
});
