import type { LifeEvent } from '../../domain/lifecycle.js';
import type { HealthReport, ProbeRecord } from '../../domain/model.js';
import type { GateInput } from '../../domain/policy.js';
import type { Refusal } from '../../domain/refusal.js';
import type { ChatEvent } from '../../ports/chat.js';
import type { Flight, LaunchResult } from './flight.js';
import type { RecordKeeper } from './record-keeper.js';
import type { RunnerDeps } from './runner-deps.js';

/** What a launch reads and writes: the runner's ports, its records, and the channel. */
export interface LaunchContext {
  readonly deps: RunnerDeps;
  readonly records: RecordKeeper;
  readonly announce: (event: ChatEvent) => void;
}

/**
 * What a launch may ask of the runner, for its own flight only: the lifecycle machine (the runner
 * is the one caller of `next()`) and the gate's input, which counts every flight. Taking the
 * reservation again after an await, and refusing, are the runner's (the launch yields, and ends
 * with a refusal as data).
 */
export interface FlightControl {
  /** The pure transition, then its effects. */
  apply(event: LifeEvent): void;
  /** The gate's input, this flight's own slot left out. */
  gateInput(): GateInput;
  /** abortOnDeviation: the attack's own probes failing during the fault abort it. */
  deviation(report: HealthReport): void;
}

/** A flight that did not start, as the requester is told: its code, the refusal and its row if any. */
export function outcomeOf(records: RecordKeeper, flight: Flight, refusal: Refusal): LaunchResult {
  return { ok: false, refusal, record: flight.id === null ? undefined : records.get(flight.id) };
}

/** A probe sample of the attack's steady state, kept with its row (a write the store may refuse: retried). */
export function keepSample(records: RecordKeeper, id: string, sample: ProbeRecord): void {
  records.write({ id: null, what: 'a probe sample', run: (s) => s.recordSample(id, sample) });
}
