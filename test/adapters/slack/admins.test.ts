import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackAdmins } from '../../../src/adapters/slack/admins.js';
import { SlackApi } from '../../../src/adapters/slack/api.js';
import { SlackStandin, STANDIN_BOT_TOKEN } from '../../support/slack-standin.js';
import { recordingLogger } from './slack-harness.js';

let standin: SlackStandin;
let abort: AbortController;
beforeEach(async () => {
  standin = await SlackStandin.start({ usergroups: { S0ONCALL: ['U0ONCALL', 'U0SRE'], S0LEADS: ['U0LEAD'] } });
  abort = new AbortController();
});
afterEach(async () => {
  abort.abort();
  await standin.close();
});

function admins(settings: { admins?: string[]; adminGroups?: string[] }, clock = { at: 0 }) {
  const { logger, lines } = recordingLogger();
  const client = new webApi.WebClient(STANDIN_BOT_TOKEN, {
    slackApiUrl: standin.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  const api = new SlackApi(client, logger, { attempts: 2, baseDelayMs: 10, maxDelayMs: 20, maxRetryAfterMs: 100 }, abort.signal);
  const authorizer = new SlackAdmins(
    { admins: settings.admins ?? [], adminGroups: settings.adminGroups ?? [] },
    api,
    logger,
    60_000,
    () => clock.at,
  );
  return { authorizer, lines, clock };
}

const listCalls = () => standin.callsTo('usergroups.users.list').length;

describe('Slack admins: slack.admins and members of slack.adminGroups', () => {
  it('listed users are admins without asking Slack', async () => {
    const { authorizer } = admins({ admins: ['U0ADMIN'], adminGroups: ['S0ONCALL'] });
    expect(await authorizer.isAdmin('U0ADMIN')).toBe(true);
    expect(listCalls()).toBe(0);
  });

  it('members of an admin group are admins; others are not', async () => {
    const { authorizer } = admins({ adminGroups: ['S0ONCALL', 'S0LEADS'] });
    expect(await authorizer.isAdmin('U0SRE')).toBe(true);
    expect(await authorizer.isAdmin('U0LEAD')).toBe(true);
    expect(await authorizer.isAdmin('U0INTERN')).toBe(false);
  });

  it('caches group members for the cache time, then reads them again', async () => {
    const { authorizer, clock } = admins({ adminGroups: ['S0ONCALL'] });
    await Promise.all([authorizer.isAdmin('U0SRE'), authorizer.isAdmin('U0ONCALL'), authorizer.isAdmin('U0X')]);
    expect(listCalls()).toBe(1);
    clock.at = 59_999;
    expect(await authorizer.isAdmin('U0SRE')).toBe(true);
    expect(listCalls()).toBe(1);
    standin.usergroups.set('S0ONCALL', ['U0ONCALL']);
    clock.at = 60_000;
    expect(await authorizer.isAdmin('U0SRE')).toBe(false);
    expect(listCalls()).toBe(2);
  });

  it('falls back to the last known members when Slack cannot answer', async () => {
    const { authorizer, clock, lines } = admins({ adminGroups: ['S0ONCALL'] });
    expect(await authorizer.isAdmin('U0SRE')).toBe(true);
    standin.failNext('usergroups.users.list', 10, { kind: 'http', status: 500 });
    clock.at = 120_000;
    expect(await authorizer.isAdmin('U0SRE')).toBe(true);
    expect(lines.some((l) => l.msg.includes('using the last list known'))).toBe(true);
  });

  it('fails closed: with no list ever read, a group grants nothing', async () => {
    const { authorizer, lines } = admins({ adminGroups: ['S0ONCALL'] });
    standin.failNext('usergroups.users.list', 10, { kind: 'ok-false', error: 'missing_scope' });
    expect(await authorizer.isAdmin('U0SRE')).toBe(false);
    expect(lines.some((l) => l.level === 50 && l.group === 'S0ONCALL')).toBe(true);
  });

  it('describes the admins as mentions for the refusal', () => {
    expect(admins({ admins: ['U1', 'U2'], adminGroups: ['S1'] }).authorizer.describeAdmins()).toBe(
      'Admins: <@U1>, <@U2>, <!subteam^S1>.',
    );
    expect(admins({}).authorizer.describeAdmins()).toMatch(/^No admins are configured/);
  });
});
