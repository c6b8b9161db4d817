import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { attackEnv } from '../domain/attack-env.js';
import type { BusinessHours } from '../domain/business-hours.js';
import { ADMITTED, type Effect, isFinalPhase, type Life, type LifeEvent, next } from '../domain/lifecycle.js';
import type { AttackDef, AttackRecord, HealthReport, HostDef, ProbeRecord, SkipCode, Trigger } from '../domain/model.js';
import { pickAttack, pickRequested, type Wanted } from '../domain/picker.js';
import { type Asker, decide, type GateInput, gate, healthSkip } from '../domain/policy.js';
import type { AbortOutcome, Announcer, Ears } from '../ports/chat.js';
import type { Clock } from '../ports/clock.js';
import {
  type AbortResult,
  type AttackJob,
  type AttackResult,
  type Executor,
  type RunningAttack,
  START_CANCELLED,
} from '../ports/executor.js';
import type { HealthCheck } from '../ports/health-check.js';
import type { Random } from '../ports/random.js';
import type { SteadyState } from '../ports/steady-state.js';
import type { Store } from '../ports/store.js';
import type { Cancel, Timers } from '../ports/timers.js';
import { abortFound, checkedText, endedReason } from './endings.js';
import { who } from './format.js';
import type { HaltLatch } from './halt-latch.js';
import { RecordKeeper } from './record-keeper.js';
import { type Outcome, toSample, Verification } from './verification.js';
import { Watches } from './watches.js';

/** Slack of the host-side timer beyond the attack's duration (kill-after and rollback). */
export const DEADLINE_GRACE_MS = 30_000;
/** After an abort answered, how long to wait for the attack's own end (its exit code and output). */
const END_GRACE_MS = 2_000;

export interface RunnerDeps {
  readonly config: Config;
  readonly hours: BusinessHours;
  readonly store: Store;
  readonly executor: Executor;
  readonly announcer: Announcer;
  readonly ears: Ears;
  readonly health: HealthCheck;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly random: Random;
  readonly logger: Logger;
  readonly latch: HaltLatch;
  /** The probes of each attack's steady state (its own plus the global health providers). */
  readonly steadyState: SteadyState;
  readonly botAddresses: readonly string[];
  /** One attack in flight; only the bench raises this, to measure stop with many. */
  readonly maxInFlight?: number;
  /** Observers (metrics); must not throw. */
  readonly onFinished?: (record: AttackRecord) => void;
  readonly onVerdict?: (record: AttackRecord) => void;
  readonly onAborted?: (outcome: AbortOutcome) => void;
}

/** What asks for an attack. */
export interface AttackRequest {
  readonly asker: Asker;
  readonly trigger: Trigger;
  /** run-once's named attack and host. */
  readonly want?: Wanted;
  /** --force: no health gate for this attack's whole life (audited by the command). */
  readonly force?: boolean;
}

export type LaunchResult =
  | { readonly ok: true; readonly record: AttackRecord }
  | { readonly ok: false; readonly code: SkipCode; readonly reason: string; readonly record?: AttackRecord | undefined };

/** One attack this process is responsible for, from its admission to its final state. */
export interface Flight {
  readonly seq: number;
  readonly request: AttackRequest;
  life: Life;
  id: string | null;
  attack: AttackDef | null;
  host: HostDef | null;
  job: AttackJob | null;
  running: RunningAttack | null;
  /** Aborted to ask the executor's start to run nothing. */
  readonly cancelStart: AbortController;
  /** Why it stopped before the host (refusal) or how it failed to start. */
  refusal: string | null;
  result: AttackResult | null;
  abortResult: AbortResult | null;
  watches: Cancel[];
  /** The steady-state timeline, from the fault's start to its verdict (live attacks). */
  verification: Verification | null;
  /** Settles when the fault has ended (final state written). */
  readonly ended: Promise<void>;
  markEnded: () => void;
  /** Settles when the slot is free: the fault ended and, for an attack that ran, its verdict is known. */
  readonly finished: Promise<void>;
  finish: () => void;
}

/** The id an attack goes by on the host: `<database instance>-<row id>`. */
export function remoteId(store: Store, id: string): string {
  return `${store.instanceId()}-${id}`;
}

