import type Database from 'better-sqlite3';
import type { EvidenceSeries } from '../../domain/evidence.js';
import type { EvidenceLog } from '../../ports/evidence.js';
import { prepared } from './statements.js';

/** The evidence of migration 019: each series' points as JSON, in the order the config lists them. */
export class SqliteEvidenceLog implements EvidenceLog {
  constructor(private readonly db: Database.Database) {}

  keep(attackId: string, series: readonly EvidenceSeries[]): void {
    const insert = prepared(
      this.db,
      'INSERT OR REPLACE INTO attack_evidence (attack_id, idx, title, unit, points) VALUES (?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const [i, s] of series.entries()) insert.run(Number(attackId), i, s.title, s.unit, JSON.stringify(s.points));
    })();
  }

  seriesOf(attackId: string): EvidenceSeries[] {
    const rows = prepared(this.db, 'SELECT title, unit, points FROM attack_evidence WHERE attack_id = ? ORDER BY idx').all(
      Number(attackId),
    ) as { title: string; unit: string; points: string }[];
    return rows.map((r) => ({ title: r.title, unit: r.unit, points: JSON.parse(r.points) as [number, number][] }));
  }
}
