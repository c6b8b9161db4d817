import type { DayFacts } from '../domain/day-card.js';
import type { Fault } from '../domain/fault.js';

/** Narrows the index to some hosts and/or one attack; empty = everything. */
export interface ArchiveFilter {
  /** One team's attacks (the `team` column). */
  readonly team?: string;
  readonly hosts?: readonly string[];
  readonly attack?: string;
}

/**
 * The queries the web archive needs beyond the Store's reads. Side effects: none — implementations
 * read a connection that cannot write.
 */
export interface ArchiveReader {
  /** What the store holds for [start, end): attacks (filtered), ticks, halts. */
  dayFacts(range: { readonly start: number; readonly end: number }, filter: ArchiveFilter): DayFacts;
  /** When the oldest attack or tick was recorded; null for an empty database. */
  firstRecord(): number | null;
  /** Every team's faults that may remain (not resolved), oldest first. */
  openFaults(): readonly Fault[];
}
