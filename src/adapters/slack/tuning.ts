import type { RetryPolicy } from './api.js';
import type { PaceLimits } from './channel-pacer.js';
import type { ReconnectTuning } from './socket-ears.js';

/** Timings and bounds; the defaults suit Slack, tests shorten them. */
export interface SlackTuning {
  readonly retry: RetryPolicy;
  /** One Web API request at most. */
  readonly requestTimeoutMs: number;
  /** HTTP mode: how often auth.test checks that Slack answers. */
  readonly probeIntervalMs: number;
  /** How long admin group members are trusted before they are read again. */
  readonly groupCacheMs: number;
  /** Socket Mode: how long start waits for the first connection. */
  readonly startTimeoutMs: number;
  readonly reconnect: ReconnectTuning;
  /** How long stop waits for replies and announcements still queued. */
  readonly flushTimeoutMs: number;
  /** How long announceStart waits for Slack to take an attack's top message, retries included. */
  readonly announceStartTimeoutMs: number;
  /** Posts per channel: about one a second, short bursts. */
  readonly pace: PaceLimits;
}
