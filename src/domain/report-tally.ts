/** The report's counts: attacks by outcome and by verdict, and the median time to detect and recover. Pure. */
import { monitoringGap } from './detection.js';
import type { AttackRecord, AttackState } from './model.js';

/** Steady-state verdicts among a group of attacks; attacks without one (pending, or before verdicts) are not counted. */
export interface VerdictCounts {
  readonly held: number;
  readonly recovered: number;
  readonly notRecovered: number;
  /** The bot stopped before the recovery window ended. */
  readonly unknown: number;
  /** How many of the above are dry runs: the probes ran, nothing was attacked. */
  readonly dry: number;
}

export interface Tally {
  readonly key: string;
  readonly total: number;
  readonly completed: number;
  readonly reverted: number;
  readonly failed: number;
  readonly orphaned: number;
  /** Stopped before they touched a host. */
  readonly cancelled: number;
  /** Pending, running or aborting when the report was made. */
  readonly unfinished: number;
  readonly verdicts: VerdictCounts;
  /** Median time to detect over the attacks that have one; null when none has. */
  readonly medianTtdMs: number | null;
  /** Median time to recover over the attacks that have one; null when none has. */
  readonly medianTtrMs: number | null;
}

/** The middle value, or the mean of the two middle ones (rounded to a millisecond); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : Math.round(((sorted[mid - 1] as number) + upper) / 2);
}

export function verdictCounts(records: readonly AttackRecord[]): VerdictCounts {
  const judged = records.filter((r) => r.verdict !== null);
  const count = (kind: AttackRecord['verdict']) => judged.filter((r) => r.verdict === kind).length;
  return {
    held: count('held'),
    recovered: count('recovered'),
    notRecovered: count('not-recovered'),
    unknown: count('unknown'),
    dry: judged.filter((r) => r.dryRun).length,
  };
}

export function tally(key: string, records: readonly AttackRecord[]): Tally {
  const count = (state: AttackState) => records.filter((r) => r.state === state).length;
  const completed = count('completed');
  const reverted = count('reverted');
  const failed = count('failed');
  const orphaned = count('orphaned');
  const cancelled = count('cancelled');
  const figures = (pick: (r: AttackRecord) => number | null) => records.map(pick).filter((ms): ms is number => ms !== null);
  return {
    key,
    total: records.length,
    completed,
    reverted,
    failed,
    orphaned,
    cancelled,
    unfinished: records.length - completed - reverted - failed - orphaned - cancelled,
    verdicts: verdictCounts(records),
    medianTtdMs: median(figures((r) => r.ttdMs)),
    medianTtrMs: median(figures((r) => r.ttrMs)),
  };
}

/** One tally per key, most runs first, then by key. */
export function groupTally(records: readonly AttackRecord[], keyOf: (r: AttackRecord) => string): Tally[] {
  const groups = new Map<string, AttackRecord[]>();
  for (const r of records) {
    const group = groups.get(keyOf(r));
    if (group) group.push(r);
    else groups.set(keyOf(r), [r]);
  }
  return [...groups].map(([key, rs]) => tally(key, rs)).sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));
}

/**
 * What a team must look at, in this order: attacks the system did not recover from, then those it
 * recovered from (the fault was felt), then failed, orphaned and unconfirmed ones. Oldest first
 * within each group; an attack is listed once, in its first group.
 */
export function needsALook(attacks: readonly AttackRecord[]): AttackRecord[] {
  // First: the system was hurt and no alert said so (a monitoring gap).
  const gaps = attacks.filter(monitoringGap);
  const notRecovered = attacks.filter((r) => r.verdict === 'not-recovered' && !monitoringGap(r));
  const recovered = attacks.filter((r) => r.verdict === 'recovered' && !monitoringGap(r));
  const broken = attacks.filter(
    (r) =>
      r.verdict !== 'not-recovered' &&
      r.verdict !== 'recovered' &&
      (r.state === 'failed' || r.state === 'orphaned' || r.unconfirmed),
  );
  return [...gaps, ...notRecovered, ...recovered, ...broken];
}
