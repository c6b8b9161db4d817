import type { AbortWhy } from '../../domain/ending.js';
import { isFinalPhase, type LifeEvent, next } from '../../domain/lifecycle.js';
import type { AttackRecord, HealthReport } from '../../domain/model.js';
import { type GateInput, gate } from '../../domain/policy.js';
import type { Refusal } from '../../domain/refusal.js';
import type { AbortOutcome, ChatEvent } from '../../ports/chat.js';
import { errorMessage } from '../../ports/errors.js';
import { FlightEffects } from './effects.js';
import { type AttackRequest, type Flight, type LaunchResult, newFlight } from './flight.js';
import { launch } from './launch.js';
import { type FlightControl, type LaunchContext, outcomeOf } from './launch-context.js';
import { legAborts } from './leg-records.js';
import { RecordKeeper } from './record-keeper.js';
import type { RunnerDeps } from './runner-deps.js';
import { start } from './start-legs.js';
import { deviationFailing } from './verification.js';
import { Watches } from './watches.js';

export type { AttackRequest, Flight, LaunchResult } from './flight.js';
export { remoteId } from './flight.js';
export type { RunnerDeps } from './runner-deps.js';

/**
 * The one owner of every attack's lifecycle. Admission is decided and reserved synchronously,
 * before any await, and taken again after every await; every change of state goes through the pure
 * `next()` of domain/lifecycle.ts (only here), whose effects effects.ts carries out.
 */
export class AttackRunner {
  private readonly flights = new Map<number, Flight>();
  private seq = 0;
  readonly records: RecordKeeper;
  private readonly effects: FlightEffects;
  /** What each launch reads and writes (launch.ts). */
  private readonly context: LaunchContext;
  /** Attacks left by a previous process that start-up recovery is still reverting. */
  recovering = 0;

  constructor(readonly deps: RunnerDeps) {
    this.records = new RecordKeeper(deps.store, deps.timers, deps.logger);
    this.context = { deps, records: this.records, announce: (event) => this.announce(event) };
    const watches = new Watches(deps, {
      abort: (flight, why) => this.apply(flight, { kind: 'abort', why }),
      live: () => [...this.flights.values()],
      record: (id) => this.records.get(id),
    });
    this.effects = new FlightEffects(deps, this.records, watches, {
      apply: (flight, event) => this.apply(flight, event),
      free: (flight) => this.flights.delete(flight.seq),
      announce: (event) => this.announce(event),
    });
  }

  /** Attacks in flight, reservations included. */
  get inFlightCount(): number {
    return this.flights.size;
  }

  list(): Flight[] {
    return [...this.flights.values()];
  }

  /** Attacks whose fault has ended and whose verdict is still awaited (they keep their slot). */
  awaitingVerdict(): Flight[] {
    return this.list().filter((f) => f.life.verdict === 'awaited');
  }

  /** Admits, checks, records, announces and starts one attack; every refusal comes back coded. */
  async request(request: AttackRequest): Promise<LaunchResult> {
    const refused = gate(this.gateInput(request, 0));
    if (refused) return { ok: false, refusal: refused.refusal };
    const flight = this.reserve(request);
    try {
      const control = this.control(flight);
      const steps = launch(this.context, control, flight);
      // The launch yields after each await: the reservation is taken again before it goes on.
      for (let step = await steps.next(); ; step = await steps.next()) {
        if (step.done) {
          const end = step.value;
          if (end.kind === 'refuse') return this.refused(flight, end.refusal);
          return await start(this.context, control, flight, end.record);
        }
        const cancelled = this.recheck(flight);
        if (cancelled) return cancelled;
      }
    } catch (error) {
      this.deps.logger.error({ err: error }, 'launch failed');
      const refusal: Refusal = { kind: 'error', during: 'launch', cause: errorMessage(error) };
      if (flight.life.phase === 'starting') {
        flight.refusal = refusal;
        this.apply(flight, { kind: 'start-failed' });
        return this.outcome(flight, refusal);
      }
      return this.refused(flight, refusal);
    }
  }

  private reserve(request: AttackRequest): Flight {
    const flight = newFlight(++this.seq, request);
    this.flights.set(flight.seq, flight);
    return flight;
  }

  /** The machine and the gate, bound to one flight: all a launch and its start may ask of the runner. */
  private control(flight: Flight): FlightControl {
    return {
      apply: (event) => this.apply(flight, event),
      gateInput: () => this.gateInput(flight.request, 1),
      deviation: (report) => this.deviation(flight, report),
    };
  }

