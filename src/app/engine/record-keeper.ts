import type { Logger } from 'pino';
import { type AttackRecord, pendingRecord } from '../../domain/model.js';
import type { AttackReads, AttackWrites, NewAttack, SampleLog } from '../../ports/store.js';

/** What the keeper writes through: the attack rows and their probe rounds. */
export type RecordWrites = AttackWrites & Pick<SampleLog, 'recordSample'>;

import type { Cancel, Timers } from '../../ports/timers.js';

/** How often writes that failed (disk full, database locked) are tried again. */
export const RETRY_WRITES_MS = 5_000;

interface Write {
  readonly id: string | null;
  /** Every attack the write is about, when it is about several (a run's hosts). */
  readonly ids?: readonly string[];
  readonly what: string;
  readonly run: (store: RecordWrites) => void;
}

/**
 * The attack records of this process, in memory first: the runner never reads its own attacks back
 * from the store, and a write that fails mid-attack (a full disk) is kept, in order, and retried
 * until the store takes it. Meanwhile reads (status, history) see the truth from memory, so the
 * two never disagree; once the store is back, the record gets the true outcome.
 */
export class RecordKeeper {
  private readonly records = new Map<string, AttackRecord>();
  private readonly live = new Set<string>();
  private readonly queue: Write[] = [];
  private retry: Cancel | null = null;

  constructor(
    private readonly store: RecordWrites & Pick<AttackReads, 'getAttack'>,
    private readonly timers: Timers,
    private readonly logger: Logger,
  ) {}

  /** Writes the row of a new attack. Throws when the store refuses: no attack without a row. */
  insert(attack: NewAttack): AttackRecord {
    const id = this.store.insertAttack(attack);
    const record = pendingRecord(id, { ...attack, team: this.store.team });
    this.records.set(id, record);
    this.live.add(id);
    return record;
  }

  /** Changes the record in memory at once and writes it through (or queues the write). */
  update(id: string, patch: Partial<AttackRecord>, what: string, run: (store: RecordWrites) => void): AttackRecord | undefined {
    const next = this.patch(id, patch);
    if (next) this.write({ id, what, run });
    return next;
  }

  /**
   * Several records changed at once (a run's hosts) and written in one transaction, retried as one
   * write when the store refuses. Returns the records as changed, in order (undefined if unknown).
   */
  updateAll(
    changes: readonly {
      readonly id: string;
      readonly patch: Partial<AttackRecord>;
      readonly run: (store: RecordWrites) => void;
    }[],
    what: string,
  ): (AttackRecord | undefined)[] {
    if (changes.length === 1) {
      const only = changes[0] as (typeof changes)[number];
      return [this.update(only.id, only.patch, what, only.run)];
    }
    const out = changes.map((c) => this.patch(c.id, c.patch));
    const known = changes.filter((_, i) => out[i] !== undefined);
    if (known.length > 0) {
      this.write({
        id: known[0]?.id ?? null,
        ids: known.map((c) => c.id),
        what,
        run: (store) =>
          store.together(() => {
            for (const c of known) c.run(store);
          }),
      });
    }
    return out;
  }

  /** The record of `id` in memory with `patch` applied; undefined when this process does not hold it. */
  private patch(id: string, patch: Partial<AttackRecord>): AttackRecord | undefined {
    const current = this.records.get(id);
    if (!current) return undefined;
    const next = { ...current, ...patch };
    this.records.set(id, next);
    return next;
  }

  /** A write that is not about one attack (the cooldown), kept and retried the same way. */
  write(write: Write): void {
    // Order matters (running before its end): behind a failed write, everything queues.
    if (this.queue.length > 0 || !this.attempt(write)) {
      if (!this.queue.includes(write)) this.queue.push(write);
      this.scheduleRetry();
    }
  }

  /** The attack ended in this process: forget it once the store has every write of it. */
  release(id: string): void {
    this.live.delete(id);
    this.forgetSaved();
  }

  /** This process's view of an attack: memory first, then the store. */
  get(id: string): AttackRecord | undefined {
    return this.records.get(id) ?? this.store.getAttack(id);
  }

  /** Replaces stored rows with what this process knows to be newer. */
  overlay(records: readonly AttackRecord[]): AttackRecord[] {
    return records.map((r) => this.records.get(r.id) ?? r);
  }

  /** Writes still waiting for the store. */
  get unsaved(): number {
    return this.queue.length;
  }

  /** Tries every queued write now; true when none is left. */
  flush(): boolean {
    while (this.queue.length > 0) {
      const head = this.queue[0] as Write;
      if (!this.attempt(head)) return false;
      this.queue.shift();
    }
    this.retry?.();
    this.retry = null;
    this.forgetSaved();
    return true;
  }

  private attempt(write: Write): boolean {
    try {
      write.run(this.store);
      return true;
    } catch (error) {
      this.logger.error(
        { err: error, id: write.id, what: write.what, queued: this.queue.length },
        'cannot record; kept in memory and retried',
      );
      return false;
    }
  }

  private scheduleRetry(): void {
    if (this.retry) return;
    this.retry = this.timers.every(RETRY_WRITES_MS, () => {
      if (this.flush()) this.logger.warn('the database took every delayed write');
    });
  }

  private forgetSaved(): void {
    const waiting = new Set<string | null>(this.queue.flatMap((w): (string | null)[] => (w.ids ? [...w.ids] : [w.id])));
    for (const id of this.records.keys()) if (!this.live.has(id) && !waiting.has(id)) this.records.delete(id);
  }
}
