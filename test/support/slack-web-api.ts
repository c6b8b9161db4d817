import { parse as parseQuery } from 'node:querystring';
import { blockKitProblems } from './block-kit-limits.js';
import type { StoredMessage } from './slack-standin.js';

/** What the stand-in's Web API methods read and change. */
export interface WebApiState {
  readonly url: string;
  readonly botUserId: string;
  readonly options: { readonly botToken: string; readonly appToken: string };
  readonly messages: StoredMessage[];
  /** What chat.postEphemeral showed, and to whom. */
  readonly ephemerals: { channel: string; user: string; text: string; blocks: unknown[] | undefined }[];
  readonly homes: Map<string, { blocks?: unknown[]; [key: string]: unknown }>;
  /** Modals opened (views.open), by the trigger that opened them. */
  readonly modals: Map<string, Record<string, unknown>>;
  readonly usergroups: Map<string, string[]>;
  readonly notIn: Set<string>;
  readonly channels: Map<string, { name: string }>;
  readonly users: Map<string, { name: string; realName?: string; deleted?: boolean }>;
  message(channel: string, ts: string): StoredMessage | undefined;
  nextTs(): string;
  /** The next sequence number (ids, tickets). */
  next(): number;
}

export const TEAM = 'T0STANDIN';

/** The stand-in's answer to a Web API call: HTTP status and body, as Slack would give them. */
export function answerWebApi(
  s: WebApiState,
  method: string,
  args: Record<string, unknown>,
  token: string | null,
): [number, Record<string, unknown>] {
  const fail = (error: string): [number, Record<string, unknown>] => [400, { ok: false, error }];
  if (method === 'apps.connections.open') {
    if (token !== s.options.appToken) return fail(token?.startsWith('xoxb-') ? 'not_allowed_token_type' : 'invalid_auth');
    return [200, { ok: true, url: `ws://127.0.0.1:${new URL(s.url).port}/link/?ticket=${s.next()}` }];
  }
  if (token !== s.options.botToken) return fail(token?.startsWith('xapp-') ? 'not_allowed_token_type' : 'invalid_auth');
  const channel = String(args.channel ?? '');
  switch (method) {
    case 'auth.test':
      return [
        200,
        {
          ok: true,
          url: 'https://standin.slack.com/',
          team: 'Stand-in',
          user: 'chaoscat',
          team_id: TEAM,
          user_id: s.botUserId,
          bot_id: 'B0CHAOSCAT',
        },
      ];
    case 'chat.postMessage': {
      if (!channel || s.notIn.has(channel)) return fail('channel_not_found');
      if (blockKitProblems(args).length > 0) return fail('invalid_blocks');
      const ts = s.nextTs();
      const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
      const blocks = Array.isArray(args.blocks) ? args.blocks : undefined;
      s.messages.push({
        channel,
        ts,
        threadTs,
        text: String(args.text ?? ''),
        blocks,
        updates: 0,
        metadata: args.metadata,
      });
      return [200, { ok: true, channel, ts, message: { text: args.text, ts, bot_id: 'B0CHAOSCAT' } }];
    }
    case 'chat.update': {
      const message = s.message(channel, String(args.ts));
      if (!message) return fail('message_not_found');
      if (blockKitProblems(args).length > 0) return fail('invalid_blocks');
      message.text = String(args.text ?? '');
      message.blocks = Array.isArray(args.blocks) ? args.blocks : undefined;
      message.updates++;
      return [200, { ok: true, channel, ts: message.ts, text: message.text }];
    }
    case 'chat.postEphemeral':
      if (s.notIn.has(channel)) return fail('channel_not_found');
      if (!channel || !args.user) return fail('user_not_in_channel');
      if (blockKitProblems(args).length > 0) return fail('invalid_blocks');
      s.ephemerals.push({
        channel,
        user: String(args.user),
        text: String(args.text ?? ''),
        blocks: Array.isArray(args.blocks) ? args.blocks : undefined,
      });
      return [200, { ok: true, message_ts: s.nextTs() }];
    case 'conversations.history':
    case 'conversations.replies': {
      const thread = method === 'conversations.replies' ? String(args.ts ?? '') : undefined;
      const found = s.messages
        .filter((m) => m.channel === channel && (thread === undefined ? m.threadTs === undefined : m.threadTs === thread))
        .reverse()
        .slice(0, Number(args.limit ?? 100))
        .map((m) => ({
          type: 'message',
          ts: m.ts,
          text: m.text,
          bot_id: 'B0CHAOSCAT',
          ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
          ...(String(args.include_all_metadata) === 'true' && m.metadata ? { metadata: m.metadata } : {}),
        }));
      return [200, { ok: true, messages: found, has_more: false }];
    }
    case 'views.open': {
      const view = args.view as Record<string, unknown> | undefined;
      const trigger = String(args.trigger_id ?? '');
      if (!trigger.startsWith('trigger-')) return fail('invalid_trigger_id');
      if (view?.type !== 'modal' || !Array.isArray(view.blocks)) return fail('invalid_arguments');
      s.modals.set(trigger, view);
      return [200, { ok: true, view: { id: `VMODAL${s.next()}`, ...view } }];
    }
    case 'views.publish': {
      const view = args.view as { type?: string; blocks?: unknown[] } | undefined;
      if (!args.user_id || view?.type !== 'home') return fail('invalid_arguments');
      if (blockKitProblems(view, true).length > 0) return fail('invalid_blocks');
      s.homes.set(String(args.user_id), view);
      return [200, { ok: true, view: { id: `V${String(args.user_id)}`, ...view } }];
    }
    case 'conversations.info': {
      const known = s.channels.get(channel);
      if (!known) return fail('channel_not_found');
      return [200, { ok: true, channel: { id: channel, name: known.name, is_channel: true, is_member: !s.notIn.has(channel) } }];
    }
    case 'conversations.list': {
      const list = [...s.channels].map(([id, c]) => ({ id, name: c.name, is_channel: true, is_member: !s.notIn.has(id) }));
      return [200, { ok: true, channels: list, response_metadata: { next_cursor: '' } }];
    }
    case 'users.info': {
      const user = s.users.get(String(args.user ?? ''));
      if (!user) return fail('user_not_found');
      return [200, { ok: true, user: userJson(String(args.user), user) }];
    }
    case 'users.list': {
      const members = [...s.users].map(([id, u]) => userJson(id, u));
      return [200, { ok: true, members, response_metadata: { next_cursor: '' } }];
    }
    case 'usergroups.users.list': {
      const users = s.usergroups.get(String(args.usergroup));
      return users ? [200, { ok: true, users }] : fail('no_such_subteam');
    }
    case 'files.getUploadURLExternal': {
      if (!args.filename || !args.length) return fail('invalid_arguments');
      const fileId = `F${s.next()}`;
      return [200, { ok: true, upload_url: `${s.url}/upload/${fileId}`, file_id: fileId }];
    }
    case 'files.completeUploadExternal': {
      const files = Array.isArray(args.files) ? (args.files as { id: string; title?: string }[]) : [];
      if (files.length === 0) return fail('invalid_arguments');
      return [200, { ok: true, files: files.map((f) => ({ id: f.id, title: f.title ?? '' })) }];
    }
    default:
      return fail('unknown_method');
  }
}

function userJson(id: string, u: { name: string; realName?: string; deleted?: boolean }): Record<string, unknown> {
  return { id, name: u.name, real_name: u.realName ?? u.name, deleted: u.deleted ?? false, profile: { display_name: u.name } };
}

/** Form or JSON arguments; form values holding JSON (blocks, files) are decoded. */
export function parseArgs(contentType: string | undefined, body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8');
  if (contentType?.includes('application/json')) return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parseQuery(text))) {
    const v = Array.isArray(value) ? value[0] : value;
    if (typeof v !== 'string') continue;
    out[key] = /^[[{]/.test(v) ? tryJson(v) : v;
  }
  return out;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
