import type { Logger } from 'pino';
import { attackEnv } from '../domain/attack-env.js';
import { formatDuration } from '../domain/duration.js';
import type { AttackDef, AttackRecord, HostDef, Trigger } from '../domain/model.js';
import { healthSkip } from '../domain/policy.js';
import type { AbortOutcome, Announcer } from '../ports/chat.js';
import type { Clock } from '../ports/clock.js';
import type { AbortResult, AttackResult, Executor, RunningAttack } from '../ports/executor.js';
import type { HealthCheck } from '../ports/health-check.js';
import type { Store } from '../ports/store.js';

/** Slack of the host-side timer beyond the attack's duration (kill-after and rollback). */
export const DEADLINE_GRACE_MS = 30_000;

export interface RunnerDeps {
  readonly store: Store;
  readonly executor: Executor;
  readonly announcer: Announcer;
  readonly health: HealthCheck;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly dryRun: boolean;
  readonly cooldownMs: number;
  readonly healthIntervalMs: number;
  readonly haltOnHealthFailure: boolean;
  readonly botAddresses: readonly string[];
  /** Called when a health failure during an attack should latch a halt. */
  readonly latchHalt: (by: string, reason: string) => void;
  /** Observers (metrics); must not throw. */
  readonly onFinished?: (record: AttackRecord) => void;
  readonly onAborted?: (outcome: AbortOutcome) => void;
}

interface Flight {
  readonly id: string;
  readonly attack: AttackDef;
  readonly host: HostDef;
  running: RunningAttack | null;
  /** Settles once launch knows whether the attack started (the running attack) or not (null). */
  readonly started: Promise<RunningAttack | null>;
  settleStart: (running: RunningAttack | null) => void;
  monitor: NodeJS.Timeout | null;
  aborting: Promise<AbortOutcome> | null;
  finalized: boolean;
  /** Settles when the record is final. */
  readonly finished: Promise<void>;
  finish: () => void;
}

/** The id an attack goes by on the host: `<database instance>-<row id>`. */
export function remoteId(store: Store, id: string): string {
  return `${store.instanceId()}-${id}`;
}

export type LaunchResult =
  | { readonly ok: true; readonly record: AttackRecord }
  | { readonly ok: false; readonly reason: string; readonly record?: AttackRecord };

/**
 * Dispatches attacks and keeps every one in flight within reach of `abortAll`. The record is
 * written before anything runs; every path ends in a final state with a reason.
 */
export class AttackRunner {
  private readonly flights = new Map<string, Flight>();

  constructor(private readonly deps: RunnerDeps) {}

  get inFlightCount(): number {
    return this.flights.size;
  }

  inFlight(): AttackRecord[] {
    return [...this.flights.keys()].map((id) => this.deps.store.getAttack(id)).filter((r): r is AttackRecord => !!r);
  }

  async launch(attack: AttackDef, host: HostDef, trigger: Trigger): Promise<LaunchResult> {
    const { store, clock, logger } = this.deps;
    const now = clock.now();
    const durationMs = attack.durationMs;
    let id: string;
    try {
      id = store.insertAttack({
        attack: attack.name,
        host: host.name,
        trigger,
        dryRun: this.deps.dryRun,
        createdAt: now,
        deadlineAt: now + durationMs + DEADLINE_GRACE_MS,
        durationMs,
      });
    } catch (error) {
      logger.error({ err: error }, 'cannot record the attack; not starting it');
      return { ok: false, reason: `not started: ${(error as Error).message}` };
    }
    let finish = () => {};
    const finished = new Promise<void>((r) => {
      finish = r;
    });
    let settleStart: (running: RunningAttack | null) => void = () => {};
    const started = new Promise<RunningAttack | null>((r) => {
      settleStart = r;
    });
    const flight: Flight = {
      id,
      attack,
      host,
      running: null,
      started,
      settleStart,
      monitor: null,
      aborting: null,
      finalized: false,
      finished,
      finish,
    };
    this.flights.set(id, flight);
    const record = () => store.getAttack(id) as AttackRecord;
    this.announce({ kind: 'attack-started', record: record(), attack });

    const job = {
      id: remoteId(store, id),
      attack,
      host,
      durationMs,
      env: attackEnv({ id: remoteId(store, id), attack, host, durationMs, botAddresses: this.deps.botAddresses }),
    };
    try {
      const pre = await this.deps.executor.preflight(job);
      if (!pre.ok) return this.failBeforeStart(flight, `pre-flight: ${pre.reason}`);
      if (flight.aborting) {
        // The abort records the outcome; nothing was started.
        flight.settleStart(null);
        return { ok: false, reason: 'stopped before it started', record: store.getAttack(id) };
      }
      const running = await this.deps.executor.start(job);
      flight.running = running;
      flight.settleStart(running);
      try {
        store.markRunning(id, clock.now(), running.remotePgid);
      } catch (error) {
        logger.error({ err: error, id }, 'cannot record the start; reverting the attack');
        void this.abortOne(flight, 'the start could not be recorded');
      }
      running.done.then(
        (result) => this.settle(flight, result),
        (error) => this.settle(flight, this.crashed(error)),
      );
      this.watchHealth(flight);
      this.announce({
        kind: 'attack-progress',
        record: record(),
        text: this.deps.dryRun ? 'dry run: nothing touched' : 'started on the host',
      });
      return { ok: true, record: record() };
    } catch (error) {
      return this.failBeforeStart(flight, `could not start: ${(error as Error).message}`);
    }
  }

