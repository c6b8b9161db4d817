import type { Logger } from 'pino';
import type { Config } from '../../config/config.js';
import type { AbortWhy } from '../../domain/ending.js';
import { type AttackRecord, failingText } from '../../domain/model.js';
import { healthSkip } from '../../domain/policy.js';
import type { Announcer, Ears } from '../../ports/chat.js';
import type { Clock } from '../../ports/clock.js';
import type { HealthCheck } from '../../ports/health-check.js';
import type { HealthLog } from '../../ports/store.js';
import type { Cancel, Timers } from '../../ports/timers.js';
import { abortText } from '../../words/endings.js';
import type { Flight } from './flight.js';
import type { HaltLatch } from './halt-latch.js';

export interface WatchDeps {
  readonly config: Config;
  /** Only the health samples it takes are written. */
  readonly store: Pick<HealthLog, 'recordHealth'>;
  readonly announcer: Announcer;
  readonly ears: Ears;
  readonly health: HealthCheck;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Logger;
  readonly latch: HaltLatch;
}

export interface WatchHooks {
  /** Asks the runner to abort one flight (through the lifecycle). */
  readonly abort: (flight: Flight, why: AbortWhy) => void;
  /** Flights in flight now. */
  readonly live: () => Flight[];
  /** The current record of an attack. */
  readonly record?: (id: string) => AttackRecord | undefined;
}

/** How often the bot asks itself whether it can still hear `stop` while an attack runs. */
const HEARING_CHECK_MS = 1_000;

/**
 * The watches of live attacks, on the injected timers: health every `healthInterval` (not for an
 * attack forced past the gate), and hearing: unable to hear `stop` for longer than `deafTimeout`
 * while an attack runs, every attack is reverted, and the bot says why once it can post again.
 */
export class Watches {
  private hearingTimer: Cancel | null = null;
  private deafSince: number | null = null;
  private deafReason = '';
  /** Attacks reverted for deafness, told once the bot hears again. */
  private untold: { id: string; attack: string; host: string }[] = [];

  constructor(
    private readonly deps: WatchDeps,
    private readonly hooks: WatchHooks,
  ) {}

  watch(flight: Flight): void {
    if (!flight.request.force) flight.watches.push(this.watchHealth(flight));
    this.hearingTimer ??= this.deps.timers.every(Math.min(HEARING_CHECK_MS, this.deps.config.schedule.deafTimeout), () =>
      this.checkHearing(),
    );
  }

  /** Called when a flight ends: the hearing watch stops once nothing runs and nothing is left to tell. */
  idle(): void {
    if (this.hooks.live().length === 0 && this.untold.length === 0 && this.deafSince === null) {
      this.hearingTimer?.();
      this.hearingTimer = null;
    }
  }

  private watchHealth(flight: Flight): Cancel {
    const { deps } = this;
    let checking = false;
    return deps.timers.every(deps.config.schedule.healthInterval, () => {
      if (checking || flight.life.phase !== 'running') return;
      checking = true;
      void (async () => {
        try {
          const report = await deps.health.check();
          try {
            deps.store.recordHealth(report);
          } catch {
            /* a missing health row must not stop the check */
          }
          const skip = healthSkip(report);
          if (!skip || flight.life.phase !== 'running') return;
          const failing = report.results.filter((r) => !r.healthy);
          const why: AbortWhy = { kind: 'health', failing: failingText(failing) };
          const halted = deps.config.schedule.haltOnHealthFailure;
          if (halted) {
            const reason = abortText(why, deps.config.timezone);
            deps.latch.halt({ by: 'health-gate', at: deps.clock.now(), reason }, { journal: true });
          }
          this.hooks.abort(flight, why);
          await flight.ended;
          const record = flight.id === null ? undefined : this.hooks.record?.(flight.id);
          if (record) deps.announcer.announce({ kind: 'auto-aborted', record, failing, halted }).catch(() => {});
          deps.logger.warn({ id: flight.id }, 'attack aborted: health failed');
        } catch (error) {
          deps.logger.error({ err: error, id: flight.id }, 'health watch failed');
        } finally {
          checking = false;
        }
      })();
    });
  }

  private checkHearing(): void {
    const { deps } = this;
    const now = deps.clock.now();
    const hearing = deps.ears.hearing();
    if (!hearing.ok) {
      if (this.deafSince === null) {
        // From the last thing heard, when the ears know it (a silent socket), not from this check.
        this.deafSince = hearing.since !== undefined && hearing.since < now ? hearing.since : now;
        deps.logger.warn({ reason: hearing.reason }, 'cannot hear stop while an attack runs');
      }
      this.deafReason = hearing.reason;
      const deafFor = now - this.deafSince;
      if (deafFor < deps.config.schedule.deafTimeout) return;
      const why: AbortWhy = { kind: 'deaf', forMs: deafFor, why: hearing.reason };
      for (const flight of this.hooks.live()) {
        if (flight.life.phase !== 'running' && flight.life.phase !== 'starting') continue;
        if (flight.life.abortWhy !== null) continue;
        this.hooks.abort(flight, why);
        this.untold.push({ id: String(flight.id), attack: flight.attack?.name ?? '?', host: flight.host?.name ?? '?' });
      }
      return;
    }
    if (this.deafSince !== null && this.untold.length > 0) {
      const _tz = deps.config.timezone;
      deps.announcer
        .announce({
          kind: 'notice',
          notice: {
            kind: 'deaf-reverted',
            from: this.deafSince,
            to: now,
            why: this.deafReason,
            timeoutMs: deps.config.schedule.deafTimeout,
            attacks: this.untold,
          },
        })
        .catch(() => {});
      this.untold = [];
    }
    this.deafSince = null;
    this.idle();
  }
}
