import type { Logger } from 'pino';
import type { Config } from '../../config/config.js';
import type { BusinessHours } from '../../domain/business-hours.js';
import type { AttackRecord } from '../../domain/model.js';
import type { AbortOutcome, Announcer, Ears } from '../../ports/chat.js';
import type { Clock } from '../../ports/clock.js';
import type { DetectionSource } from '../../ports/detection.js';
import type { EvidenceLog, EvidenceReader } from '../../ports/evidence.js';
import type { Executor } from '../../ports/executor.js';
import type { HealthCheck } from '../../ports/health-check.js';
import type { HostDirectory } from '../../ports/host-directory.js';
import type { Random } from '../../ports/random.js';
import type { SteadyState } from '../../ports/steady-state.js';
import type { Store } from '../../ports/store.js';
import type { Timers } from '../../ports/timers.js';
import type { Faults } from './faults.js';
import type { HaltLatch } from './halt-latch.js';

/** What the attack runner works with: the config, the ports, the halt latch, observers. */
export interface RunnerDeps {
  readonly config: Config;
  /** Where the scheduler and run-once draw hosts from. */
  readonly hosts: HostDirectory;
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
  /**
   * The approved game day whose quiet period meets [from, to] (GameDays.quietFor), if any: the
   * scheduler's random attacks yield to it. Absent: no game days.
   */
  readonly quiet?: (from: number, to: number) => { readonly name: string; readonly at: number } | null;
  /** Observers (metrics); must not throw. */
  readonly onFinished?: (record: AttackRecord) => void;
  readonly onVerdict?: (record: AttackRecord) => void;
  readonly onAborted?: (outcome: AbortOutcome) => void;
  /** Told after each run's final rows: opens a fault where one may remain (faults.ts). */
  readonly faults?: Faults;
  /** Reads and keeps each live attack's metrics around the fault, after its verdict; absent: none are read. */
  readonly evidence?: { readonly reader: EvidenceReader; readonly log: EvidenceLog };
  /** Where to look for whether monitoring noticed each live attack; none: it does not look. */
  readonly detection?: readonly DetectionSource[];
  /** After a live attack's verdict, ask the people on call what they learned (answers are kept). */
  readonly askAfterVerdict?: boolean;
}
