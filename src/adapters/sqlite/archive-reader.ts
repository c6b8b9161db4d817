import type Database from 'better-sqlite3';
import type { DayCounts, DayFacts } from '../../domain/day-card.js';
import type { Fault } from '../../domain/fault.js';
import type { ArchiveFilter, ArchiveReader } from '../../ports/archive.js';
import { prepared } from './statements.js';

const SUMS = `SELECT COUNT(*) AS total,
  SUM(state = 'completed') AS completed, SUM(state = 'reverted') AS reverted, SUM(state = 'failed') AS failed,
  SUM(state = 'orphaned') AS orphaned, SUM(state = 'cancelled') AS cancelled,
  SUM(verdict = 'held') AS held, SUM(verdict = 'recovered') AS recovered, SUM(verdict = 'not-recovered') AS notRecovered,
  SUM(verdict = 'unknown') AS unknown, SUM(rollback_ok = 0) AS rollbackFailed, SUM(unconfirmed = 1) AS unconfirmed,
  SUM(dry_run = 1) AS dryRuns,
  SUM(detection = 'not-detected' AND verdict IN ('recovered', 'not-recovered')) AS monitoringGaps
  FROM attacks WHERE created_at >= ? AND created_at < ?`;

const STATES = ['completed', 'reverted', 'failed', 'orphaned', 'cancelled'] as const;
const VERDICTS = { held: 'held', recovered: 'recovered', notRecovered: 'not-recovered', unknown: 'unknown' } as const;

/** Counted per host, not per run: a host left unconfirmed matters even when the run's first host was seen. */
const PER_HOST: readonly (keyof DayCounts)[] = ['unconfirmed'];

/**
 * The archive's queries on a read-only connection. A run over several hosts is one attack, as in
 * `history` and the report: the rows of its other hosts (run_id set) are not counted, except for
 * PER_HOST, and when the filter names hosts (then each host's row is that host's attack). Unfiltered cards are made of range counts, each
 * on its own index (migration 007): no expression is evaluated per row. A filter narrows the rows
 * to some hosts or one attack, and those few are summed in one query.
 */
export class SqliteArchiveReader implements ArchiveReader {
  constructor(private readonly db: Database.Database) {}

  /** A count over [start, end): the statement prepared once (statements.ts), its one column plucked. */
  private range(sql: string): (start: number, end: number, ...args: string[]) => number {
    const statement = prepared(this.db, sql).pluck();
    return (start, end, ...args) => (statement.get(...args, start, end) as number | null) ?? 0;
  }

  dayFacts(range: { start: number; end: number }, filter: ArchiveFilter): DayFacts {
    const { start, end } = range;
    const unfiltered = !filter.hosts && filter.attack === undefined && filter.team === undefined;
    const counts = unfiltered ? this.counts(start, end) : this.filtered(range, filter);
    const ticks = this.range('SELECT COUNT(*) FROM ticks WHERE at >= ? AND at < ?')(start, end);
    const haltedTicks = this.range(`SELECT COUNT(*) FROM ticks WHERE code = 'halted' AND at >= ? AND at < ?`)(start, end);
    const stops = this.range(
      `SELECT COUNT(*) FROM audit WHERE command = 'stop' AND outcome IN ('ok', 'error') AND at >= ? AND at < ?`,
    )(start, end);
    return { counts, ticks, haltedTicks, stops };
  }

  private counts(start: number, end: number): DayCounts {
    const all = this.rangeCounts(start, end);
    const legs = this.sums('run_id IS NOT NULL', [start, end]);
    if (legs.total === 0) return all;
    return Object.fromEntries(
      Object.entries(all).map(([k, v]) => [k, PER_HOST.includes(k as keyof DayCounts) ? v : v - legs[k as keyof DayCounts]]),
    ) as unknown as DayCounts;
  }

  private sums(where: string, args: readonly (string | number)[]): DayCounts {
    const row = prepared(this.db, `${SUMS} AND ${where}`).get(...args) as Record<keyof DayCounts, number | null>;
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v ?? 0])) as unknown as DayCounts;
  }

  private rangeCounts(start: number, end: number): DayCounts {
    const where = 'created_at >= ? AND created_at < ?';
    const byState = this.range(`SELECT COUNT(*) FROM attacks WHERE state = ? AND ${where}`);
    const byVerdict = this.range(`SELECT COUNT(*) FROM attacks WHERE verdict = ? AND ${where}`);
    const states = Object.fromEntries(STATES.map((state) => [state, byState(start, end, state)])) as Record<
      (typeof STATES)[number],
      number
    >;
    const verdicts = Object.fromEntries(
      Object.entries(VERDICTS).map(([key, verdict]) => [key, byVerdict(start, end, verdict)]),
    ) as Record<keyof typeof VERDICTS, number>;
    return {
      total: this.range(`SELECT COUNT(*) FROM attacks WHERE ${where}`)(start, end),
      ...states,
      ...verdicts,
      rollbackFailed: this.range(`SELECT COUNT(*) FROM attacks WHERE rollback_ok = 0 AND ${where}`)(start, end),
      unconfirmed: this.range(`SELECT COUNT(*) FROM attacks WHERE unconfirmed = 1 AND ${where}`)(start, end),
      dryRuns: this.range(`SELECT COUNT(*) FROM attacks WHERE dry_run = 1 AND ${where}`)(start, end),
      monitoringGaps: this.range(
        `SELECT COUNT(*) FROM attacks WHERE detection = 'not-detected' AND verdict IN ('recovered', 'not-recovered') AND ${where}`,
      )(start, end),
    };
  }

  private filtered(range: { start: number; end: number }, filter: ArchiveFilter): DayCounts {
    const where: string[] = [];
    const args: (string | number)[] = [range.start, range.end];
    if (filter.hosts) {
      // A team with no hosts matches nothing, not everything.
      where.push(filter.hosts.length ? `host IN (${filter.hosts.map(() => '?').join(', ')})` : '0');
      args.push(...filter.hosts);
    }
    if (filter.attack !== undefined) where.push('attack = ?') && args.push(filter.attack);
    if (filter.team !== undefined) where.push('team = ?') && args.push(filter.team);
    if (!filter.hosts) where.push('run_id IS NULL');
    return this.sums(where.join(' AND '), args);
  }

  openFaults(): readonly Fault[] {
    const rows = prepared(
      this.db,
      'SELECT attack_id, attack, host, detail, manual_rollback, opened_at, confirmed_at FROM faults WHERE resolved_at IS NULL ORDER BY opened_at',
    ).all() as {
      attack_id: string;
      attack: string;
      host: string;
      detail: string;
      manual_rollback: string | null;
      opened_at: number;
      confirmed_at: number | null;
    }[];
    return rows.map((r) => ({
      id: r.attack_id,
      attack: r.attack,
      host: r.host,
      detail: r.detail,
      manualRollback: r.manual_rollback,
      openedAt: r.opened_at,
      confirmedAt: r.confirmed_at,
    }));
  }

  firstRecord(): number | null {
    const attack = this.db.prepare('SELECT MIN(created_at) FROM attacks').pluck().get() as number | null;
    const tick = this.db.prepare('SELECT MIN(at) FROM ticks').pluck().get() as number | null;
    const known = [attack, tick].filter((v): v is number => v !== null);
    return known.length ? Math.min(...known) : null;
  }
}
