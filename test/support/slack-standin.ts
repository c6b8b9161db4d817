import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { blockKitProblems } from './block-kit-limits.js';
import { type LiveBot, startBot } from './run-bot.js';
import { answerWebApi, parseArgs, TEAM, type WebApiState } from './slack-web-api.js';

/**
 * A local stand-in for Slack on 127.0.0.1: the Web API methods ChaosCat calls (recorded, and made
 * to fail on demand), the file upload endpoint, and a Socket Mode WebSocket server that says hello,
 * delivers envelopes, collects acks and can disconnect or drop the bot.
 */

export type Failure =
  | { readonly kind: 'ok-false'; readonly error: string }
  | { readonly kind: 'http'; readonly status: number }
  | { readonly kind: 'rate-limit'; readonly retryAfter: number }
  /** Slack did the call (a post is stored) but its answer says `error`: a lost answer. */
  | { readonly kind: 'done-but'; readonly error: string };

export interface ApiCall {
  readonly method: string;
  readonly args: Record<string, unknown>;
  readonly token: string | null;
  /** What the stand-in answered: `ok`, an error code, `http 500` or `429`. */
  readonly answer: string;
}

export interface StoredMessage {
  readonly channel: string;
  readonly ts: string;
  readonly threadTs: string | undefined;
  text: string;
  blocks: unknown[] | undefined;
  updates: number;
  readonly metadata: unknown;
}

/** A POST to a response_url (Bolt's respond()). */
export interface Response {
  /** The response_url's sequence number, as in commandBody().response_url. */
  readonly url: string;
  readonly body: { text?: string; response_type?: string; replace_original?: boolean; [key: string]: unknown };
}

export interface Upload {
  readonly fileId: string;
  readonly bytes: Buffer;
  readonly contentType: string | undefined;
}

export interface ButtonPress {
  readonly user: string;
  readonly channel: string;
  readonly messageTs: string;
  readonly actionId: string;
  readonly value: string;
}

export interface StandinOptions {
  readonly botToken?: string;
  readonly appToken?: string;
  readonly botUserId?: string;
  readonly usergroups?: Record<string, string[]>;
}

export const STANDIN_BOT_TOKEN = 'xoxb-standin-bot';
export const STANDIN_APP_TOKEN = 'xapp-standin-app';
export const STANDIN_BOT_USER = 'UCHAOSCAT';
const APP = 'A0CHAOSCAT';

export class SlackStandin {
  readonly calls: ApiCall[] = [];
  readonly messages: StoredMessage[] = [];
  /** What chat.postEphemeral showed, and to whom. */
  readonly ephemerals: { channel: string; user: string; text: string; blocks: unknown[] | undefined }[] = [];
  readonly uploads: Upload[] = [];
  /** What the bot sent to response_urls, in order. */
  readonly responses: Response[] = [];
  /** The App Home view last published per user (views.publish). */
  readonly homes = new Map<string, { blocks?: unknown[]; [key: string]: unknown }>();
  /** Modals the bot opened (views.open), by trigger id. */
  readonly modals = new Map<string, Record<string, unknown>>();
  /** Envelope id -> the payload the bot acknowledged it with. */
  readonly acks = new Map<string, unknown>();
  readonly usergroups: Map<string, string[]>;
  readonly botUserId: string;
  /** While true, new sockets get no `hello` (the bot stays "connecting") until releaseHello(). */
  holdHello = false;
  /** WebSocket connections accepted so far. */
  connectionsAccepted = 0;
  /** Channels the bot is not in (a DM between people, a channel it was not invited to): posts there fail. */
  readonly notIn = new Set<string>();
  /** The workspace's channels by ID (conversations.info/list); a channel in `notIn` lists the bot as not a member. */
  readonly channels = new Map<string, { name: string }>();
  /** The workspace's people by ID (users.info/list). */
  readonly users = new Map<string, { name: string; realName?: string; deleted?: boolean }>();
  /** The next this many response_url POSTs are refused (HTTP 404, as an expired one is). */
  failResponses = 0;
  /** The ts of the latest message event sent (a mention, a DM): where a threaded reply should go. */
  lastEventTs: string | null = null;

