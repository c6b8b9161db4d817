import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../ports/clock.js';
import type { Cancel, Timers } from '../../ports/timers.js';
import type { CallResult, RetryPolicy, SlackApi } from './api.js';

/** Slack allows about one message a second per channel, with short bursts. */
export interface PaceLimits {
  /** Messages per second a channel gets in the long run. */
  readonly perSecond: number;
  /** Messages a quiet channel may take at once. */
  readonly burst: number;
}

export const DEFAULT_PACE: PaceLimits = { perSecond: 1, burst: 3 };

/** Channels whose bucket is remembered before the idle ones are forgotten. */
const MAX_CHANNELS = 500;

/** The metadata event type that marks our posts, so a retried post can be found instead of posted twice. */
export const POST_EVENT_TYPE = 'chaoscat_post';

export interface PostOptions {
  /**
   * A halt, an attack's top message (the attack waits for it), a stop's reply: goes before the
   * channel's other posts and is not held back by pacing. Slack's Retry-After still holds.
   */
  readonly urgent?: boolean;
  /** No try starts later than this many ms after the call. */
  readonly withinMs?: number;
  /** Asked just before the first try: false drops the post (its sender stopped waiting for it). */
  readonly wanted?: () => boolean;
}

interface Item {
  readonly api: SlackApi;
  readonly args: Record<string, unknown>;
  readonly key: string;
  readonly deadline: number;
  readonly wanted: (() => boolean) | undefined;
  readonly resolve: (result: CallResult) => void;
}

interface Channel {
  tokens: number;
  refilledAt: number;
  /** Slack said 429: nothing goes to the channel before this. */
  blockedUntil: number;
  readonly urgent: Item[];
  readonly normal: Item[];
  timer: Cancel | null;
  timerDue: number;
}

/**
 * chat.postMessage, paced per channel (a token bucket: `burst` at once, then `perSecond`), in the
 * order queued; urgent posts (halts, attack starts, stop replies) go at once, past the waiting ones,
 * and never wait for another post to be answered. A 429 holds the whole channel for its Retry-After.
 * Order inside an attack's thread is AnnouncementQueues' job: it queues the next post once the last
 * one was answered. A post that failed in a way that may
 * have reached Slack (internal_error, 5xx, a lost answer) is looked up by its metadata key in the
 * channel or thread before it is tried again, so it never appears twice. Side effects: Web API calls
 * and timers; logs failures. Never throws.
 */
export class ChannelPacer {
  private readonly channels = new Map<string, Channel>();

  constructor(
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly timers: Timers,
    private readonly retry: RetryPolicy,
    private readonly limits: PaceLimits = DEFAULT_PACE,
  ) {}

  /** Queues the post; resolves with Slack's answer (its `ts`), or why it could not be posted. */
  post(api: SlackApi, args: Record<string, unknown>, options: PostOptions = {}): Promise<CallResult> {
    const channel = String(args.channel ?? '');
    const state = this.channel(channel);
    const deadline = options.withinMs === undefined ? Number.POSITIVE_INFINITY : this.clock.now() + options.withinMs;
    return new Promise<CallResult>((resolve) => {
      const item: Item = { api, args, key: randomUUID(), deadline, wanted: options.wanted, resolve };
      (options.urgent ? state.urgent : state.normal).push(item);
      this.pump(channel, state);
    });
  }

  /** Posts waiting in a channel (not counting the ones on their way). */
  waiting(channel: string): number {
    const state = this.channels.get(channel);
    return state ? state.urgent.length + state.normal.length : 0;
  }

  private channel(id: string): Channel {
    let state = this.channels.get(id);
    if (!state) {
      // Every DM is a channel: forget the idle ones now and then (an idle channel has a full bucket anyway).
      if (this.channels.size >= MAX_CHANNELS) this.forgetIdle();
      state = {
        tokens: this.limits.burst,
        refilledAt: this.clock.now(),
        blockedUntil: 0,
        urgent: [],
        normal: [],
        timer: null,
        timerDue: 0,
      };
      this.channels.set(id, state);
    }
    return state;
  }

  private forgetIdle(): void {
    const now = this.clock.now();
    for (const [id, state] of this.channels) {
      const quiet = state.urgent.length + state.normal.length === 0 && state.timer === null && now >= state.blockedUntil;
      if (quiet) this.channels.delete(id);
    }
  }

