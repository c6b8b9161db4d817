import type { Answer } from './answers.js';
import type { AttackRecord, ProbeRecord } from './model.js';

/** Epoch-ms bounds on createdAt: inclusive start, exclusive end. */
export interface JournalRange {
  readonly since: number;
  readonly until: number;
}

/** Where the previous page ended: journals go in (createdAt, id) order. */
export interface JournalCursor {
  readonly createdAt: number;
  readonly id: string;
}

/** One probe round in the journal; the list it is in says its phase. */
export type JournalSample = Omit<ProbeRecord, 'phase'>;

/**
 * The attack's steady state, probe round by probe round, as Chaos Toolkit's journal keeps
 * `steady_states`: before the fault (the gate it passed), during it, and after it until the verdict.
 */
export interface JournalSteadyState {
  readonly before: readonly JournalSample[];
  readonly during: readonly JournalSample[];
  readonly after: readonly JournalSample[];
}

/**
 * One line of the journal: the full attack record (verdict, ttdMs, ttrMs, verdictDetail included),
 * its probes, and what people answered after it (each person's latest answer).
 */
export type JournalEntry = AttackRecord & { readonly steadyState: JournalSteadyState; readonly answers: readonly Answer[] };

/** The record with its probe rounds grouped by phase, oldest first within each, and its answers. */
export function journalEntry(
  record: AttackRecord,
  samples: readonly ProbeRecord[],
  answers: readonly Answer[] = [],
): JournalEntry {
  const sorted = [...samples].sort((a, b) => a.at - b.at);
  const of = (phase: ProbeRecord['phase']): JournalSample[] =>
    sorted.filter((s) => s.phase === phase).map(({ at, healthy, results }) => ({ at, healthy, results }));
  return { ...record, steadyState: { before: of('before'), during: of('during'), after: of('after') }, answers };
}