/**
 * The one owner of every attack's lifecycle. Admission is decided and reserved synchronously,
 * before any await, and taken again after every await; every change of state goes through the pure
 * `next()` of domain/lifecycle.ts, whose effects this class carries out.
 */
export class AttackRunner {
  private readonly flights = new Map<number, Flight>();
  private seq = 0;
  readonly records: RecordKeeper;
  private readonly watches: Watches;
  /** Attacks left by a previous process that start-up recovery is still reverting. */
  recovering = 0;

  constructor(private readonly deps: RunnerDeps) {
    this.records = new RecordKeeper(deps.store, deps.timers, deps.logger);
    this.watches = new Watches(deps, {
      abort: (flight, reason) => this.apply(flight, { kind: 'abort', reason }),
      live: () => [...this.flights.values()],
      record: (id) => this.records.get(id),
    });
  }

  /** Attacks in flight, reservations included. */
  get inFlightCount(): number {
    return this.flights.size;
  }

  /** The records of attacks in flight (reservations without a row are left out). */
  inFlight(): AttackRecord[] {
    return this.list()
      .map((f) => (f.id === null ? undefined : this.records.get(f.id)))
      .filter((r): r is AttackRecord => r !== undefined);
  }

  list(): Flight[] {
    return [...this.flights.values()];
  }

  /** Admits, checks, records, announces and starts one attack; every refusal comes back coded. */
  async request(request: AttackRequest): Promise<LaunchResult> {
    const refused = gate(this.gateInput(request, 0));
    if (refused) return { ok: false, code: refused.code, reason: refused.reason };
    const flight = this.reserve(request);
    try {
      return await this.proceed(flight);
    } catch (error) {
      this.deps.logger.error({ err: error }, 'launch failed');
      const reason = `error: ${(error as Error).message}`;
      if (flight.life.phase === 'starting') {
        flight.refusal = reason;
        this.apply(flight, { kind: 'start-failed' });
      } else this.refuse(flight, reason);
      return this.outcome(flight, 'error', reason);
    }
  }

  private reserve(request: AttackRequest): Flight {
    let finish = () => {};
    const finished = new Promise<void>((r) => {
      finish = r;
    });
    let markEnded = () => {};
    const ended = new Promise<void>((r) => {
      markEnded = r;
    });
    const flight: Flight = {
      seq: ++this.seq,
      request,
      life: ADMITTED,
      id: null,
      attack: null,
      host: null,
      job: null,
      running: null,
      cancelStart: new AbortController(),
      refusal: null,
      result: null,
      abortResult: null,
      watches: [],
      verification: null,
      ended,
      markEnded,
      finished,
      finish,
    };
    this.flights.set(flight.seq, flight);
    return flight;
  }

  private gateInput(request: AttackRequest, others: number): GateInput {
    return {
      asker: request.asker,
      now: this.deps.clock.now(),
      state: this.deps.latch.state(),
      inFlight: this.flights.size - others,
      maxInFlight: this.deps.maxInFlight ?? 1,
      hours: this.deps.hours,
      hearing: this.deps.ears.hearing(),
    };
  }

  /** After an await: still ours, still allowed? A failed gate cancels the flight. */
  private recheck(flight: Flight): LaunchResult | null {
    if (flight.life.phase !== 'admitted' && flight.life.phase !== 'pending') {
      return this.outcome(flight, 'cancelled', flight.life.abortReason ?? 'stopped');
    }
    const skip = gate(this.gateInput(flight.request, 1));
    if (!skip) return null;
    this.apply(flight, { kind: 'abort', reason: skip.reason });
    return this.outcome(flight, skip.code, skip.reason);
  }

  private outcome(flight: Flight, code: SkipCode, reason: string): LaunchResult {
    return { ok: false, code, reason, record: flight.id === null ? undefined : this.records.get(flight.id) };
  }

  private refuse(flight: Flight, reason: string): void {
    flight.refusal = reason;
    this.apply(flight, { kind: 'refused' });
  }

