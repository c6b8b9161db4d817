import type Database from 'better-sqlite3';
import type { Fault } from '../../domain/fault.js';
import type { FaultLog } from '../../ports/fault-log.js';
import { prepared } from './statements.js';

interface FaultRow {
  attack_id: string;
  attack: string;
  host: string;
  detail: string;
  manual_rollback: string | null;
  opened_at: number;
  confirmed_at: number | null;
}

/** One team's open faults, in the table of migration 013. */
export class SqliteFaultLog implements FaultLog {
  constructor(
    private readonly db: Database.Database,
    private readonly team: string,
  ) {}

  openFault(f: Fault): void {
    prepared(
      this.db,
      'INSERT OR IGNORE INTO faults (attack_id, team, attack, host, detail, manual_rollback, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(f.id, this.team, f.attack, f.host, f.detail, f.manualRollback, f.openedAt);
  }

  openFaults(): readonly Fault[] {
    const rows = prepared(
      this.db,
      'SELECT * FROM faults WHERE team = ? AND resolved_at IS NULL ORDER BY opened_at, attack_id',
    ).all(this.team) as FaultRow[];
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

  resolveFault(id: string, by: string, at: number, note: string): boolean {
    const result = prepared(
      this.db,
      'UPDATE faults SET resolved_at = ?, resolved_by = ?, note = ? WHERE attack_id = ? AND team = ? AND resolved_at IS NULL',
    ).run(at, by, note, id, this.team);
    return result.changes > 0;
  }

  confirmFault(id: string, at: number): void {
    prepared(this.db, 'UPDATE faults SET confirmed_at = ? WHERE attack_id = ? AND team = ? AND confirmed_at IS NULL').run(
      at,
      id,
      this.team,
    );
  }
}