  private readonly failures: { method: string; left: number; failure: Failure }[] = [];
  private readonly stalled = new Map<string, (args: Record<string, unknown>) => boolean>();
  private stallWaiters: (() => void)[] = [];
  private readonly sockets = new Set<WebSocket>();
  private readonly helloPending = new Set<WebSocket>();
  /** Sockets that neither answer pings nor get frames (silence()). */
  private readonly silent = new Set<WebSocket>();
  private seq = 0;
  private readonly wss: WebSocketServer;
  private readonly web: WebApiState;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    options: Required<Omit<StandinOptions, 'usergroups'>>,
    usergroups: Record<string, string[]>,
  ) {
    this.botUserId = options.botUserId;
    this.usergroups = new Map(Object.entries(usergroups));
    // Pongs by hand, so a socket can go silent without closing (silence()).
    this.wss = new WebSocketServer({ server, path: '/link/', autoPong: false });
    this.wss.on('connection', (ws) => this.onSocket(ws));
    this.web = {
      url,
      botUserId: this.botUserId,
      options,
      messages: this.messages,
      ephemerals: this.ephemerals,
      homes: this.homes,
      modals: this.modals,
      usergroups: this.usergroups,
      notIn: this.notIn,
      channels: this.channels,
      users: this.users,
      message: (channel, ts) => this.message(channel, ts),
      nextTs: () => this.nextTs(),
      next: () => ++this.seq,
    };
  }

  static async start(options: StandinOptions = {}): Promise<SlackStandin> {
    let standin: SlackStandin | undefined;
    const server = createServer((req, res) => {
      void standin?.onRequest(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    standin = new SlackStandin(
      server,
      `http://127.0.0.1:${port}`,
      {
        botToken: options.botToken ?? STANDIN_BOT_TOKEN,
        appToken: options.appToken ?? STANDIN_APP_TOKEN,
        botUserId: options.botUserId ?? STANDIN_BOT_USER,
      },
      options.usergroups ?? {},
    );
    return standin;
  }

  /** SLACK_API_URL for the bot. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** The next `count` calls of `method` (`*`: any method) fail this way. */
  failNext(method: string, count: number, failure: Failure): void {
    this.failures.push({ method, left: count, failure });
  }

  /** Calls of `method` (those `when` picks, by their arguments) get no answer until unstall(): a slow Slack. */
  stall(method: string, when: (args: Record<string, unknown>) => boolean = () => true): void {
    this.stalled.set(method, when);
  }

  /** Requests waiting on a stall. */
  get stalledRequests(): number {
    return this.stallWaiters.length;
  }

  unstall(): void {
    this.stalled.clear();
    for (const release of this.stallWaiters.splice(0)) release();
  }

  /** Forgets the failures not used yet. */
  clearFailures(): void {
    this.failures.length = 0;
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Successful calls of `method`. */
  okCalls(method: string): ApiCall[] {
    return this.callsTo(method).filter((c) => c.answer === 'ok');
  }

  message(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  get openSockets(): number {
    return [...this.sockets].filter((s) => s.readyState === s.OPEN).length;
  }

  /** Sends `hello` to the sockets that were held back. */
  releaseHello(): void {
    this.holdHello = false;
    for (const ws of this.helloPending) this.hello(ws);
    this.helloPending.clear();
  }

  /** Slack's recycle notice: the client is expected to close and reconnect. */
  disconnect(reason = 'refresh_requested'): void {
    for (const ws of this.sockets) {
      ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'standin' } }));
    }
  }

  /**
   * Every open socket goes silent without closing, as a half-dead connection does: no pongs, no
   * frames (events are not delivered to it either). New connections are not affected.
   */
  silence(): void {
    for (const ws of this.sockets) this.silent.add(ws);
  }

  /** Kills every socket without a close frame, as a broken network would. */
  dropSockets(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  /** An `app_mention` as Slack delivers it over Socket Mode; returns the envelope id. */
  mention(m: { user: string; channel: string; text: string; threadTs?: string; extra?: Record<string, unknown> }): string {
    const ts = this.nextTs();
    const event = {
      type: 'app_mention',
      user: m.user,
      text: m.text,
      ts,
      channel: m.channel,
      event_ts: ts,
      ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
      ...m.extra,
    };
    return this.envelope('events_api', this.eventCallback(event), false);
  }

  /**
   * A `message` event: a direct message to the bot (`channel` D…, channel_type im) by default;
   * `extra` adds `bot_id`, `subtype` (message_changed), … Returns the envelope id.
   */
  messageEvent(m: {
    user?: string;
    channel: string;
    text: string;
    channelType?: string;
    extra?: Record<string, unknown>;
  }): string {
    const ts = this.nextTs();
    const event = {
      type: 'message',
      channel: m.channel,
      ...(m.user ? { user: m.user } : {}),
      text: m.text,
      ts,
      event_ts: ts,
      channel_type: m.channelType ?? 'im',
      ...m.extra,
    };
    return this.envelope('events_api', this.eventCallback(event), false);
  }

  /** Someone adds a reaction to a message (by default one the bot posted); returns the envelope id. */
  reactionAdded(r: { user: string; reaction: string; channel: string; ts: string; itemUser?: string }): string {
    const eventTs = this.nextTs();
    const event = {
      type: 'reaction_added',
      user: r.user,
      reaction: r.reaction,
      item_user: r.itemUser ?? this.botUserId,
      item: { type: 'message', channel: r.channel, ts: r.ts },
      event_ts: eventTs,
    };
    return this.envelope('events_api', this.eventCallback(event), false);
  }

  /** Someone opens the bot's App Home tab; returns the envelope id. */
  homeOpened(user: string): string {
    const event = { type: 'app_home_opened', user, channel: `D${user.slice(1)}`, tab: 'home', event_ts: this.nextTs() };
    return this.envelope('events_api', this.eventCallback(event), false);
  }

  /** A press of a button in the user's App Home view; returns the envelope id. */
  pressHomeButton(p: { user: string; actionId: string; value: string }): string {
    const payload = {
      type: 'block_actions',
      user: { id: p.user, username: p.user.toLowerCase(), team_id: TEAM },
      api_app_id: APP,
      token: 'legacy-verification-token',
      container: { type: 'view', view_id: `V${p.user}` },
      trigger_id: `trigger-${++this.seq}`,
      team: { id: TEAM, domain: 'standin' },
      view: { id: `V${p.user}`, type: 'home', blocks: this.homes.get(p.user)?.blocks ?? [] },
      actions: [
        {
          action_id: p.actionId,
          block_id: 'chaoscat_home_stop',
          text: { type: 'plain_text', text: 'Stop' },
          value: p.value,
          style: 'danger',
          type: 'button',
          action_ts: this.nextTs(),
        },
      ],
    };
    return this.envelope('interactive', payload, false);
  }

  /** The replies sent to a slash command (by its envelope's response_url number). */
  responsesTo(commandBody: { response_url: string }): Response[] {
    return this.responses.filter((r) => r.url === commandBody.response_url);
  }

  /** The events_api body of an event, for HTTP mode as well. */
  eventCallback(event: Record<string, unknown>): Record<string, unknown> {
    if (typeof event.ts === 'string') this.lastEventTs = event.ts;
    return {
      token: 'legacy-verification-token',
      team_id: TEAM,
      api_app_id: APP,
      event,
      type: 'event_callback',
      event_id: `Ev${++this.seq}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: TEAM, user_id: this.botUserId, is_bot: true, is_enterprise_install: false }],
    };
  }

  /** The body of the latest slash command sent (its response_url). */
  lastCommand: Record<string, string> | null = null;

  /** A `/chaoscat` invocation; returns the envelope id. */
  slashCommand(c: { user: string; channel: string; text: string }): string {
    this.lastCommand = this.commandBody(c);
    return this.envelope('slash_commands', this.lastCommand, true);
  }

  commandBody(c: { user: string; channel: string; text: string }): Record<string, string> {
    return {
      token: 'legacy-verification-token',
      team_id: TEAM,
      team_domain: 'standin',
      channel_id: c.channel,
      channel_name: 'chaos',
      user_id: c.user,
      user_name: c.user.toLowerCase(),
      command: '/chaoscat',
      text: c.text,
      api_app_id: APP,
      is_enterprise_install: 'false',
      response_url: `${this.url}/respond/${++this.seq}`,
      trigger_id: `trigger-${this.seq}`,
    };
  }

  /** A press of a button in a message; returns the envelope id. */
  pressButton(p: ButtonPress): string {
    return this.envelope('interactive', this.buttonPayload(p), false);
  }

  /**
   * Someone submits the modal a trigger opened, typing `values` (block id → action id → text) into
   * it; returns the envelope id.
   */
  submitModal(p: { user: string; trigger: string; values: Record<string, Record<string, string>> }): string {
    const view = this.modals.get(p.trigger);
    if (!view) throw new Error(`no modal was opened with ${p.trigger}`);
    const values = Object.fromEntries(
      Object.entries(p.values).map(([block, inputs]) => [
        block,
        Object.fromEntries(Object.entries(inputs).map(([action, value]) => [action, { type: 'plain_text_input', value }])),
      ]),
    );
    const payload = {
      type: 'view_submission',
      team: { id: TEAM, domain: 'standin' },
      user: { id: p.user, username: p.user.toLowerCase(), team_id: TEAM },
      api_app_id: APP,
      token: 'legacy-verification-token',
      trigger_id: `trigger-${++this.seq}`,
      view: { id: `VMODAL${this.seq}`, team_id: TEAM, ...view, state: { values }, hash: `${this.seq}.hash` },
      response_urls: [],
    };
    return this.envelope('interactive', payload, false);
  }

  /** The block_actions payload of a button press, for HTTP mode as well. */
  buttonPayload(p: ButtonPress): Record<string, unknown> {
    return {
      type: 'block_actions',
      user: { id: p.user, username: p.user.toLowerCase(), team_id: TEAM },
      api_app_id: APP,
      token: 'legacy-verification-token',
      container: { type: 'message', message_ts: p.messageTs, channel_id: p.channel, is_ephemeral: false },
      trigger_id: `trigger-${++this.seq}`,
      team: { id: TEAM, domain: 'standin' },
      channel: { id: p.channel, name: 'chaos' },
      message: { type: 'message', ts: p.messageTs, text: 'attack', user: this.botUserId },
      response_url: `${this.url}/respond/${this.seq}`,
      actions: [
        {
          action_id: p.actionId,
          block_id: 'b1',
          text: { type: 'plain_text', text: 'Stop' },
          value: p.value,
          style: 'danger',
          type: 'button',
          action_ts: this.nextTs(),
        },
      ],
    };
  }

  async close(): Promise<void> {
    this.unstall();
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private nextTs(): string {
    this.seq++;
    return `1700000000.${String(this.seq).padStart(6, '0')}`;
  }

  private envelope(type: string, payload: unknown, acceptsResponse: boolean): string {
    const id = `env-${++this.seq}`;
    const open = [...this.sockets].filter((s) => s.readyState === s.OPEN && !this.silent.has(s));
    if (open.length === 0) throw new Error('no Socket Mode connection to deliver to');
    // Slack delivers each envelope on one connection.
    open[open.length - 1]?.send(
      JSON.stringify({ envelope_id: id, payload, type, accepts_response_payload: acceptsResponse, retry_attempt: 0 }),
    );
    return id;
  }

  private onSocket(ws: WebSocket): void {
    this.connectionsAccepted++;
    this.sockets.add(ws);
    ws.on('close', () => {
      this.sockets.delete(ws);
      this.helloPending.delete(ws);
      this.silent.delete(ws);
    });
    ws.on('error', () => {});
    ws.on('ping', (data) => {
      if (!this.silent.has(ws)) ws.pong(data);
    });
    ws.on('message', (data) => {
      try {
        const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
        if (msg.envelope_id) this.acks.set(msg.envelope_id, msg.payload ?? {});
      } catch {
        /* not an ack */
      }
    });
    if (this.holdHello) this.helloPending.add(ws);
    else this.hello(ws);
  }

  private hello(ws: WebSocket): void {
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.size,
        debug_info: { host: 'standin', approximate_connection_time: 18060 },
        connection_info: { app_id: APP },
      }),
    );
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.url);
    if (url.pathname.startsWith('/upload/')) {
      const fileId = url.pathname.slice('/upload/'.length);
      this.uploads.push({ fileId, bytes: body, contentType: req.headers['content-type'] });
      this.calls.push({ method: 'upload', args: { fileId, bytes: body.length }, token: null, answer: 'ok' });
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${body.length}`);
      return;
    }
    if (url.pathname.startsWith('/respond/')) {
      if (this.failResponses > 0) {
        this.failResponses--;
        this.calls.push({ method: 'response_url', args: { url: url.pathname }, token: null, answer: 'http 404' });
        res.writeHead(404, { 'content-type': 'text/plain' }).end('expired_url');
        return;
      }
      const text = body.toString('utf8');
      if (text && blockKitProblems(JSON.parse(text) as Record<string, unknown>).length > 0) {
        this.calls.push({ method: 'response_url', args: { url: url.pathname }, token: null, answer: 'invalid_blocks' });
        res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_blocks');
        return;
      }
      this.responses.push({ url: `${this.url}${url.pathname}`, body: text ? (JSON.parse(text) as Response['body']) : {} });
      this.calls.push({ method: 'response_url', args: { url: url.pathname }, token: null, answer: 'ok' });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (!url.pathname.startsWith('/api/')) {
      res.writeHead(404).end();
      return;
    }
    const method = url.pathname.slice('/api/'.length);
    const args = parseArgs(req.headers['content-type'], body);
    if (this.stalled.get(method)?.(args)) await new Promise<void>((resolve) => this.stallWaiters.push(resolve));
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof args.token === 'string' ? args.token : null;
    const failure = this.takeFailure(method);
    if (failure) {
      this.answerFailure(res, method, args, token, failure);
      return;
    }
    const [answer, data] = answerWebApi(this.web, method, args, token);
    this.calls.push({ method, args, token, answer: answer === 200 ? 'ok' : String(data.error) });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(data));
  }

  private takeFailure(method: string): Failure | undefined {
    const entry = this.failures.find((f) => f.left > 0 && (f.method === method || f.method === '*'));
    if (!entry) return undefined;
    entry.left--;
    return entry.failure;
  }

  private answerFailure(res: ServerResponse, method: string, args: Record<string, unknown>, token: string | null, f: Failure) {
    switch (f.kind) {
      case 'ok-false':
        this.calls.push({ method, args, token, answer: f.error });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: f.error }));
        return;
      case 'http':
        this.calls.push({ method, args, token, answer: `http ${f.status}` });
        res.writeHead(f.status, { 'content-type': 'text/plain' }).end('stand-in failure');
        return;
      case 'done-but':
        answerWebApi(this.web, method, args, token);
        this.calls.push({ method, args, token, answer: f.error });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: f.error }));
        return;
      case 'rate-limit':
        this.calls.push({ method, args, token, answer: '429' });
        res
          .writeHead(429, { 'content-type': 'application/json', 'retry-after': String(f.retryAfter) })
          .end(JSON.stringify({ ok: false, error: 'ratelimited' }));
    }
  }
}

/** The real bot process on `file`, connected by Socket Mode to the stand-in; resolves once connected. */
export function startBotOnStandin(slack: SlackStandin, file: string): Promise<LiveBot> {
  return startBot(
    ['--config', file],
    { SLACK_BOT_TOKEN: STANDIN_BOT_TOKEN, SLACK_APP_TOKEN: STANDIN_APP_TOKEN, SLACK_API_URL: slack.apiUrl },
    /connected to Slack \(Socket Mode\)/,
  );
}