  private async proceed(flight: Flight): Promise<LaunchResult> {
    const { deps } = this;
    const { request } = flight;
    let health: HealthReport | 'forced' = 'forced';
    if (!request.force) {
      health = await deps.health.check();
      const cancelled = this.recheck(flight);
      if (cancelled) return cancelled;
      try {
        deps.store.recordHealth(health);
      } catch (error) {
        const reason = `cannot record the health check: ${(error as Error).message}`;
        this.refuse(flight, reason);
        return this.outcome(flight, 'store-error', reason);
      }
    }
    const rng = () => deps.random.next();
    const decision = decide({
      ...this.gateInput(request, 1),
      health,
      pick: () =>
        request.asker === 'schedule'
          ? pickAttack(deps.config.attacks, deps.config.hosts, rng)
          : pickRequested(deps.config.attacks, deps.config.hosts, request.want ?? {}, rng),
    });
    if (decision.kind === 'skip') {
      this.refuse(flight, decision.reason);
      return this.outcome(flight, decision.code, decision.reason);
    }
    const { attack, host } = decision;
    flight.attack = attack;
    flight.host = host;
    // Before: the attack's steady state (its own probes and the global ones) must hold, as the
    // health gate does: refused before anything is recorded or announced.
    const probes = deps.steadyState.probesFor(attack);
    const before = probes ? await probes.check() : null;
    const afterProbes = this.recheck(flight);
    if (afterProbes) return afterProbes;
    const deviating = before ? healthSkip(before) : null;
    if (deviating && !request.force) {
      const reason = `the steady state does not hold before the attack (${deviating.reason.replace(/^unhealthy: /, '')})`;
      this.refuse(flight, reason);
      return this.outcome(flight, 'unhealthy', reason);
    }
    const now = deps.clock.now();
    let record: AttackRecord;
    try {
      record = this.records.insert({
        attack: attack.name,
        host: host.name,
        trigger: request.trigger,
        dryRun: deps.config.dryRun,
        createdAt: now,
        deadlineAt: now + attack.durationMs + DEADLINE_GRACE_MS,
        durationMs: attack.durationMs,
      });
    } catch (error) {
      const message = (error as Error).message;
      const reason = message.startsWith('cannot record') ? message : `cannot record the attack: ${message}`;
      this.refuse(flight, reason);
      return this.outcome(flight, 'store-error', reason);
    }
    flight.id = record.id;
    this.apply(flight, { kind: 'recorded' });
    if (before) {
      this.keepSample(record.id, {
        at: before.checkedAt,
        phase: 'before',
        healthy: toSample(before).healthy,
        results: before.results,
      });
    }
    const id = remoteId(deps.store, record.id);
    const env = attackEnv({ id, attack, host, durationMs: attack.durationMs, botAddresses: deps.botAddresses });
    flight.job = { id, attack, host, durationMs: attack.durationMs, env };

    const by = request.trigger.kind === 'user' ? who(request.trigger.user) : 'the schedule';
    const note = request.force ? `Health gate skipped (--force by ${by}) for this attack's whole life.` : undefined;
    const posted = await deps.announcer.announceStart({ kind: 'attack-started', record, attack, ...(note ? { note } : {}) });
    const afterPost = this.recheck(flight);
    if (afterPost) return afterPost;
    if (!posted.ok) {
      const reason = `the announcement could not be posted (${posted.reason}); no announcement, no attack`;
      this.refuse(flight, reason);
      return this.outcome(flight, 'announce', reason);
    }
    if (!deps.config.dryRun) {
      const left = await this.checkUnconfirmed(host);
      const afterCheck = this.recheck(flight);
      if (afterCheck) return afterCheck;
      if (left) {
        const reason = `pre-flight: ${left}; not attacking a host where an earlier fault may remain`;
        this.refuse(flight, reason);
        return this.outcome(flight, 'preflight', reason);
      }
    }
    const pre = await deps.executor.preflight(flight.job);
    const afterPreflight = this.recheck(flight);
    if (afterPreflight) return afterPreflight;
    if (!pre.ok) {
      const reason = `pre-flight: ${pre.reason}`;
      this.refuse(flight, reason);
      return this.outcome(flight, 'preflight', reason);
    }
    // No probe at all (no `health:`, no `steadyState:`): nothing can say whether it survived.
    if (probes)
      flight.verification = new Verification(
        {
          clock: deps.clock,
          timers: deps.timers,
          logger: deps.logger,
          probeIntervalMs: deps.config.verdict.probeInterval,
          windowMs: attack.recoveryMs ?? deps.config.verdict.recoveryWindow,
          record: (sample) => this.keepSample(record.id, sample),
        },
        attack,
        probes,
        (report) => this.deviation(flight, report),
      );
    if (deviating) {
      flight.verification?.noVerdict(
        `no verdict: the steady state did not hold before the attack (${deviating.reason.replace(/^unhealthy: /, '')}; --force)`,
      );
    }
    this.apply(flight, { kind: 'start' });
    let running: RunningAttack;
    try {
      running = await deps.executor.start(flight.job, flight.cancelStart.signal);
    } catch (error) {
      if ((error as { code?: string }).code === START_CANCELLED) {
        this.apply(flight, { kind: 'start-cancelled' });
        return this.outcome(flight, 'cancelled', flight.life.abortReason ?? 'stopped');
      }
      const reason = `could not start: ${(error as Error).message}`;
      flight.refusal = reason;
      this.apply(flight, { kind: 'start-failed' });
      return this.outcome(flight, 'start-failed', reason);
    }
    flight.running = running;
    running.done.then(
      (result) => {
        flight.result = result;
        this.apply(flight, { kind: 'ended', outcome: result.outcome });
      },
      (error) => {
        flight.result = this.crashed(error);
        this.apply(flight, { kind: 'ended', outcome: 'failed' });
      },
    );
    this.apply(flight, { kind: 'started' });
    if (flight.life.phase !== 'running') {
      return this.outcome(
        flight,
        'cancelled',
        `cancelled by ${flight.life.abortReason ?? 'stop'}; it had started and is being reverted`,
      );
    }
    const text = deps.config.dryRun ? 'dry run: nothing touched' : 'started on the host';
    const current = this.records.get(record.id) ?? record;
    this.announce({ kind: 'attack-progress', record: current, text });
    return { ok: true, record: current };
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

  /** The one way a flight changes state: the pure transition, then its effects. */
  apply(flight: Flight, event: LifeEvent): void {
    const step = next(flight.life, event);
    flight.life = step.life;
    for (const effect of step.effects) this.effect(flight, effect);
  }

  private effect(flight: Flight, effect: Effect): void {
    const { clock } = this.deps;
    const id = flight.id;
    switch (effect.kind) {
      case 'record-running': {
        // The fault is on the host (even if a stop is already reverting it): its timeline starts.
        this.startVerification(flight);
        if (id === null) return;
        const startedAt = clock.now();
        const pgid = flight.running?.remotePgid ?? null;
        this.records.update(id, { state: 'running', startedAt, remotePgid: pgid }, 'the attack start', (s) =>
          s.markRunning(id, startedAt, pgid),
        );
        return;
      }
      case 'record-aborting':
        if (id === null) return;
        this.records.update(id, { state: 'aborting', reason: effect.reason }, 'the abort', (s) =>
          s.markAborting(id, effect.reason),
        );
        return;
      case 'abort-host': {
        const running = flight.running;
        if (!running) return;
        running.abort(effect.reason).then(
          async (result) => {
            flight.abortResult = result;
            // The attack's own end (exit code, output) usually lands right after: keep it if it does.
            await Promise.race([running.done.catch(() => {}), new Promise<void>((r) => this.deps.timers.after(END_GRACE_MS, r))]);
            this.apply(flight, { kind: 'abort-done', outcome: result.outcome });
          },
          (error) => {
            flight.abortResult = { outcome: 'failed', detail: `abort error: ${String(error)}`, tookMs: 0 };
            this.apply(flight, { kind: 'abort-done', outcome: 'failed' });
          },
        );
        return;
      }
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
        this.finish(flight, effect.phase, effect.touchedHost);
        return;
    }
  }

  private finish(
    flight: Flight,
    phase: Exclude<Life['phase'], 'admitted' | 'pending' | 'starting' | 'running' | 'aborting'>,
    touchedHost: boolean,
  ): void {
    const { clock, config } = this.deps;
    const endedAt = clock.now();
    for (const cancel of flight.watches.splice(0)) cancel();
    const verifying = touchedHost && flight.verification?.started === true;
    if (!verifying) this.flights.delete(flight.seq);
    const id = flight.id;
    const host = flight.host?.name ?? '?';
    if (id !== null) {
      const record = this.records.get(id);
      const abort = flight.abortResult;
      const result = flight.result;
      let patch: Partial<AttackRecord>;
      if (abort && flight.life.abortReason !== null) {
        const found = abortFound(host, abort, record?.deadlineAt ?? endedAt, config.timezone);
        patch = {
          reason: `${flight.life.abortReason}: ${found}`,
          rollbackOk: abort.outcome === 'reverted' ? true : abort.outcome === 'unreachable' ? null : false,
          unconfirmed: abort.outcome === 'unreachable',
          ...(result ? { exitCode: result.exitCode, signal: result.signal, outputTail: result.outputTail } : {}),
        };
      } else if (result) {
        patch = {
          reason: endedReason(host, result),
          exitCode: result.exitCode,
          signal: result.signal,
          outputTail: result.outputTail,
          rollbackOk: result.unconfirmed ? null : result.rollbackOk,
          unconfirmed: result.unconfirmed === true,
        };
      } else if (phase === 'cancelled') {
        patch = {
          reason: `cancelled before it touched the host: ${flight.life.abortReason ?? flight.refusal ?? 'stopped'}`,
          rollbackOk: null,
        };
      } else {
        patch = { reason: flight.refusal ?? 'failed', rollbackOk: null };
      }
      const final = { ...patch, state: phase, endedAt };
      const updated = this.records.update(id, final, 'the attack outcome', (s) =>
        s.finishAttack(id, {
          state: phase,
          endedAt,
          exitCode: final.exitCode ?? null,
          signal: final.signal ?? null,
          ...(final.outputTail !== undefined ? { outputTail: final.outputTail } : {}),
          reason: final.reason ?? null,
          rollbackOk: final.rollbackOk ?? null,
          unconfirmed: final.unconfirmed ?? false,
        }),
      );
      if (touchedHost)
        this.deps.latch.cooldown(endedAt + config.schedule.cooldown, (fn) =>
          this.records.write({ id: null, what: 'the cooldown', run: fn }),
        );
      if (!verifying) this.records.release(id);
      if (updated) {
        this.announce({ kind: 'attack-ended', record: updated });
        this.deps.onFinished?.(updated);
        if (abort) {
          this.deps.onAborted?.({ attackId: id, attack: updated.attack, host, result: abort, deadlineAt: updated.deadlineAt });
        }
      }
    }
    flight.markEnded();
    if (verifying && flight.verification) {
      flight.verification.faultEnded(endedAt);
      void flight.verification.done.then((outcome) => this.conclude(flight, outcome));
      return;
    }
    this.watches.idle();
    flight.finish();
  }

  private startVerification(flight: Flight): void {
    const v = flight.verification;
    if (!v || v.started) return;
    v.start(this.deps.clock.now());
  }

  /** abortOnDeviation: the attack's own probes failing during the fault abort it. */
  private deviation(flight: Flight, report: HealthReport): void {
    const attack = flight.attack;
    if (!attack?.abortOnDeviation || flight.life.phase !== 'running') return;
    const own = report.results.filter((r) => !r.healthy && attack.probes.includes(r.name));
    if (own.length === 0) return;
    const reason = `steady state deviated: ${own.map((r) => `${r.name}: ${r.reason}`).join('; ')}`;
    this.apply(flight, { kind: 'abort', reason });
  }

  private keepSample(id: string, sample: ProbeRecord): void {
    this.records.write({ id: null, what: 'a probe sample', run: (s) => s.recordSample(id, sample) });
  }

  /** The verdict is known: record it, tell it, halt if the system did not recover, free the slot. */
  private conclude(flight: Flight, outcome: Outcome): void {
    const { config, clock, latch } = this.deps;
    const id = flight.id as string;
    const patch = { verdict: outcome.kind, ttdMs: outcome.ttdMs, ttrMs: outcome.ttrMs, verdictDetail: outcome.detail };
    const updated =
      this.records.update(id, patch, 'the verdict', (s) =>
        s.setVerdict(id, { kind: outcome.kind, ttdMs: outcome.ttdMs, ttrMs: outcome.ttrMs, detail: outcome.detail }),
      ) ?? this.records.get(id);
    // A dry run touched nothing: its probes failing is told, but does not blame an attack with a halt.
    const halt = outcome.kind === 'not-recovered' && config.verdict.haltOnNotRecovered && !config.dryRun;
    if (halt)
      latch.halt({
        by: 'verdict',
        at: clock.now(),
        reason: `#${id} ${flight.attack?.name ?? ''} did not recover: ${outcome.detail}`,
      });
    this.flights.delete(flight.seq);
    this.records.release(id);
    if (updated) {
      this.announce({ kind: 'verdict', record: { ...updated, ...patch }, halted: halt });
      this.deps.onVerdict?.({ ...updated, ...patch });
    }
    this.watches.idle();
    flight.finish();
  }

  /**
   * Stops everything in flight at once without waiting for any host: reservations and pending
   * attacks are cancelled on the spot, running ones are told to revert (their results follow as
   * `attack-ended`). Returns what was reverted and what was cancelled.
   */
  abortAll(reason: string): { reverting: AttackRecord[]; cancelled: Flight[] } {
    const reverting: AttackRecord[] = [];
    const cancelled: Flight[] = [];
    for (const flight of this.list()) {
      const before = flight.life.phase;
      // Its fault already ended: only its verdict is pending, nothing to revert.
      if (isFinalPhase(before)) continue;
      this.apply(flight, { kind: 'abort', reason });
      if (before === 'admitted' || before === 'pending') cancelled.push(flight);
      else if (flight.id !== null) {
        const record = this.records.get(flight.id);
        if (record) reverting.push(record);
      }
    }
    return { reverting, cancelled };
  }

  /** Aborts everything and waits until each attack reached its final state (shutdown). */
  async abortAndWait(reason: string): Promise<AbortOutcome[]> {
    const flights = this.list();
    this.abortAll(reason);
    await Promise.all(flights.map((f) => f.ended));
    for (const f of flights) f.verification?.abandon(`the bot stopped (${reason}) before the recovery window ended`);
    await Promise.all(flights.map((f) => f.finished));
    return flights
      .filter((f) => f.id !== null && f.abortResult !== null)
      .map((f) => ({
        attackId: f.id as string,
        attack: f.attack?.name ?? '?',
        host: f.host?.name ?? '?',
        result: f.abortResult as AbortResult,
        deadlineAt: (f.id !== null ? this.records.get(f.id)?.deadlineAt : undefined) ?? this.deps.clock.now(),
      }));
  }

  /** Resolves when nothing is in flight (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.flights.size > 0) await Promise.all(this.list().map((f) => f.finished));
  }

  /**
   * The next contact with a host: attacks there whose end nobody saw (unreachable when aborted)
   * are checked, and what was left is recorded and told.
   */
  async checkUnconfirmed(host: HostDef): Promise<string | null> {
    const { store, executor, config, clock } = this.deps;
    let open: AttackRecord[];
    try {
      open = store.unconfirmedAttacks(host.name);
    } catch {
      return null;
    }
    let left: string | null = null;
    for (const r of open) {
      const attack = config.attacks.find((a) => a.name === r.attack) ?? null;
      const id = remoteId(store, r.id);
      const result = await executor.recover({
        id,
        attack,
        host,
        remotePgid: r.remotePgid,
        deadlineAt: r.deadlineAt,
        env: attackEnv({ id, attack, host, durationMs: r.durationMs, botAddresses: this.deps.botAddresses }),
      });
      if (result.outcome === 'unreachable') continue;
      const found = checkedText(result, clock.now(), config.timezone);
      if (result.outcome !== 'reverted') left ??= `${host.name}: the check of #${r.id} ${r.attack} found: ${found}`;
      this.records.write({
        id: null,
        what: 'what the host check found',
        run: (s) => s.confirmAttack(r.id, found, result.outcome === 'reverted'),
      });
      this.announce({
        kind: 'notice',
        text: `#${r.id} ${r.attack} on ${r.host} (its end was not confirmed): ${found.replace(/\.?$/, '.')}`,
      });
    }
    return left;
  }

  announce(event: Parameters<Announcer['announce']>[0]): void {
    this.deps.announcer.announce(event).catch((error) => this.deps.logger.warn({ err: error }, 'announce failed'));
  }
}
