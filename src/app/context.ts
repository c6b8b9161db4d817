import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { BusinessHours } from '../domain/business-hours.js';
import type { AnswerLog } from '../ports/answer-log.js';
import type { Announcer, Authorizer, Ears } from '../ports/chat.js';
import type { Clock } from '../ports/clock.js';
import type { Executor } from '../ports/executor.js';
import type { HealthCheck } from '../ports/health-check.js';
import type { HostDirectory } from '../ports/host-directory.js';
import type { Random } from '../ports/random.js';
import type { Store } from '../ports/store.js';
import type { Timers } from '../ports/timers.js';
import type { AttackRunner } from './engine/attack-runner.js';
import type { Faults } from './engine/faults.js';
import type { HaltLatch } from './engine/halt-latch.js';
import type { GameDays } from './game-days/game-days.js';

export { HaltLatch } from './engine/halt-latch.js';

/** The config and the ports the composition root hands to the use cases. */
export interface Ports {
  readonly config: Config;
  readonly store: Store;
  readonly executor: Executor;
  readonly health: HealthCheck;
  readonly announcer: Announcer;
  readonly ears: Ears;
  readonly authorizer: Authorizer;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly random: Random;
  readonly logger: Logger;
}

/** Everything a use case may touch. Built once by createBot. */
export interface AppContext extends Ports {
  /** The hosts to attack: the static `hosts:` and the inventory sources' last good lists. */
  readonly hosts: HostDirectory;
  readonly hours: BusinessHours;
  readonly runner: AttackRunner;
  readonly latch: HaltLatch;
  /** The team's game days (absent without a game-day store, e.g. the view over every team). */
  readonly gameDays?: GameDays;
  /** Hosts where a fault may remain: the team stays halted until an admin resolves each. */
  readonly faults: Faults;
  /** What people learned from each attack (answers after its verdict); absent: not kept. */
  readonly answers?: AnswerLog;
}

/** The part of the context a use case reads: its first parameter, a `Pick<AppContext, …>`. */
export type ContextOf<F extends (ctx: never, ...rest: never[]) => unknown> = Parameters<F>[0];
