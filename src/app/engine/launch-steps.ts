import type { LifeEvent } from '../../domain/lifecycle.js';
import type { HealthReport, ProbeRecord, SkipCode } from '../../domain/model.js';
import type { GateInput } from '../../domain/policy.js';
import type { ChatEvent } from '../../ports/chat.js';
import type { AttackRequest, Flight, LaunchResult } from './flight.js';
import type { RecordKeeper } from './record-keeper.js';
import type { RunnerDeps } from './runner-deps.js';

/** What the launch asks of the runner that owns the flight. */
export interface LaunchSteps {
  readonly deps: RunnerDeps;
  readonly records: RecordKeeper;
  gateInput(request: AttackRequest, others: number): GateInput;
  /** After an await: still ours, still allowed? A refusal when not (the flight is cancelled). */
  recheck(flight: Flight): LaunchResult | null;
  /** Ends the flight before the host with a reason, and says so. */
  refused(flight: Flight, code: SkipCode, reason: string): LaunchResult;
  outcome(flight: Flight, code: SkipCode, reason: string): LaunchResult;
  /** Why the flight was cut short, in words; null when no abort was asked for. */
  abortWords(flight: Flight): string | null;
  apply(flight: Flight, event: LifeEvent): void;
  keepSample(id: string, sample: ProbeRecord): void;
  deviation(flight: Flight, report: HealthReport): void;
  checkUnconfirmed(flight: Flight): Promise<string | null>;
  announce(event: ChatEvent): void;
}
