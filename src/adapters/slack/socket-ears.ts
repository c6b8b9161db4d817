import diagnostics from 'node:diagnostics_channel';
import type { Logger } from 'pino';
import type { Ears, Hearing } from '../../ports/chat.js';
import type { Clock } from '../../ports/clock.js';
import type { Cancel, Timers } from '../../ports/timers.js';
import { classify } from './api.js';
import { SlackTransportError } from './errors.js';

/** The part of @slack/socket-mode's SocketModeClient that is watched and driven here. */
export interface SocketClient {
  start(): Promise<unknown>;
  disconnect(): Promise<void>;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

export interface ReconnectTuning {
  /**
   * Proof of hearing: a pong to the client's pings, or any frame, within this. The client pings every
   * two thirds of it and drops a connection silent for twice as long (clientPingTimeout).
   */
  readonly hearingWindowMs: number;
  /** Wait after a connection that worked goes away (Slack's refresh_requested). */
  readonly reconnectMinMs: number;
  /** Back-off after a failed attempt; doubles per failure up to the max. */
  readonly reconnectBaseMs: number;
  readonly reconnectMaxMs: number;
  /** An attempt that gets no `hello` within this is abandoned and tried again. */
  readonly helloTimeoutMs: number;
}

export const DEFAULT_RECONNECT: ReconnectTuning = {
  hearingWindowMs: 2_000,
  reconnectMinMs: 250,
  reconnectBaseMs: 1_000,
  reconnectMaxMs: 30_000,
  helloTimeoutMs: 30_000,
};

/** Where undici reports a pong frame on any WebSocket (@slack/socket-mode reads it there too). */
const PONG_CHANNEL = 'undici:websocket:pong';

/** Errors after which the app token itself is wrong: retrying cannot help at start. */
const FATAL = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
]);

/**
 * Hears while the Socket Mode connection is open (Slack said `hello` and nothing closed it since).
 * It also owns reconnection — the client's own is off — so that every attempt is bounded, backs off,
 * and no failure escapes as an unhandled rejection. Side effects: connects and reconnects the client.
 */
export class SocketEars implements Ears {
  private connected = false;
  /** The last frame or pong heard on the current connection (ms); null before its first pong. */
  private lastHeard: number | null = null;
  private readonly onPong = (message: unknown) => {
    // The diagnostics channel carries every undici WebSocket of the process: only this client's counts.
    const ws = (message as { websocket?: unknown } | null)?.websocket;
    const ours = (this.client as unknown as { websocket?: { websocket?: unknown } }).websocket?.websocket;
    if (ws === undefined || ws !== ours || !this.connected) return;
    const first = this.lastHeard === null;
    this.lastHeard = this.time.clock.now();
    if (first) {
      this.logger.info('Slack Socket Mode answered its first ping: stop can be heard');
      this.first?.resolve();
      this.first = null;
    }
  };
  private reason = 'connecting to Slack';
  private starting = false;
  private stopping = false;
  private failures = 0;
  /** Slack's Retry-After from the last failed attempt, honoured up to reconnectMaxMs. */
  private retryAfterMs = 0;
  private timer: Cancel | null = null;
  private helloTimer: Cancel | null = null;
  private first: { resolve: () => void; reject: (e: Error) => void } | null = null;

  constructor(
    private readonly client: SocketClient,
    private readonly logger: Logger,
    private readonly tuning: ReconnectTuning,
    /** Time for hearing (the last pong) and for the reconnects' and the hello's waits: injected. */
    private readonly time: { readonly clock: Clock; readonly timers: Timers },
  ) {
    diagnostics.subscribe(PONG_CHANNEL, this.onPong);
    client.on('connected', () => {
      this.connected = true;
      // A new connection counts only after its first pong: hello alone proves nothing lasting.
      this.lastHeard = null;
      this.reason = '';
      this.failures = 0;
      this.cancelHello();
      this.logger.info('Slack Socket Mode connected; waiting for its first pong');
    });
    client.on('ws_message', (data) => {
      if (this.connected && this.lastHeard !== null) this.lastHeard = this.time.clock.now();
      this.onMessage(data);
    });
    client.on('disconnected', () => {
      this.down('the Socket Mode connection is closed');
      if (!this.starting) this.schedule();
    });
    client.on('error', (error) => this.logger.warn({ err: error }, 'Slack Socket Mode error'));
  }

