/** The journal tables retention may thin: tick outcomes and health-gate samples. */
export type PrunableTable = 'ticks' | 'health';

/**
 * Deletes old rows of the journal. Side effects: deletes at most `limit` rows of `table` recorded
 * before `before` (epoch ms), oldest first, in one short write transaction; returns how many went.
 * Attacks, their probe samples and the audit log are never touched by it.
 */
export interface JournalPruner {
  prune(table: PrunableTable, before: number, limit: number): number;
}
