import type { Logger } from 'pino';
import type { Ears, Hearing } from '../../ports/chat.js';
import type { Cancel, Timers } from '../../ports/timers.js';
import { systemClock } from '../system/clock.js';
import { systemTimers } from '../system/timers.js';
import type { SlackApi } from './api.js';

export const PROBE_INTERVAL_MS = 30_000;

/**
 * HTTP mode has no connection to watch: the bot hears while the Web API answers auth.test, probed
 * every interval. An answer older than three intervals counts as none. Side effects: the probes.
 */
export class ProbeEars implements Ears {
  private lastOkAt: number | null = null;
  private lastError: string | null = 'not probed yet';
  private probing: Promise<void> | null = null;
  private cancel: Cancel = () => {};

  constructor(
    private readonly api: SlackApi,
    private readonly logger: Logger,
    private readonly intervalMs = PROBE_INTERVAL_MS,
    private readonly now: () => number = systemClock.now,
    private readonly timers: Timers = systemTimers,
  ) {}

  hearing(): Hearing {
    if (this.lastError !== null) return { ok: false, reason: `the Slack Web API does not answer (${this.lastError})` };
    if (this.lastOkAt === null || this.now() - this.lastOkAt > 3 * this.intervalMs) {
      return { ok: false, reason: 'no recent answer from the Slack Web API' };
    }
    return { ok: true };
  }

  start(): void {
    this.cancel();
    this.cancel = this.timers.every(this.intervalMs, () => void this.probe());
  }

  async stop(): Promise<void> {
    this.cancel();
  }

  /** One auth.test, no retry; overlapping calls share the probe in flight. */
  probe(): Promise<void> {
    this.probing ??= this.run().finally(() => {
      this.probing = null;
    });
    return this.probing;
  }

  private async run(): Promise<void> {
    const result = await this.api.call('auth.test', {}, { attempts: 1 });
    if (result.ok) {
      if (this.lastError !== null && this.lastOkAt !== null) this.logger.info('the Slack Web API answers again');
      this.lastOkAt = this.now();
      this.lastError = null;
      return;
    }
    if (this.lastError === null) this.logger.warn({ error: result.error }, 'the Slack Web API does not answer: no attack starts');
    this.lastError = result.error;
  }
}
