import type { Logger } from 'pino';
import {
  type AttackDef,
  failingText,
  type HealthReport,
  isHealthy,
  type ProbeRecord,
  type VerdictKindStored,
} from '../../domain/model.js';
import { failingOf } from '../../domain/policy.js';
import { type NoVerdict, type ProbeSample, type Verdict, verdictOf } from '../../domain/verdict.js';
import type { Clock } from '../../ports/clock.js';
import type { HealthCheck } from '../../ports/health-check.js';
import type { Cancel, Timers } from '../../ports/timers.js';
import { noVerdictText, verdictDetail } from '../../words/verdicts.js';
import { deferred } from './deferred.js';

export interface VerificationDeps {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Logger;
  readonly probeIntervalMs: number;
  readonly windowMs: number;
  /** Keeps a sample (the store, retried when it refuses). */
  readonly record: (sample: ProbeRecord) => void;
}

/** What is decided once the verdict is known; `unknown` when the bot stopped before it was. */
export interface Outcome {
  readonly kind: VerdictKindStored;
  readonly ttdMs: number | null;
  readonly ttrMs: number | null;
  readonly detail: string;
  readonly verdict: Verdict | null;
}

export function toSample(report: HealthReport): ProbeSample {
  return {
    at: report.checkedAt,
    healthy: isHealthy(report),
    failing: failingOf(report),
  };
}

/** With `abortOnDeviation`, the attack's own failing probes that abort it; null when they do not. */
export function deviationFailing(attack: AttackDef, report: HealthReport): string | null {
  if (!attack.abortOnDeviation) return null;
  const own = report.results.filter((r) => !r.healthy && attack.probes.includes(r.name));
  return own.length === 0 ? null : failingText(own);
}

/**
 * The steady-state timeline of one live attack, on the injected timers: probes every
 * `probeInterval` during the fault, then from its end until the steady state holds again or the
 * recovery window is over. Resolves `done` with the verdict (pure rule: domain/verdict.ts).
 */
export class Verification {
  private readonly samples: ProbeSample[] = [];
  private faultStart = 0;
  private faultEnd: number | null = null;
  /** The fault started on the host: the timeline runs. */
  started = false;
  private timer: Cancel | null = null;
  private midTimer: Cancel | null = null;
  private windowTimer: Cancel | null = null;
  /** Samples whose round started during the fault: none, and nobody watched it (no verdict). */
  private watched = 0;
  private checking = false;
  private precondition: string | null = null;
  private settled = false;
  private readonly outcome = deferred<Outcome>();
  /** Settles with the verdict (or `unknown` when abandoned). */
  readonly done = this.outcome.promise;

  constructor(
    private readonly deps: VerificationDeps,
    readonly attack: AttackDef,
    private readonly probes: HealthCheck,
    /** Told of every sample taken during the fault (abortOnDeviation). */
    private readonly onDuring: (report: HealthReport) => void = () => {},
  ) {}

  /** The fault started on the host: probe every interval while it runs. */
  start(at: number): void {
    if (this.started) return;
    this.started = true;
    this.faultStart = at;
    this.timer = this.deps.timers.every(this.deps.probeIntervalMs, () => void this.probe());
    // A fault too short for the interval to land inside it is sampled at its midpoint.
    const mid = Math.floor(this.attack.durationMs / 2);
    if (this.deps.probeIntervalMs > mid) this.midTimer = this.deps.timers.after(mid, () => void this.probe());
  }

  /** The fault ended (rollback done or aborted): probe now, then until a verdict. */
  faultEnded(at: number): void {
    if (this.faultEnd !== null || this.settled) return;
    this.faultEnd = at;
    this.timer?.();
    this.midTimer?.();
    this.timer = this.deps.timers.every(this.deps.probeIntervalMs, () => void this.probe());
    if (this.precondition !== null) {
      // The steady state did not hold before the attack (--force): no verdict can be drawn.
      this.finish({ kind: 'unknown', ttdMs: null, ttrMs: null, detail: this.precondition, verdict: null });
      return;
    }
    // The timer may fire a moment before the clock says the window is over: this is the end of it.
    this.windowTimer = this.deps.timers.after(this.deps.windowMs, () => this.evaluate(true));
    void this.probe();
  }

  /** The steady state did not hold before the fault (a forced attack): the verdict will be unknown. */
  noVerdict(why: NoVerdict): void {
    this.precondition = noVerdictText(why);
  }

  /** The bot stops before the verdict is known. */
  abandon(why: NoVerdict): void {
    this.finish({ kind: 'unknown', ttdMs: null, ttrMs: null, detail: noVerdictText(why), verdict: null });
  }

  private async probe(): Promise<void> {
    if (this.checking || this.settled) return;
    this.checking = true;
    // The phase is that of the moment the round started, not of when it answered.
    const phase = this.faultEnd === null ? 'during' : 'after';
    try {
      const report = await this.probes.check();
      if (this.settled) return;
      const sample = toSample(report);
      this.samples.push(sample);
      if (phase === 'during') this.watched++;
      try {
        this.deps.record({ at: sample.at, phase, healthy: sample.healthy, results: report.results });
      } catch (error) {
        this.deps.logger.error({ err: error }, 'cannot keep a probe sample');
      }
      if (phase === 'during') this.onDuring(report);
      this.evaluate();
    } catch (error) {
      this.deps.logger.error({ err: error }, 'probe round failed');
    } finally {
      this.checking = false;
    }
  }

  private evaluate(windowOver = false): void {
    if (this.settled) return;
    const now = this.deps.clock.now();
    const verdict = verdictOf({
      faultStart: this.faultStart,
      faultEnd: this.faultEnd,
      windowMs: this.deps.windowMs,
      now: windowOver && this.faultEnd !== null ? Math.max(now, this.faultEnd + this.deps.windowMs) : now,
      samples: this.samples,
    });
    if (verdict.kind === 'pending') return;
    if (this.watched === 0 && verdict.kind === 'held') {
      // Nothing was seen while the fault was on: "held" would be drawn from not looking. A failure
      // seen after it (recovered, not recovered) is a fact, and not-recovered must still halt.
      this.finish({ kind: 'unknown', ttdMs: null, ttrMs: null, detail: noVerdictText({ kind: 'not-watched' }), verdict: null });
      return;
    }
    this.finish({
      kind: verdict.kind,
      ttdMs: verdict.kind === 'held' ? null : verdict.ttdMs,
      ttrMs: verdict.kind === 'recovered' ? verdict.ttrMs : null,
      detail: verdictDetail(verdict, this.deps.windowMs),
      verdict,
    });
  }

  private finish(outcome: Outcome): void {
    if (this.settled) return;
    this.settled = true;
    this.timer?.();
    this.midTimer?.();
    this.windowTimer?.();
    this.outcome.resolve(outcome);
  }
}