  /**
   * Heard when the connection is open, has answered a ping, and a pong or a frame came within the
   * hearing window: a socket that stops delivering without closing is deaf within that window, dated
   * from the last thing heard on it.
   */
  hearing(): Hearing {
    if (!this.connected) return { ok: false, reason: `Slack Socket Mode is not connected (${this.reason})` };
    if (this.lastHeard === null) return { ok: false, reason: 'Slack Socket Mode connected; waiting for its first pong' };
    const silent = this.time.clock.now() - this.lastHeard;
    if (silent > this.tuning.hearingWindowMs) {
      return {
        ok: false,
        reason: `cannot hear stop: Slack Socket Mode has been silent for ${Math.round(silent / 100) / 10} s (no pong, no frame)`,
        since: this.lastHeard,
      };
    }
    return { ok: true };
  }

  /** Connects; resolves once Slack said hello and answered a ping. Throws SLACK_AUTH for a rejected token, SLACK_CONNECT on timeout. */
  async start(timeoutMs: number): Promise<void> {
    const connected = new Promise<void>((resolve, reject) => {
      this.first = { resolve, reject };
    });
    const cancel = this.time.timers.after(timeoutMs, () => {
      this.first?.reject(
        new SlackTransportError('SLACK_CONNECT', `no Socket Mode connection to Slack within ${timeoutMs} ms (${this.reason})`),
      );
      this.first = null;
    });
    void this.connect();
    try {
      await connected;
    } finally {
      cancel();
    }
  }

  async stop(): Promise<void> {
    diagnostics.unsubscribe(PONG_CHANNEL, this.onPong);
    this.stopping = true;
    this.connected = false;
    this.reason = 'stopped';
    this.timer?.();
    this.timer = null;
    this.cancelHello();
    await this.client.disconnect().catch((error) => this.logger.warn({ err: error }, 'Socket Mode disconnect failed'));
  }

  /** Slack announces a recycle with `disconnect` before closing: deaf from that moment. */
  private onMessage(data: unknown): void {
    if (typeof data !== 'string' || !data.includes('"disconnect"')) return;
    try {
      const message = JSON.parse(data) as { type?: string; reason?: string };
      if (message.type === 'disconnect') this.down(`Slack asked to reconnect: ${message.reason ?? 'no reason'}`);
    } catch {
      /* not ours to judge: the client ignores unreadable messages too */
    }
  }

  private down(reason: string): void {
    if (this.connected) this.logger.warn({ reason }, 'Slack Socket Mode disconnected: no attack starts until it is back');
    this.connected = false;
    this.reason = reason;
  }

  private schedule(): void {
    if (this.stopping || this.starting || this.timer) return;
    const { reconnectMinMs, reconnectBaseMs, reconnectMaxMs } = this.tuning;
    const backoff = this.failures === 0 ? reconnectMinMs : Math.min(reconnectBaseMs * 2 ** (this.failures - 1), reconnectMaxMs);
    const wait = Math.max(backoff, Math.min(this.retryAfterMs, reconnectMaxMs));
    this.retryAfterMs = 0;
    this.timer = this.time.timers.after(wait, () => {
      this.timer = null;
      void this.connect();
    });
  }

  private cancelHello(): void {
    this.helloTimer?.();
    this.helloTimer = null;
  }

  private async connect(): Promise<void> {
    if (this.stopping || this.starting) return;
    this.starting = true;
    this.reason = this.failures === 0 ? 'connecting' : `reconnecting (attempt ${this.failures + 1})`;
    this.cancelHello();
    this.helloTimer = this.time.timers.after(this.tuning.helloTimeoutMs, () => {
      this.helloTimer = null;
      this.logger.warn({ timeoutMs: this.tuning.helloTimeoutMs }, 'no hello from Slack; trying again');
      void this.client.disconnect().catch(() => {});
    });
    try {
      await this.client.start();
    } catch (error) {
      this.failures++;
      const verdict = classify(error);
      this.retryAfterMs = verdict.waitMs ?? 0;
      this.down(`cannot connect: ${verdict.reason}`);
      this.logger.warn({ reason: verdict.reason, failures: this.failures }, 'Slack Socket Mode connection attempt failed');
      if (FATAL.has(verdict.reason)) {
        this.logger.error({ reason: verdict.reason }, 'Slack rejected SLACK_APP_TOKEN');
        this.first?.reject(new SlackTransportError('SLACK_AUTH', `Slack rejected SLACK_APP_TOKEN: ${verdict.reason}`));
        this.first = null;
      }
    } finally {
      this.starting = false;
      this.cancelHello();
    }
    if (!this.connected) this.schedule();
  }
}
