import type Database from 'better-sqlite3';
import type { Detection } from '../../domain/detection.js';
import { endingData } from '../../domain/ending.js';
import type { VerdictKindStored } from '../../domain/model.js';
import type { AttackFinish, NewAttack } from '../../ports/store.js';
import { prepared } from './statements.js';

/** The writes of the attacks table; the store wraps each in its error (STORE_WRITE, what was not recorded). */

const FINAL = "('completed', 'reverted', 'failed', 'cancelled', 'orphaned')";

const flag = (b: boolean | null | undefined): number | null => (b === undefined || b === null ? null : b ? 1 : 0);

export interface Verdict {
  readonly kind: VerdictKindStored;
  readonly ttdMs: number | null;
  readonly ttrMs: number | null;
  readonly detail: string;
}

export function insertAttack(db: Database.Database, team: string, a: NewAttack): string {
  const info = prepared(
    db,
    `INSERT INTO attacks (team, attack, host, trigger_kind, trigger_user, trigger_name, dry_run, state, created_at, deadline_at,
                          duration_ms, run_id, run_hosts, params)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?)`,
  ).run(
    team,
    a.attack,
    a.host,
    // A game day is stored as a scheduled attack with its name (see migration 008).
    a.trigger.kind === 'game-day' ? 'schedule' : a.trigger.kind,
    a.trigger.kind === 'user' ? a.trigger.user : null,
    a.trigger.kind === 'game-day' ? a.trigger.name : null,
    a.dryRun ? 1 : 0,
    a.createdAt,
    a.deadlineAt,
    a.durationMs,
    a.runId ? Number(a.runId) : null,
    a.hosts && a.hosts.length > 1 ? a.hosts.join(',') : null,
    a.params && Object.keys(a.params).length > 0 ? JSON.stringify(a.params) : null,
  );
  return String(info.lastInsertRowid);
}

/** A stop during the start may have written `aborting` first: keep it, but record the start. */
export function markRunning(db: Database.Database, id: string, startedAt: number, remotePgid: number | null): void {
  prepared(
    db,
    `UPDATE attacks SET state = CASE state WHEN 'pending' THEN 'running' ELSE state END, started_at = ?, remote_pgid = ?
       WHERE id = ? AND state NOT IN ${FINAL}`,
  ).run(startedAt, remotePgid, Number(id));
}

export function markAborting(db: Database.Database, id: string, reason: string): void {
  prepared(db, `UPDATE attacks SET state = 'aborting', reason = ? WHERE id = ? AND state NOT IN ${FINAL}`).run(
    reason,
    Number(id),
  );
}

/** False when the attack was already final: a final state never changes again. */
export function finishAttack(db: Database.Database, id: string, f: AttackFinish): boolean {
  const info = prepared(
    db,
    `UPDATE attacks SET state = ?, ended_at = ?, exit_code = COALESCE(?, exit_code), signal = COALESCE(?, signal),
         output_tail = COALESCE(?, output_tail), reason = COALESCE(?, reason), rollback_ok = COALESCE(?, rollback_ok),
         unconfirmed = ?, ending = COALESCE(?, ending), ending_data = COALESCE(?, ending_data)
       WHERE id = ? AND state NOT IN ${FINAL}`,
  ).run(
    f.state,
    f.endedAt,
    f.exitCode ?? null,
    f.signal ?? null,
    f.outputTail ?? null,
    f.reason ?? null,
    flag(f.rollbackOk),
    f.unconfirmed ? 1 : 0,
    f.ending?.kind ?? null,
    f.ending ? endingData(f.ending) : null,
    Number(id),
  );
  return info.changes > 0;
}

export function setDetection(db: Database.Database, id: string, d: Detection): void {
  const { kind, ...data } = d;
  prepared(db, 'UPDATE attacks SET detection = ?, detection_data = ? WHERE id = ?').run(kind, JSON.stringify(data), Number(id));
}

export function setVerdict(db: Database.Database, id: string, v: Verdict): void {
  prepared(db, 'UPDATE attacks SET verdict = ?, ttd_ms = ?, ttr_ms = ?, verdict_detail = ? WHERE id = ?').run(
    v.kind,
    v.ttdMs,
    v.ttrMs,
    v.detail,
    Number(id),
  );
}

/**
 * What the next contact with the host found, appended to the reason, and kept with the ending as
 * `checked` (nothing left, or the fault may remain); the attack is confirmed.
 */
export function confirmAttack(db: Database.Database, id: string, found: string, rollbackOk: boolean | null): void {
  const checked = rollbackOk === true ? 'reverted' : 'failed';
  prepared(
    db,
    `UPDATE attacks SET unconfirmed = 0, reason = COALESCE(reason || '; ', '') || ?, rollback_ok = COALESCE(?, rollback_ok),
       ending_data = CASE WHEN ending IS NULL THEN ending_data ELSE json_set(COALESCE(ending_data, '{}'), '$.checked', ?) END
       WHERE id = ? AND unconfirmed = 1`,
  ).run(found, flag(rollbackOk), checked, Number(id));
}
