import type Database from 'better-sqlite3';
import type { DayCounts, DayFacts } from '../../domain/day-card.js';
import type { ArchiveFilter, ArchiveReader } from '../../ports/archive.js';

const COUNTS = `SELECT COUNT(*) AS total,
  SUM(state = 'completed') AS completed, SUM(state = 'reverted') AS reverted, SUM(state = 'failed') AS failed,
  SUM(state = 'orphaned') AS orphaned, SUM(state = 'cancelled') AS cancelled,
  SUM(verdict = 'held') AS held, SUM(verdict = 'recovered') AS recovered, SUM(verdict = 'not-recovered') AS notRecovered,
  SUM(verdict = 'unknown') AS unknown, SUM(rollback_ok = 0) AS rollbackFailed, SUM(unconfirmed = 1) AS unconfirmed,
  SUM(dry_run = 1) AS dryRuns
  FROM attacks WHERE created_at >= ? AND created_at < ?`;

type Row = { [K in keyof DayCounts]: number | null };

/** The archive's queries on a read-only connection (see migration 006 for the indexes they use). */
export class SqliteArchiveReader implements ArchiveReader {
  private readonly all: Database.Statement;
  private readonly ticks: Database.Statement;
  private readonly stops: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.all = db.prepare(COUNTS);
    this.ticks = db.prepare(`SELECT COUNT(*) AS ticks, SUM(code = 'halted') AS halted FROM ticks WHERE at >= ? AND at < ?`);
    this.stops = db.prepare(
      `SELECT COUNT(*) FROM audit WHERE at >= ? AND at < ? AND command = 'stop' AND outcome IN ('ok', 'error')`,
    );
  }

  dayFacts(range: { start: number; end: number }, filter: ArchiveFilter): DayFacts {
    const row = this.counts(range, filter);
    const counts = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v ?? 0])) as unknown as DayCounts;
    const t = this.ticks.get(range.start, range.end) as { ticks: number; halted: number | null };
    const stops = this.stops.pluck().get(range.start, range.end) as number;
    return { counts, ticks: t.ticks, haltedTicks: t.halted ?? 0, stops };
  }

  private counts(range: { start: number; end: number }, filter: ArchiveFilter): Row {
    if (!filter.hosts && filter.attack === undefined) return this.all.get(range.start, range.end) as Row;
    const where: string[] = [];
    const args: (string | number)[] = [range.start, range.end];
    if (filter.hosts) {
      // A team with no hosts matches nothing, not everything.
      where.push(filter.hosts.length ? `host IN (${filter.hosts.map(() => '?').join(', ')})` : '0');
      args.push(...filter.hosts);
    }
    if (filter.attack !== undefined) where.push('attack = ?') && args.push(filter.attack);
    return this.db.prepare(`${COUNTS} AND ${where.join(' AND ')}`).get(...args) as Row;
  }

  firstRecord(): number | null {
    const attack = this.db.prepare('SELECT MIN(created_at) FROM attacks').pluck().get() as number | null;
    const tick = this.db.prepare('SELECT MIN(at) FROM ticks').pluck().get() as number | null;
    const known = [attack, tick].filter((v): v is number => v !== null);
    return known.length ? Math.min(...known) : null;
  }
}