  private crashed(error: unknown): AttackResult {
    return {
      outcome: 'failed',
      exitCode: null,
      signal: null,
      outputTail: '',
      rollbackOk: false,
      reason: `executor error: ${(error as Error)?.message ?? String(error)}`,
      endedAt: this.deps.clock.now(),
    };
  }

  private failBeforeStart(flight: Flight, reason: string): LaunchResult {
    flight.settleStart(null);
    this.finalize(flight, { state: 'failed', endedAt: this.deps.clock.now(), reason, rollbackOk: null });
    return { ok: false, reason, record: this.deps.store.getAttack(flight.id) };
  }

  private settle(flight: Flight, result: AttackResult): void {
    if (flight.aborting) return; // the abort path records the outcome
    this.finalize(flight, {
      state: result.outcome,
      endedAt: result.endedAt,
      exitCode: result.exitCode,
      signal: result.signal,
      outputTail: result.outputTail,
      reason: result.reason,
      rollbackOk: result.rollbackOk,
    });
  }

  private finalize(flight: Flight, finish: Parameters<Store['finishAttack']>[1]): void {
    if (flight.finalized) return;
    flight.finalized = true;
    if (flight.monitor) clearInterval(flight.monitor);
    flight.monitor = null;
    this.flights.delete(flight.id);
    const { store, logger } = this.deps;
    try {
      store.finishAttack(flight.id, finish);
    } catch (error) {
      logger.error({ err: error, id: flight.id, finish }, 'cannot record the attack outcome');
    }
    try {
      store.setCooldownUntil(finish.endedAt + this.deps.cooldownMs);
    } catch (error) {
      logger.error({ err: error }, 'cannot record the cooldown');
    }
    const record = store.getAttack(flight.id);
    if (record) {
      this.announce({ kind: 'attack-ended', record });
      this.deps.onFinished?.(record);
    }
    flight.finish();
  }

  private watchHealth(flight: Flight): void {
    const { health, healthIntervalMs } = this.deps;
    let checking = false;
    flight.monitor = setInterval(async () => {
      if (checking || flight.aborting) return;
      checking = true;
      try {
        const report = await health.check();
        try {
          this.deps.store.recordHealth(report);
        } catch {
          /* a missing health row must not stop the check */
        }
        const skip = healthSkip(report);
        if (skip && !flight.aborting && this.flights.has(flight.id)) {
          const failing = report.results.filter((r) => !r.healthy);
          const reason = `health check failed: ${skip.reason.replace(/^unhealthy: /, '')}`;
          if (this.deps.haltOnHealthFailure) this.deps.latchHalt('health-gate', reason);
          const outcome = await this.abortOne(flight, reason);
          const record = this.deps.store.getAttack(flight.id);
          if (record) {
            this.announce({ kind: 'auto-aborted', record, failing, halted: this.deps.haltOnHealthFailure });
          }
          this.deps.logger.warn({ id: flight.id, outcome }, 'attack aborted: health failed');
        }
      } finally {
        checking = false;
      }
    }, healthIntervalMs);
    flight.monitor.unref();
  }

  /** Kills and reverts one attack; records the outcome. Idempotent. */
  private abortOne(flight: Flight, reason: string): Promise<AbortOutcome> {
    if (flight.aborting) return flight.aborting;
    const started = this.deps.clock.now();
    flight.aborting = (async () => {
      try {
        this.deps.store.markAborting(flight.id, reason);
      } catch (error) {
        this.deps.logger.error({ err: error }, 'cannot record the abort; aborting anyway');
      }
      const deadlineAt = this.deps.store.getAttack(flight.id)?.deadlineAt ?? started;
      // Still in pre-flight or connecting: wait until launch knows, so that what we report is true.
      const running = flight.running ?? (await flight.started);
      const result: AbortResult = running
        ? await running.abort(reason)
        : { outcome: 'reverted', detail: 'stopped before it started', tookMs: this.deps.clock.now() - started };
      const outcome: AbortOutcome = {
        attackId: flight.id,
        attack: flight.attack.name,
        host: flight.host.name,
        result,
        deadlineAt,
      };
      this.finalize(flight, {
        state: result.outcome === 'reverted' ? 'reverted' : 'failed',
        endedAt: this.deps.clock.now(),
        reason: `${reason}: ${result.outcome === 'reverted' ? `reverted in ${formatDuration(result.tookMs)}` : result.detail}`,
        rollbackOk: result.outcome === 'reverted',
      });
      this.deps.onAborted?.(outcome);
      return outcome;
    })();
    return flight.aborting;
  }

  /** Aborts every attack in flight concurrently and waits for each to be reverted or given up on. */
  async abortAll(reason: string): Promise<AbortOutcome[]> {
    const flights = [...this.flights.values()];
    return Promise.all(flights.map((f) => this.abortOne(f, reason)));
  }

  /** Resolves when nothing is in flight (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.flights.size > 0) await Promise.all([...this.flights.values()].map((f) => f.finished));
  }

  private announce(event: Parameters<Announcer['announce']>[0]): void {
    this.deps.announcer.announce(event).catch((error) => this.deps.logger.warn({ err: error }, 'announce failed'));
  }
}
