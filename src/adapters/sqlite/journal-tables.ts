import type Database from 'better-sqlite3';
import type { HealthReport, TickOutcome } from '../../domain/model.js';
import type { AuditEntry, TickRow } from '../../ports/store.js';
import { toTick } from './rows.js';
import { allRows, prepared } from './statements.js';

/**
 * The journal tables besides attacks: ticks, health checks and the audit log, read per team.
 */

/** ` AND team = ?` for one team's view, nothing for the root; with its argument. */
export interface TeamClause {
  readonly sql: string;
  readonly args: readonly string[];
}

type TickRowData = Parameters<typeof toTick>[0];
const TICK_SELECT = `SELECT t.*, a.attack AS attack, a.host AS host FROM ticks t LEFT JOIN attacks a ON a.id = t.attack_id`;

/** Every tick's outcome (table ticks), so status and reports can say why nothing happened. */
export function insertTick(db: Database.Database, team: string, at: number, o: TickOutcome): void {
  if (o.kind === 'attacked') {
    prepared(db, `INSERT INTO ticks (team, at, outcome, attack_id) VALUES (?, ?, 'attacked', ?)`).run(
      team,
      at,
      Number(o.attackId),
    );
  } else {
    prepared(db, `INSERT INTO ticks (team, at, outcome, code, reason) VALUES (?, ?, 'skipped', ?, ?)`).run(
      team,
      at,
      o.code,
      o.reason,
    );
  }
}

/** The last tick, or the last skipped one. */
export function lastTick(db: Database.Database, mine: TeamClause, skippedOnly: boolean): TickRow | undefined {
  const skipped = skippedOnly ? ` AND t.outcome = 'skipped'` : '';
  const r = prepared(db, `${TICK_SELECT} WHERE 1 = 1${skipped}${mine.sql} ORDER BY t.rowid DESC LIMIT 1`).get(...mine.args) as
    | TickRowData
    | undefined;
  return r ? toTick(r) : undefined;
}

export function ticksBetween(db: Database.Database, mine: TeamClause, from: number, to: number): TickRow[] {
  return allRows<TickRowData>(
    prepared(db, `${TICK_SELECT} WHERE t.at >= ? AND t.at < ?${mine.sql} ORDER BY t.at`),
    from,
    to,
    ...mine.args,
  ).map(toTick);
}

interface HealthRow {
  at: number;
  healthy: number;
  results: string;
}

const toHealth = (r: HealthRow): HealthReport => ({ checkedAt: r.at, healthy: r.healthy === 1, results: JSON.parse(r.results) });

/** Every health gate's report (table health_checks). */
export function insertHealth(db: Database.Database, team: string, report: HealthReport): void {
  prepared(db, 'INSERT INTO health_checks (team, at, healthy, results) VALUES (?, ?, ?, ?)').run(
    team,
    report.checkedAt,
    report.healthy ? 1 : 0,
    JSON.stringify(report.results),
  );
}

export function lastHealth(db: Database.Database, mine: TeamClause): HealthReport | undefined {
  const r = prepared(db, `SELECT * FROM health_checks WHERE 1 = 1${mine.sql} ORDER BY rowid DESC LIMIT 1`).get(...mine.args) as
    | HealthRow
    | undefined;
  return r ? toHealth(r) : undefined;
}

export function healthBetween(db: Database.Database, mine: TeamClause, from: number, to: number): HealthReport[] {
  const sql = `SELECT * FROM health_checks WHERE at >= ? AND at < ?${mine.sql} ORDER BY at`;
  return allRows<HealthRow>(prepared(db, sql), from, to, ...mine.args).map(toHealth);
}

/** Every command, allowed or not (table audit); `team` null: not scoped to one team. */
export function insertAudit(db: Database.Database, team: string | null, e: AuditEntry): void {
  prepared(
    db,
    'INSERT INTO audit (team, at, actor, transport, command, text, outcome, detail, action) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(team, e.at, e.actor, e.transport, e.command, e.text.slice(0, 2000), e.outcome, e.detail.slice(0, 2000), e.action ?? null);
}

export function auditBetween(db: Database.Database, mine: TeamClause, from: number, to: number): AuditEntry[] {
  const sql = `SELECT at, actor, transport, command, text, outcome, detail, action FROM audit WHERE at >= ? AND at < ?${mine.sql} ORDER BY id`;
  return allRows<AuditEntry>(prepared(db, sql), from, to, ...mine.args);
}
