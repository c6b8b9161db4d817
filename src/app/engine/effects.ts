/** The lifecycle machine's effects, carried out for one flight at a time (the runner calls `run`). */
import type { AbortWhy } from '../../domain/ending.js';
import type { Effect, FinalPhase, LifeEvent } from '../../domain/lifecycle.js';
import { drawNext } from '../../domain/schedule-draw.js';
import type { ChatEvent, Progress } from '../../ports/chat.js';
import { errorMessage } from '../../ports/errors.js';
import type { AbortResult } from '../../ports/executor.js';
import type { Cancel } from '../../ports/timers.js';
import { abortText } from '../../words/endings.js';
import { DetectionWatch } from './detection-watch.js';
import { gatherEvidence } from './evidence.js';
import { recordVerdict, runFinals } from './final-record.js';
import { type Flight, type Leg, recordedId, runningOf } from './flight.js';
import { legAborts, recordAborting, recordRunning, writeFinals } from './leg-records.js';
import type { RecordKeeper } from './record-keeper.js';
import type { RunnerDeps } from './runner-deps.js';
import type { Watches } from './watches.js';

/** After an abort answered, how long to wait for the attack's own end (its exit code and output). */
const END_GRACE_MS = 2_000;

/** Asks one host to revert (the machine asks once per host); its answer is kept on the leg. */
function revertLeg(leg: Leg, reason: string): Promise<AbortResult> {
  const keep = (result: AbortResult) => {
    leg.abortResult = result;
    return result;
  };
  return runningOf(leg)
    .abort(reason)
    .then(keep, (error: unknown) =>
      keep({ outcome: 'failed', found: { kind: 'error', during: 'abort', cause: errorMessage(error) }, tookMs: 0 }),
    );
}

/** One host's revert in a run over several hosts, to be told as it arrives (words: progressText). */
function hostReverted(leg: Leg, result: AbortResult, deadlineAt: number): Progress {
  return { kind: 'host-reverted', host: leg.host.name, id: leg.id, result, deadlineAt };
}

/** What carrying out effects needs of the runner: the machine, for the world's answers, and the slot. */
export interface EffectsRunner {
  /** An answer from the world (a host's revert, the verdict) as an event of the flight's life. */
  apply(flight: Flight, event: LifeEvent): void;
  /** The flight's slot is free: nothing of it is in flight any more. */
  free(flight: Flight): void;
  announce(event: ChatEvent): void;
}

/**
 * When the scheduler may attack again after an attack ended: the cooldown, or with
 * `schedule.meanInterval` a time drawn around that mean in business hours (schedule-draw.ts), never
 * before the cooldown. Kept as the cooldown, so it survives a restart and `status` names it.
 */
function nextScheduled(deps: Pick<RunnerDeps, 'config' | 'hours' | 'random'>, endedAt: number): number {
  const { cooldown, meanInterval } = deps.config.schedule;
  const after = endedAt + cooldown;
  if (!meanInterval) return after;
  const drawn = drawNext(endedAt, meanInterval, deps.hours, deps.random.next());
  return drawn === null ? after : Math.max(after, drawn);
}

/**
 * The effects of the lifecycle machine (domain/lifecycle.ts), carried out: records written, hosts
 * reverted, watches started and stopped, the end and the verdict recorded and told. What the world
 * answers later (a revert, the verdict) goes back to the machine as an event; nothing here decides
 * what state a flight is in.
 */
export class FlightEffects {
  constructor(
    private readonly deps: RunnerDeps,
    private readonly records: RecordKeeper,
    private readonly watches: Watches,
    private readonly runner: EffectsRunner,
  ) {}

  /** Carries out one effect of the machine for this flight. */
  run(flight: Flight, effect: Effect): void {
    const { clock } = this.deps;
    switch (effect.kind) {
      case 'record-running': {
        // The fault is on the host (even if a stop is already reverting it): its timeline starts.
        this.startVerification(flight);
        recordRunning(this.records, flight, clock.now());
        return;
      }
      case 'record-aborting':
        recordAborting(this.records, flight, abortText(effect.why, this.deps.config.timezone));
        return;
      case 'revert-leg':
        this.revert(flight, effect.leg, effect.why);
        return;
      case 'cancel-start':
        flight.cancelStart.abort();
        return;
      case 'watch':
        this.watches.watch(flight);
        return;
      case 'unwatch':
        for (const cancel of flight.watches.splice(0)) cancel();
        return;
      case 'finish':
        this.finish(flight, effect.phase, effect.touchedHost, effect.verdict);
        return;
      case 'conclude':
        this.conclude(flight);
        return;
    }
  }

