import type Database from 'better-sqlite3';
import type { AttackRecord } from '../../domain/model.js';
import type { HistoryQuery, HostSummary } from '../../ports/store.js';
import type { TeamClause } from './journal-tables.js';
import { type AttackRow, toRecord } from './rows.js';
import { allRows, prepared } from './statements.js';

/** The reads of the attacks table, per team (`mine`) or over every team. */

export function attackById(db: Database.Database, id: string): AttackRecord | undefined {
  const row = prepared(db, 'SELECT * FROM attacks WHERE id = ?').get(Number(id)) as AttackRow | undefined;
  return row ? toRecord(row) : undefined;
}

/** The other hosts' rows of a run over several hosts, by id. */
export function runMembers(db: Database.Database, id: string): AttackRecord[] {
  return (prepared(db, 'SELECT * FROM attacks WHERE run_id = ? ORDER BY id').all(Number(id)) as AttackRow[]).map(toRecord);
}

/** Attacks not in a final state, oldest first. */
export function unfinished(db: Database.Database, mine: TeamClause): AttackRecord[] {
  const sql = `SELECT * FROM attacks WHERE state IN ('pending', 'running', 'aborting')${mine.sql} ORDER BY id`;
  return (prepared(db, sql).all(...mine.args) as AttackRow[]).map(toRecord);
}

/** Final attacks whose end nobody saw, on one host or all, oldest first. */
export function unconfirmed(db: Database.Database, mine: TeamClause, host?: string): AttackRecord[] {
  const rows =
    host === undefined
      ? prepared(db, `SELECT * FROM attacks WHERE unconfirmed = 1${mine.sql} ORDER BY id`).all(...mine.args)
      : prepared(db, `SELECT * FROM attacks WHERE unconfirmed = 1 AND host = ?${mine.sql} ORDER BY id`).all(host, ...mine.args);
  return (rows as AttackRow[]).map(toRecord);
}

/** Newest first; `team` narrows to one team's attacks. */
export function history(db: Database.Database, q: HistoryQuery): AttackRecord[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (q.host !== undefined) where.push('host = ?') && args.push(q.host);
  // One row per run: the other hosts of a run show under its first row (unless asked by host).
  else where.push('run_id IS NULL');
  if (q.attack !== undefined) where.push('attack = ?') && args.push(q.attack);
  if (q.failedOnly) where.push(`(state IN ('failed', 'orphaned') OR unconfirmed = 1 OR verdict = 'not-recovered')`);
  if (q.gapsOnly)
    where.push(
      `dry_run = 0 AND (EXISTS (SELECT 1 FROM attack_answers an WHERE an.attack_id = attacks.id) OR (detection = 'not-detected' AND verdict IN ('recovered', 'not-recovered')))`,
    );
  if (q.since !== undefined) where.push('created_at >= ?') && args.push(q.since);
  if (q.until !== undefined) where.push('created_at < ?') && args.push(q.until);
  if (q.team !== undefined) where.push('team = ?') && args.push(q.team);
  const sql = `SELECT * FROM attacks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ?`;
  return allRows<AttackRow>(prepared(db, sql), ...args, q.limit).map(toRecord);
}

/** Per-host counts over every attack (of the team). */
export function hostSummary(db: Database.Database, mine: TeamClause): HostSummary[] {
  return prepared(
    db,
    `SELECT host, COUNT(*) AS total,
       SUM(state = 'completed') AS completed, SUM(state = 'reverted') AS reverted,
       SUM(state = 'failed') AS failed, SUM(state = 'orphaned') AS orphaned, MAX(created_at) AS lastAt
     FROM attacks WHERE 1 = 1${mine.sql} GROUP BY host ORDER BY host`,
  ).all(...mine.args) as HostSummary[];
}
