import { setTimeout as sleep } from 'node:timers/promises';
import type { webApi } from '@slack/bolt';
import type { Logger } from 'pino';

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
  | { readonly ok: false; readonly error: string };

/** Slack errors that say "try again later" rather than "you got it wrong". */
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

interface Verdict {
  readonly retry: boolean;
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
      return { retry: true, reason: `rate limited (Retry-After ${e.retryAfter}s)`, waitMs: (e.retryAfter ?? 1) * 1_000 };
    case 'slack_webapi_http_error': {
      const status = e.statusCode ?? 0;
      return { retry: status >= 500 || status === 408, reason: `HTTP ${status}` };
    }
    case 'slack_webapi_request_error':
      return { retry: true, reason: `cannot reach Slack: ${e.original?.message ?? e.message}` };
    case 'slack_webapi_platform_error': {
      const code = e.data?.error ?? 'unknown_error';
      const after = e.data?.response_metadata?.retryAfter;
      return { retry: TRANSIENT.has(code), reason: code, ...(after ? { waitMs: after * 1_000 } : {}) };
    }
    default:
      return { retry: false, reason: e?.message ?? String(error) };
  }
}

/**
 * Web API calls with bounded retries: 5xx, network errors, transient `ok:false` and 429 (after its
 * Retry-After, capped) are tried again; anything else is returned at once. Side effects: the call
 * itself and a log line per failure. Never throws. Stops retrying once `signal` is aborted.
 */
export class SlackApi {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly logger: Logger,
    private readonly policy: RetryPolicy,
    private readonly signal: AbortSignal,
  ) {}

  async call(method: string, args: Record<string, unknown>, options: { attempts?: number } = {}): Promise<CallResult> {
    const attempts = Math.max(1, options.attempts ?? this.policy.attempts);
    let delay = this.policy.baseDelayMs;
    let reason = 'not tried';
    for (let attempt = 1; attempt <= attempts && !this.signal.aborted; attempt++) {
      try {
        const data = (await this.client.apiCall(method, args)) as unknown as Record<string, unknown>;
        return { ok: true, data };
      } catch (error) {
        const verdict = classify(error);
        reason = verdict.reason;
        const last = !verdict.retry || attempt === attempts;
        this.logger.warn({ method, attempt, attempts, reason, giveUp: last }, `Slack ${method} failed: ${reason}`);
        if (last) break;
        const wait = verdict.waitMs !== undefined ? Math.min(verdict.waitMs, this.policy.maxRetryAfterMs) : delay;
        delay = Math.min(delay * 2, this.policy.maxDelayMs);
        if (!(await this.pause(wait))) break;
      }
    }
    return { ok: false, error: this.signal.aborted ? `${reason} (stopped)` : reason };
  }

  /** Waits unless the transport stops first; false when stopped. */
  async pause(ms: number): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal: this.signal });
      return true;
    } catch {
      return false;
    }
  }

  get stopped(): boolean {
    return this.signal.aborted;
  }
}