  private refill(state: Channel, now: number): void {
    const earned = ((now - state.refilledAt) / 1_000) * this.limits.perSecond;
    state.tokens = Math.min(this.limits.burst, state.tokens + earned);
    state.refilledAt = now;
  }

  private pump(id: string, state: Channel): void {
    const now = this.clock.now();
    if (now < state.blockedUntil) {
      if (state.urgent.length + state.normal.length > 0) this.wake(id, state, state.blockedUntil - now);
      return;
    }
    this.refill(state, now);
    // Urgent posts go at once; they borrow tokens, but the debt is bounded, so the channel still averages out.
    for (let item = state.urgent.shift(); item; item = state.urgent.shift()) {
      state.tokens = Math.max(-this.limits.burst, state.tokens - 1);
      void this.send(state, item);
    }
    while (state.normal.length > 0 && state.tokens >= 1) {
      state.tokens -= 1;
      void this.send(state, state.normal.shift() as Item);
    }
    if (state.normal.length > 0) this.wake(id, state, Math.ceil(((1 - state.tokens) / this.limits.perSecond) * 1_000));
  }

  private wake(id: string, state: Channel, inMs: number): void {
    const due = this.clock.now() + inMs;
    if (state.timer && state.timerDue <= due) return;
    state.timer?.();
    state.timerDue = due;
    state.timer = this.timers.after(inMs, () => {
      state.timer = null;
      this.pump(id, state);
    });
  }

  private async send(state: Channel, item: Item): Promise<void> {
    if (item.wanted && !item.wanted()) {
      item.resolve({ ok: false, error: 'given up before it was sent', refused: false });
      return;
    }
    const args: Record<string, unknown> = {
      ...item.args,
      metadata: { event_type: POST_EVENT_TYPE, event_payload: { post_id: item.key } },
    };
    let delay = this.retry.baseDelayMs;
    let result: CallResult = { ok: false, error: 'not tried', refused: false };
    for (let attempt = 1; attempt <= this.retry.attempts; attempt++) {
      result = await item.api.call('chat.postMessage', args, { attempts: 1 });
      if (result.ok || !result.retry || item.api.stopped) break;
      if (result.ambiguous) {
        const ts = await this.find(item);
        if (ts !== null) {
          this.logger.info({ channel: args.channel, ts }, 'a post whose answer was lost had reached Slack; not posting it again');
          result = { ok: true, data: { ok: true, channel: args.channel, ts, deduplicated: true } };
          break;
        }
      }
      let wait = delay;
      if (result.waitMs !== undefined) {
        wait = Math.min(result.waitMs, this.retry.maxRetryAfterMs);
        state.blockedUntil = Math.max(state.blockedUntil, this.clock.now() + wait);
      }
      delay = Math.min(delay * 2, this.retry.maxDelayMs);
      if (attempt === this.retry.attempts || this.clock.now() + wait >= item.deadline) break;
      await new Promise<void>((resolve) => this.timers.after(wait, resolve));
    }
    item.resolve(result);
  }

  /** Our post with this key in the channel (or its thread), if Slack has it; null when not found or unknown. */
  private async find(item: Item): Promise<string | null> {
    const thread = typeof item.args.thread_ts === 'string' ? item.args.thread_ts : undefined;
    const method = thread ? 'conversations.replies' : 'conversations.history';
    const query = { channel: item.args.channel, include_all_metadata: true, limit: 100, ...(thread ? { ts: thread } : {}) };
    const found = await item.api.call(method, query, { attempts: 2 });
    if (!found.ok) {
      this.logger.warn(
        { channel: item.args.channel, error: found.error },
        'cannot check whether a failed post reached Slack; trying it again (it may appear twice)',
      );
      return null;
    }
    const messages = Array.isArray(found.data.messages) ? (found.data.messages as Record<string, unknown>[]) : [];
    for (const m of messages) {
      const meta = m.metadata as { event_type?: string; event_payload?: { post_id?: string } } | undefined;
      if (meta?.event_type === POST_EVENT_TYPE && meta.event_payload?.post_id === item.key && typeof m.ts === 'string') {
        return m.ts;
      }
    }
    return null;
  }
}
