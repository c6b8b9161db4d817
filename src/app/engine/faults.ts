import type { Logger } from 'pino';
import type { Config } from '../../config/config.js';
import { FAULT_HALT_BY, type Fault } from '../../domain/fault.js';
import type { ChatEvent } from '../../ports/chat.js';
import type { Clock } from '../../ports/clock.js';
import type { FaultLog } from '../../ports/fault-log.js';
import { faultHaltText } from '../../words/announcements.js';
import { faultEndText, foundText } from '../../words/host-ends.js';
import type { Flight, Leg } from './flight.js';
import type { HaltLatch } from './halt-latch.js';

export interface FaultsDeps {
  readonly config: Pick<Config, 'dryRun'>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly latch: HaltLatch;
  /** Where faults are kept across restarts; null keeps them in memory only. */
  readonly log: FaultLog | null;
  readonly announce: (event: ChatEvent) => void;
  /** Observer (metrics): every open fault after each change; must not throw. */
  readonly onChange?: (open: readonly Fault[]) => void;
}

/** What a host's ending leaves, if a fault may remain there: a failed rollback or an unconfirmed end. */
function legFault(leg: Leg, attack: string, at: number): Fault | null {
  if (leg.id === null) return null;
  const base = { id: leg.id, attack, host: leg.host.name, openedAt: at, confirmedAt: null };
  const abort = leg.abortResult;
  if (abort) {
    if (abort.outcome === 'reverted') return null;
    return { ...base, detail: foundText(abort.found), manualRollback: abort.manualRollback ?? null };
  }
  const result = leg.result;
  if (!result) return null;
  if (result.unconfirmed) {
    return { ...base, detail: faultEndText(leg.host.name, result.end, true), manualRollback: null };
  }
  if (result.rollbackOk || result.outcome === 'reverted') return null;
  return { ...base, detail: faultEndText(leg.host.name, result.end, false), manualRollback: result.manualRollback ?? null };
}

/**
 * A fault that may remain latches the team's halt (`by: rollback-failed`) and is kept until an admin
 * says `resolve #ID`: `start` alone does not clear it. It is told in the channel (not only the thread),
 * logged at error level, and exported to metrics. Kept in memory too, so a store that refuses writes
 * loses none; the log is read again at every question, so a restart keeps them.
 */
export class Faults {
  private readonly memory = new Map<string, Fault>();
  private readonly resolved = new Set<string>();

  constructor(private readonly deps: FaultsDeps) {}

  /** After a run ended: each host where its fault may remain opens a fault and latches the halt. */
  fromRun(flight: Flight): void {
    if (this.deps.config.dryRun || flight.attack === null) return;
    const at = this.deps.clock.now();
    for (const leg of flight.legs) {
      const fault = legFault(leg, flight.attack.name, at);
      if (fault) this.open(fault);
    }
  }

  open(fault: Fault): void {
    if (this.memory.has(fault.id) || this.list().some((f) => f.id === fault.id)) return;
    this.memory.set(fault.id, fault);
    try {
      this.deps.log?.openFault(fault);
    } catch (error) {
      this.deps.logger.error({ err: error, fault: fault.id }, 'cannot save the fault; it is kept in memory');
    }
    this.deps.latch.halt({ by: FAULT_HALT_BY, at: fault.openedAt, reason: faultHaltText(fault) }, { journal: true });
    this.deps.logger.error(
      { fault: fault.id, attack: fault.attack, host: fault.host, detail: fault.detail, manualRollback: fault.manualRollback },
      'a fault may remain on a host: halted until an admin resolves it',
    );
    this.deps.announce({ kind: 'fault-may-remain', fault });
    this.changed();
  }

  /** The open faults: the log's and those only in memory, oldest first. */
  list(): Fault[] {
    let stored: readonly Fault[] = [];
    try {
      stored = this.deps.log?.openFaults() ?? [];
    } catch {
      /* the memory still has what this process opened */
    }
    const all = new Map(stored.filter((f) => !this.resolved.has(f.id)).map((f) => [f.id, f]));
    for (const [id, f] of this.memory) if (!all.has(id)) all.set(id, f);
    return [...all.values()].sort((a, b) => a.openedAt - b.openedAt);
  }

  /** `resolve #ID`: false when no fault is open for that id. Throws if the store refuses the write. */
  resolve(id: string, by: string, note: string): boolean {
    const open = this.list().some((f) => f.id === id);
    if (!open) return false;
    this.deps.log?.resolveFault(id, by, this.deps.clock.now(), note);
    this.memory.delete(id);
    this.resolved.add(id);
    this.changed();
    return true;
  }

  /** The next contact with the host found nothing left: noted; still open until resolved. */
  confirmed(id: string): void {
    const at = this.deps.clock.now();
    const f = this.memory.get(id);
    if (f) this.memory.set(id, { ...f, confirmedAt: at });
    try {
      this.deps.log?.confirmFault(id, at);
    } catch {
      /* noted in memory */
    }
  }

  private changed(): void {
    try {
      this.deps.onChange?.(this.list());
    } catch {
      /* observers must not break the bot */
    }
  }
}
