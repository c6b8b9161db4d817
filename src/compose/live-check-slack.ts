import type { SlackEnv } from '../adapters/slack/env.js';
import type { Config } from '../config/config.js';
import { isSlackUserId } from '../domain/marks.js';
import { escapeText } from '../domain/visible-text.js';
import { errorMessage } from '../ports/errors.js';
import { plural } from '../words/common.js';
import { bad, type LiveLine, note, ok } from './live-lines.js';

/**
 * `check-config --live`, Slack's part: the token, each channel (by ID, the bot in it), each admin
 * and admin group. Names written where IDs belong are looked up and the ID to write is shown.
 */

const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;

interface SlackClient {
  apiCall(method: string, options?: Record<string, unknown>): Promise<Record<string, unknown>>;
}

async function paged<T>(client: SlackClient, method: string, key: string, args: Record<string, unknown>): Promise<T[]> {
  const out: T[] = [];
  let cursor = '';
  for (let page = 0; page < 50; page++) {
    const answer = await client.apiCall(method, { ...args, limit: 200, ...(cursor ? { cursor } : {}) });
    out.push(...((answer[key] as T[] | undefined) ?? []));
    cursor = String((answer.response_metadata as { next_cursor?: string } | undefined)?.next_cursor ?? '');
    if (!cursor) break;
  }
  return out;
}

const slackError = (error: unknown) => (error as { data?: { error?: string } }).data?.error ?? errorMessage(error);

/**
 * Slack as the bot will use it: the token (auth.test), each channel (it exists, by ID, and the bot is
 * in it) and each admin (a user ID of someone who exists). Names where IDs belong are looked up and
 * shown as the IDs to write.
 */
export async function slackChecks(config: Config, slack: SlackEnv | null): Promise<LiveLine[]> {
  if (!slack) return [note('slack', 'no SLACK_ variables: the console chat; Slack is not checked')];
  const { webApi } = await import('@slack/bolt');
  const client: SlackClient = new webApi.WebClient(slack.botToken, {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}),
    retryConfig: { retries: 1 },
    timeout: 15_000,
  }) as unknown as SlackClient;
  try {
    const auth = await client.apiCall('auth.test');
    const lines: LiveLine[] = [ok('SLACK_BOT_TOKEN', `accepted: the bot is ${String(auth.user)} in ${String(auth.team)}`)];
    let channelList: { id: string; name: string; is_member?: boolean }[] | null = null;
    const channels = async () => {
      channelList ??= await paged(client, 'conversations.list', 'channels', {
        types: 'public_channel,private_channel',
        exclude_archived: true,
      });
      return channelList;
    };
    const named = [
      ...(config.slack.channel ? [{ field: 'slack.channel', value: config.slack.channel }] : []),
      ...config.slack.channels.map((value, i) => ({ field: `slack.channels[${i}]`, value })),
      ...config.teams
        .filter((t) => !t.implicit && t.channel)
        .map((t) => ({ field: `teams.${t.name}.channel`, value: t.channel as string })),
    ];
    for (const { field, value } of named) lines.push(await channelLine(client, field, value, channels));
    let people:
      | { id: string; name: string; real_name?: string; deleted?: boolean; profile?: { display_name?: string } }[]
      | null = null;
    const users = async () => {
      people ??= await paged(client, 'users.list', 'members', {});
      return people;
    };
    for (const [i, admin] of config.slack.admins.entries())
      lines.push(await adminLine(client, `slack.admins[${i}]`, admin, users));
    for (const [i, group] of config.slack.adminGroups.entries())
      lines.push(await groupLine(client, `slack.adminGroups[${i}]`, group));
    return lines;
  } catch (error) {
    return [
      bad(
        'SLACK_BOT_TOKEN',
        `Slack refused: ${slackError(error)}`,
        "set SLACK_BOT_TOKEN to the app's Bot User OAuth Token (xoxb-…)",
      ),
    ];
  }
}

async function channelLine(
  client: SlackClient,
  field: string,
  value: string,
  list: () => Promise<{ id: string; name: string; is_member?: boolean }[]>,
): Promise<LiveLine> {
  const shown = escapeText(value);
  if (!CHANNEL_ID.test(value)) {
    const name = value.replace(/^#/, '');
    const found = (await list()).find((c) => c.name === name);
    return bad(
      field,
      `"${shown}" is a channel name; the bot needs its ID`,
      found
        ? `write ${field}: ${found.id}   (#${found.name})`
        : `no channel #${escapeText(name)} is visible to the bot: invite it, then use the channel's ID (channel details, bottom)`,
    );
  }
  try {
    const answer = await client.apiCall('conversations.info', { channel: value });
    const channel = answer.channel as { name?: string; is_member?: boolean };
    if (channel.is_member === false) {
      return bad(
        field,
        `the bot is not in #${channel.name ?? value} (${value})`,
        `invite it: /invite @chaoscat in #${channel.name ?? value}`,
      );
    }
    return ok(field, `#${channel.name ?? '?'} (${value}); the bot is in it`);
  } catch (error) {
    return bad(field, `${value}: ${slackError(error)}`, 'use the ID of a channel the bot is in (channel details, bottom)');
  }
}

async function adminLine(
  client: SlackClient,
  field: string,
  value: string,
  list: () => Promise<{ id: string; name: string; real_name?: string; deleted?: boolean; profile?: { display_name?: string } }[]>,
): Promise<LiveLine> {
  const shown = escapeText(value);
  if (!isSlackUserId(value)) {
    const name = value.replace(/^@/, '').toLowerCase();
    const found = (await list()).filter(
      (u) => !u.deleted && [u.name, u.real_name, u.profile?.display_name].some((n) => n?.toLowerCase() === name),
    );
    return bad(
      field,
      `"${shown}" is a name; admins are Slack user IDs`,
      found.length === 1
        ? `write ${field}: ${found[0]?.id}   (${found[0]?.name})`
        : found.length > 1
          ? `"${shown}" names ${found.length} people (${found.map((u) => u.id).join(', ')}): write the right one's ID`
          : `nobody called "${shown}" in this workspace: copy the member ID from their profile (⋮ → Copy member ID)`,
    );
  }
  try {
    const answer = await client.apiCall('users.info', { user: value });
    const user = answer.user as { name?: string; deleted?: boolean };
    if (user.deleted)
      return bad(field, `${value} (${user.name ?? '?'}) is deactivated`, `remove ${value} from ${field.replace(/\[\d+\]$/, '')}`);
    return ok(field, `${value} is ${user.name ?? '?'}`);
  } catch (error) {
    return bad(field, `${value}: ${slackError(error)}`, 'copy the member ID from their profile (⋮ → Copy member ID)');
  }
}

async function groupLine(client: SlackClient, field: string, value: string): Promise<LiveLine> {
  if (!/^S[A-Z0-9]{2,}$/.test(value)) {
    return bad(
      field,
      `"${escapeText(value)}" is not a user group ID`,
      "write the group's ID (S…), from the group's page in Slack",
    );
  }
  try {
    const answer = await client.apiCall('usergroups.users.list', { usergroup: value });
    const members = (answer.users as string[] | undefined) ?? [];
    return ok(field, `${value}: ${plural(members.length, 'member')}`);
  } catch (error) {
    return bad(field, `${value}: ${slackError(error)}`, 'use the ID of an existing user group (usergroups:read must be granted)');
  }
}
