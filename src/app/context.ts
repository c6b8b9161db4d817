import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { BusinessHours } from '../domain/business-hours.js';
import type { BotState, Halt } from '../domain/model.js';
import type { Announcer, Authorizer, Ears } from '../ports/chat.js';
import type { Clock } from '../ports/clock.js';
import type { Executor } from '../ports/executor.js';
import type { HealthCheck } from '../ports/health-check.js';
import type { Random } from '../ports/random.js';
import type { Store } from '../ports/store.js';
import type { AttackRunner } from './attack-runner.js';

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
  readonly random: Random;
  readonly logger: Logger;
}

/** Everything a use case may touch. Built once by createBot. */
export interface AppContext extends Ports {
  readonly hours: BusinessHours;
  readonly runner: AttackRunner;
  readonly latch: HaltLatch;
}

/**
 * The halt, kept in memory as well as in the store: if the database cannot be written, a `stop`
 * still halts this process (fail safe), and the next start reads the store.
 */
export class HaltLatch {
  private memory: Halt | null = null;

  constructor(private readonly store: Store) {}

  /** Persists first; keeps the halt in memory even if the write fails. Returns the write error, if any. */
  halt(halt: Halt): Error | null {
    this.memory = halt;
    try {
      this.store.setHalt(halt);
      return null;
    } catch (error) {
      return error as Error;
    }
  }

  resume(): void {
    this.store.clearHalt();
    this.memory = null;
  }

  /** The bot state, with the in-memory halt winning when the store disagrees or cannot be read. */
  state(): BotState {
    let stored: BotState;
    try {
      stored = this.store.getState();
    } catch {
      return { halt: this.memory ?? { by: 'system', at: 0, reason: 'state unreadable' }, cooldownUntil: null };
    }
    return this.memory && !stored.halt ? { ...stored, halt: this.memory } : stored;
  }
}