  private gateInput(request: AttackRequest, others: number): GateInput {
    const now = this.deps.clock.now();
    return {
      asker: request.asker,
      now,
      state: this.deps.latch.state(),
      inFlight: this.flights.size - others,
      maxInFlight: this.deps.maxInFlight ?? 1,
      hours: this.deps.hours,
      hearing: this.deps.ears.hearing(),
      window: request.window,
      quiet: request.asker === 'schedule' && request.window !== 'game-day' ? (this.deps.quiet?.(now, now) ?? null) : null,
    };
  }

  /** After an await: still ours, still allowed? A failed gate cancels the flight. */
  private recheck(flight: Flight): LaunchResult | null {
    if (flight.life.phase !== 'admitted' && flight.life.phase !== 'pending') {
      return this.outcome(flight, { kind: 'cancelled', why: flight.life.abortWhy });
    }
    const skip = gate(this.gateInput(flight.request, 1));
    if (!skip) return null;
    // A halt found after a wait is a stop's (or a latch's) doing; deafness is deafness; else a gate.
    const halt = this.deps.latch.state().halt;
    const hearing = this.deps.ears.hearing();
    const why: AbortWhy =
      skip.code === 'halted' && halt
        ? { kind: 'stopped', by: halt.by, note: halt.reason, at: halt.at }
        : skip.code === 'deaf' && !hearing.ok
          ? { kind: 'deaf', forMs: null, why: hearing.reason }
          : { kind: 'gate', refusal: skip.refusal };
    this.apply(flight, { kind: 'abort', why });
    return this.outcome(flight, skip.refusal);
  }

  private outcome(flight: Flight, refusal: Refusal): LaunchResult {
    return outcomeOf(this.records, flight, refusal);
  }

  private refused(flight: Flight, refusal: Refusal): LaunchResult {
    flight.refusal = refusal;
    this.apply(flight, { kind: 'refused' });
    return this.outcome(flight, refusal);
  }

  /** The one way a flight changes state: the pure transition, then its effects. */
  apply(flight: Flight, event: LifeEvent): void {
    const step = next(flight.life, event);
    flight.life = step.life;
    for (const effect of step.effects) this.effects.run(flight, effect);
  }

  /** abortOnDeviation: the attack's own probes failing during the fault abort it. */
  private deviation(flight: Flight, report: HealthReport): void {
    const failing = flight.attack && flight.life.phase === 'running' ? deviationFailing(flight.attack, report) : null;
    if (failing) this.apply(flight, { kind: 'abort', why: { kind: 'deviation', failing } });
  }

  /**
   * Stops everything in flight at once without waiting for any host: reservations and pending
   * attacks are cancelled on the spot, running ones are told to revert (their results follow as
   * `attack-ended`). Returns what was reverted and what was cancelled.
   */
  abortAll(why: AbortWhy): { reverting: AttackRecord[]; cancelled: Flight[] } {
    const reverting: AttackRecord[] = [];
    const cancelled: Flight[] = [];
    for (const flight of this.list()) {
      const before = flight.life.phase;
      // Its fault already ended: only its verdict is pending, nothing to revert.
      if (isFinalPhase(before)) continue;
      this.apply(flight, { kind: 'abort', why });
      if (before === 'admitted' || before === 'pending') cancelled.push(flight);
      else if (flight.id !== null) {
        const record = this.records.get(flight.id);
        if (record) reverting.push(record);
      }
    }
    return { reverting, cancelled };
  }

  /** Aborts everything and waits until each attack reached its final state (shutdown on `signal`; null: the console closed). */
  async abortAndWait(signal: string | null): Promise<AbortOutcome[]> {
    const flights = this.list();
    this.abortAll({ kind: 'shutdown', signal });
    await Promise.all(flights.map((f) => f.ended));
    for (const f of flights) f.verification?.abandon({ kind: 'shutdown', signal });
    await Promise.all(flights.map((f) => f.finished));
    return flights.flatMap((f) =>
      legAborts(
        f,
        f.attack?.name ?? '?',
        (f.id !== null ? this.records.get(f.id)?.deadlineAt : undefined) ?? this.deps.clock.now(),
      ),
    );
  }

  /** Resolves when nothing is in flight (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.flights.size > 0) await Promise.all(this.list().map((f) => f.finished));
  }

  announce(event: ChatEvent): void {
    this.deps.announcer.announce(event).catch((error) => this.deps.logger.warn({ err: error }, 'announce failed'));
  }
}
