import type { BotState, Halt } from '../../domain/model.js';
import type { AuditLog, StateStore } from '../../ports/store.js';

export type Latched =
  | { readonly kind: 'latched'; readonly halt: Halt; readonly writeError: Error | null }
  | { readonly kind: 'already'; readonly halt: Halt };

/**
 * The halt and the cooldown, kept in memory as well as in the store: if the database cannot be
 * written, a `stop` still halts this process (fail safe) and a cooldown still holds; the next start
 * reads the store. A halt is latched once: a second stop changes nothing and learns who was first.
 */
export class HaltLatch {
  private memory: Halt | null = null;
  private cooldownMemory: number | null = null;

  constructor(private readonly store: StateStore & Pick<AuditLog, 'audit'>) {}

  /**
   * Latches the halt unless one is already latched (then returns that one). Synchronous, so two
   * stops arriving together cannot both win. Persists, but keeps the halt in memory if the write fails.
   */
  halt(halt: Halt, opts: { readonly journal?: boolean } = {}): Latched {
    // An unreadable store is no latched halt: this stop latches, in memory at least.
    const current = this.memory ?? this.storedHalt();
    if (current) return { kind: 'already', halt: current };
    this.memory = halt;
    try {
      this.store.setHalt(halt);
    } catch (error) {
      return { kind: 'latched', halt, writeError: error as Error };
    }
    // A halt no command made (a verdict, the health gate, a fault) gets its own audit row, so the
    // audit log and the report's halt band start when it latched. A person's stop is audited by its command.
    if (opts.journal) {
      try {
        this.store.audit({
          at: halt.at,
          actor: halt.by,
          transport: 'system',
          command: 'halt',
          text: halt.reason,
          outcome: 'ok',
          detail: halt.reason,
          action: 'halted',
        });
      } catch {
        /* the halt holds without its audit row */
      }
    }
    return { kind: 'latched', halt, writeError: null };
  }

  private storedHalt(): Halt | null {
    try {
      return this.store.getState().halt;
    } catch {
      return null;
    }
  }

  /** Clears the halt; throws if the store cannot be written (the halt then stays). */
  resume(): void {
    this.store.clearHalt();
    this.memory = null;
  }

  /** Keeps the cooldown in memory too; a failed write is retried by the caller's write queue. */
  cooldown(until: number, write: (fn: () => void) => void): void {
    this.cooldownMemory = Math.max(this.cooldownMemory ?? 0, until);
    write(() => this.store.setCooldownUntil(until));
  }

  /** The bot state; the in-memory halt and cooldown win when the store disagrees or cannot be read. */
  state(): BotState {
    let stored: BotState;
    try {
      stored = this.store.getState();
    } catch {
      return { halt: this.memory ?? { by: 'system', at: 0, reason: 'state unreadable' }, cooldownUntil: this.cooldownMemory };
    }
    const halt = stored.halt ?? this.memory;
    const cooldowns = [stored.cooldownUntil, this.cooldownMemory].filter((c): c is number => c !== null);
    return { halt, cooldownUntil: cooldowns.length ? Math.max(...cooldowns) : null };
  }
}
