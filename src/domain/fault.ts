/**
 * A host where an attack's fault may still be in place: its rollback failed, or nobody saw it end
 * (the host was unreachable). It keeps its team halted until an admin says `resolve #ID`.
 */
export interface Fault {
  /** The host's attack row (`history #ID`). */
  readonly id: string;
  readonly attack: string;
  readonly host: string;
  /** What the bot knows: the rollback's failure or why the end is not confirmed. */
  readonly detail: string;
  /** One line a person can run to roll back by hand, when there is one. */
  readonly manualRollback: string | null;
  readonly openedAt: number;
  /** When the next contact with the host found nothing left (a person still resolves it). */
  readonly confirmedAt: number | null;
}

/** The halt's `by` when a fault may remain. */
export const FAULT_HALT_BY = 'rollback-failed';
