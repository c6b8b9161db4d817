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

  seriesFor(attackIds: readonly string[]): Map<string, EvidenceSeries[]> {
    const out = new Map<string, EvidenceSeries[]>();
    for (let i = 0; i < attackIds.length; i += 500) {
      const ids = attackIds.slice(i, i + 500).map(Number);
      const rows = this.db
        .prepare(
          `SELECT attack_id, title, unit, points FROM attack_evidence WHERE attack_id IN (${ids.map(() => '?').join(',')}) ORDER BY attack_id, idx`,
        )
        .all(...ids) as { attack_id: number; title: string; unit: string; points: string }[];
      for (const r of rows) {
        const id = String(r.attack_id);
        out.set(id, [
          ...(out.get(id) ?? []),
          { title: r.title, unit: r.unit, points: JSON.parse(r.points) as [number, number][] },
        ]);
      }
    }
    return out;
  }

  seriesOf(attackId: string): EvidenceSeries[] {
    const rows = prepared(this.db, 'SELECT title, unit, points FROM attack_evidence WHERE attack_id = ? ORDER BY idx').all(
      Number(attackId),
    ) as { title: string; unit: string; points: string }[];
    return rows.map((r) => ({ title: r.title, unit: r.unit, points: JSON.parse(r.points) as [number, number][] }));
  }
}
