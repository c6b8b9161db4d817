import type Database from 'better-sqlite3';
import type { AttackRecord, ProbeRecord } from '../../domain/model.js';
import { type AttackRow, toRecord } from './rows.js';
import { prepared } from './statements.js';

/** The probe rounds of attacks' steady states (table probe_samples, migration 005). */
export function insertSample(db: Database.Database, attackId: string, sample: ProbeRecord): void {
  prepared(db, 'INSERT INTO probe_samples (attack_id, at, phase, healthy, results) VALUES (?, ?, ?, ?, ?)').run(
    Number(attackId),
    sample.at,
    sample.phase,
    sample.healthy ? 1 : 0,
    JSON.stringify(sample.results),
  );
}

export function samplesOf(db: Database.Database, attackId: string): ProbeRecord[] {
  const rows = prepared(db, 'SELECT at, phase, healthy, results FROM probe_samples WHERE attack_id = ? ORDER BY at, rowid').all(
    Number(attackId),
  ) as { at: number; phase: ProbeRecord['phase']; healthy: number; results: string }[];
  return rows.map((r) => ({ at: r.at, phase: r.phase, healthy: r.healthy === 1, results: JSON.parse(r.results) }));
}

/** Attacks that ran and were being verified (they have samples) but have no verdict. */
export function unverified(db: Database.Database, team: string | null): AttackRecord[] {
  const rows = prepared(
    db,
    `SELECT * FROM attacks a WHERE a.verdict IS NULL AND a.started_at IS NOT NULL
         AND a.state IN ('completed', 'reverted', 'failed', 'orphaned') AND (? IS NULL OR a.team = ?)
         AND EXISTS (SELECT 1 FROM probe_samples p WHERE p.attack_id = a.id) ORDER BY a.id`,
  ).all(team, team) as AttackRow[];
  return rows.map(toRecord);
}
