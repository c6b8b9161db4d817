import type Database from 'better-sqlite3';
import type { EvidenceSeries } from '../../domain/evidence.js';
import type { EvidenceLog } from '../../ports/evidence.js';
import { byAttack } from './answer-log.js';
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
    const rows = prepared(
      this.db,
      'SELECT attack_id, title, unit, points FROM attack_evidence WHERE attack_id IN (SELECT value FROM json_each(?)) ORDER BY attack_id, idx',
    ).all(JSON.stringify(attackIds.map(Number))) as { attack_id: number; title: string; unit: string; points: string }[];
    const grouped = byAttack(rows, (r) => String(r.attack_id));
    return new Map(
      [...grouped].map(([id, list]) => [
        id,
        list.map((r) => ({ title: r.title, unit: r.unit, points: JSON.parse(r.points) as [number, number][] })),
      ]),
    );
  }

  seriesOf(attackId: string): EvidenceSeries[] {
    return this.seriesFor([attackId]).get(attackId) ?? [];
  }
}
