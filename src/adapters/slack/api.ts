import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Clock } from '../../ports/clock.js';
import type { Timers } from '../../ports/timers.js';
import { systemClock } from '../system/clock.js';
import { systemTimers } from '../system/timers.js';

/** Bounds on how hard one Web API call is tried. */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  /** Back-off before the second try; doubles after each failure. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Retry-After is honoured up to this; a longer wait is cut to it. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 1_000, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 };

export type CallResult =
  | { readonly ok: true; readonly data: Readonly<Record<string, unknown>> }
  | {
      readonly ok: false;
      readonly error: string;
      /** Slack answered and said no (`channel_not_found`, HTTP 4xx), rather than not answering. */
      readonly refused: boolean;
      /** Trying again may work (transient error, 5xx, network, 429). */
      readonly retry?: boolean;
      /** The call may have taken effect although it failed (internal_error, 5xx, timeout): a post may be there. */
      readonly ambiguous?: boolean;
      /** Slack's Retry-After (429), in ms. */
      readonly waitMs?: number;
    };

export interface CallOptions {
  /** Tries in all; defaults to the policy's. */
  readonly attempts?: number;
  /** No try starts after this many ms from the call: a retry whose wait would end later is given up. */
  readonly withinMs?: number;
}

/** Slack errors that say "try again later" rather than "you got it wrong". */
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

/** Failures after which Slack may have done it anyway: the answer was lost, not the request. */
const AMBIGUOUS = new Set(['internal_error', 'fatal_error', 'request_timeout', 'service_unavailable']);

interface Verdict {
  readonly retry: boolean;
  /** The request may have taken effect (see AMBIGUOUS, HTTP 5xx, a lost connection). */
  readonly ambiguous?: boolean;
  /** Slack answered and refused; false when it could not be reached or failed on its side. */
  readonly refused: boolean;
  readonly reason: string;
  readonly waitMs?: number;
}

/** Reads the web-api error codes (not classes: a second copy of the package would break instanceof). */
export function classify(error: unknown): Verdict {
  const e = error as {
    code?: string;
    retryAfter?: number;
    statusCode?: number;
    data?: { error?: string; response_metadata?: { retryAfter?: number } };
    original?: Error;
    message?: string;
  };
  switch (e?.code) {
    case 'slack_webapi_rate_limited_error':
      return {
        retry: true,
        refused: false,
        reason: `rate limited (Retry-After ${e.retryAfter}s)`,
        waitMs: (e.retryAfter ?? 1) * 1_000,
      };
    case 'slack_webapi_http_error': {
      const status = e.statusCode ?? 0;
      const retry = status >= 500 || status === 408;
      return { retry, refused: !retry, ambiguous: status >= 500, reason: `HTTP ${status}` };
    }
    case 'slack_webapi_request_error':
      return {
        retry: true,
        refused: false,
        ambiguous: true,
        reason: `cannot reach Slack: ${e.original?.message ?? e.message}`,
      };
    case 'slack_webapi_platform_error': {
      const code = e.data?.error ?? 'unknown_error';
      const after = e.data?.response_metadata?.retryAfter;
      const retry = TRANSIENT.has(code);
      return {
        retry,
        refused: !retry,
        ambiguous: AMBIGUOUS.has(code),
        reason: code,
        ...(after ? { waitMs: after * 1_000 } : {}),
      };
    }
    default:
      return { retry: false, refused: false, reason: e?.message ?? String(error) };
  }
}

/**
 * Web API calls with bounded retries: 5xx, network errors, transient `ok:false` and 429 (after its
 * Retry-After, capped) are tried again; anything else is returned at once. Side effects: the call
 * itself and a log line per failure. Never throws. Stops retrying once `signal` is aborted.
 *
 * Calls made through one SlackApi share its WebClient's request queue (at most 100 in flight), so
 * the transport keeps command replies and announcements on separate instances.
 */
export class SlackApi {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly logger: Logger,
    private readonly policy: RetryPolicy,
    private readonly signal: AbortSignal,
    /** Time for the retries' deadline and waits: injected, like the poster's and the pacer's. */
    private readonly time: { readonly clock: Clock; readonly timers: Timers } = { clock: systemClock, timers: systemTimers },
  ) {}

  async call(method: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<CallResult> {
    const attempts = Math.max(1, options.attempts ?? this.policy.attempts);
    const until = options.withinMs === undefined ? Number.POSITIVE_INFINITY : this.time.clock.now() + options.withinMs;
    let delay = this.policy.baseDelayMs;
    let reason = 'not tried';
    let refused = false;
    let last: Verdict | null = null;
    for (let attempt = 1; attempt <= attempts && !this.signal.aborted; attempt++) {
      try {
        const data = (await this.client.apiCall(method, args)) as unknown as Record<string, unknown>;
        return { ok: true, data };
      } catch (error) {
        const verdict = classify(error);
        last = verdict;
        reason = verdict.reason;
        refused = verdict.refused;
        const wait = verdict.waitMs !== undefined ? Math.min(verdict.waitMs, this.policy.maxRetryAfterMs) : delay;
        const giveUp = !verdict.retry || attempt === attempts || this.time.clock.now() + wait >= until;
        this.logger.warn({ method, attempt, attempts, reason, giveUp }, `Slack ${method} failed: ${reason}`);
        if (giveUp) break;
        delay = Math.min(delay * 2, this.policy.maxDelayMs);
        if (!(await this.pause(wait))) break;
      }
    }
    return {
      ok: false,
      error: this.signal.aborted ? `${reason} (stopped)` : reason,
      refused,
      retry: last?.retry ?? false,
      ambiguous: last?.ambiguous ?? false,
      ...(last?.waitMs !== undefined ? { waitMs: last.waitMs } : {}),
    };
  }

  /** Waits unless the transport stops first; false when stopped. */
  pause(ms: number): Promise<boolean> {
    if (this.signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const stopped = () => {
        cancel();
        resolve(false);
      };
      const cancel = this.time.timers.after(ms, () => {
        this.signal.removeEventListener('abort', stopped);
        resolve(true);
      });
      this.signal.addEventListener('abort', stopped, { once: true });
    });
  }

  get stopped(): boolean {
    return this.signal.aborted;
  }
}