  /**
   * Reverts one host of the flight. In a run over several hosts its revert is told as it arrives
   * (its thread); the attack's own end (exit code, output) usually lands right after, and is kept if
   * it does within END_GRACE_MS. Then the machine hears the answer.
   */
  private revert(flight: Flight, i: number, why: AbortWhy): void {
    const leg = flight.legs[i];
    if (!leg) return;
    const running = runningOf(leg);
    void revertLeg(leg, abortText(why, this.deps.config.timezone)).then(async (result) => {
      const record = flight.id === null ? undefined : this.records.get(flight.id);
      if (record && flight.legs.length > 1)
        this.runner.announce({ kind: 'attack-progress', record, progress: hostReverted(leg, result, record.deadlineAt) });
      let cancelGrace: Cancel = () => {};
      const grace = new Promise<void>((r) => {
        cancelGrace = this.deps.timers.after(END_GRACE_MS, r);
      });
      await Promise.race([running.done.catch(() => {}), grace]);
      cancelGrace();
      this.runner.apply(flight, { kind: 'leg-reverted', leg: i, outcome: result.outcome });
    });
  }

  private finish(flight: Flight, phase: FinalPhase, touchedHost: boolean, verdict: 'await' | 'none' | 'run-failed'): void {
    const { clock, config } = this.deps;
    const endedAt = clock.now();
    for (const cancel of flight.watches.splice(0)) cancel();
    // Its own `run` failed (a non-zero exit, rolled back, no stop asked): reported as failed, with
    // no verdict; the fault may never have been in place, so "held" would claim what nobody saw.
    if (verdict === 'run-failed') flight.verification?.abandon({ kind: 'run-failed' });
    const verifying = verdict === 'await';
    if (!verifying) this.runner.free(flight);
    const id = flight.id;
    if (id !== null) {
      const deadlineAt = this.records.get(id)?.deadlineAt ?? endedAt;
      const finals = runFinals(flight, phase, touchedHost, deadlineAt, config.timezone);
      const { run: updated, legs } = writeFinals(this.records, finals, endedAt, verifying);
      if (touchedHost)
        this.deps.latch.cooldown(nextScheduled(this.deps, endedAt), (fn) =>
          this.records.write({ id: null, what: 'the cooldown', run: fn }),
        );
      // A fault that may remain latches the halt before the ending is told: nothing starts after it.
      if (touchedHost) this.deps.faults?.fromRun(flight);
      if (updated) {
        this.runner.announce({ kind: 'attack-ended', record: updated, ...(legs.length ? { legs } : {}) });
        this.deps.onFinished?.(updated);
        for (const aborted of legAborts(flight, updated.attack, updated.deadlineAt)) this.deps.onAborted?.(aborted);
      }
    }
    flight.markEnded();
    if (verifying && flight.verification) {
      flight.verification.faultEnded(endedAt);
      const detection = flight.detection;
      void flight.verification.done
        .then(async (outcome) => ({ outcome, detection: detection ? await detection.finish() : null }))
        .then((judgement) => {
          flight.judgement = judgement;
          this.runner.apply(flight, { kind: 'verdict-known' });
        });
      return;
    }
    this.watches.idle();
    flight.finish();
  }

  private startVerification(flight: Flight): void {
    const v = flight.verification;
    if (!v || v.started) return;
    const at = this.deps.clock.now();
    v.start(at);
    const sources = this.deps.detection ?? [];
    if (sources.length > 0 && !this.deps.config.dryRun) {
      const { clock, timers, logger } = this.deps;
      const hosts = flight.legs.map((l) => l.host);
      const intervalMs = this.deps.config.verdict.probeInterval;
      flight.detection = new DetectionWatch({ sources, clock, timers, logger, intervalMs }, hosts, at);
      flight.detection.start();
    }
  }

  /** The verdict is known: record it, tell it, halt if the system did not recover, free the slot. */
  private conclude(flight: Flight): void {
    const id = recordedId(flight);
    if (flight.judgement === null) throw new Error(`attack #${id}: concluded before its verdict was known`);
    const { outcome, detection } = flight.judgement;
    const { record, halted } = recordVerdict(this.deps, this.records, flight, outcome, detection);
    this.runner.free(flight);
    this.records.release(id);
    if (record) {
      this.runner.announce({ kind: 'verdict', record, halted });
      gatherEvidence(this.deps, (event) => this.runner.announce(event), record, flight);
      // What the people on call learned: asked once the verdict is known, for live attacks only.
      if (this.deps.askAfterVerdict && !record.dryRun)
        this.runner.announce({ kind: 'questions', record, runbook: flight.attack?.runbook ?? null });
      this.deps.onVerdict?.(record);
    }
    this.watches.idle();
    flight.finish();
  }
}
