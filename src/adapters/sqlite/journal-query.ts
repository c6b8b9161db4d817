import type { JournalCursor, JournalRange, JournalSource } from '../../app/export.js';
import type { AttackRecord } from '../../domain/model.js';
import type { SqliteStore } from './sqlite-store.js';

/**
 * The journal export's pages on the SQLite store: keyset paging on (created_at, id), which the
 * attacks_created index serves in order, so each page costs the same however deep the export is.
 * Records come from the store's own getAttack, so the journal always carries the full record.
 * Read-only.
 */
export function sqliteJournal(store: SqliteStore): JournalSource {
  const ids = store.handle
    .prepare(
      `SELECT id FROM attacks INDEXED BY attacks_created
       WHERE (created_at, id) > (?, ?) AND created_at < ?
       ORDER BY created_at, id LIMIT ?`,
    )
    .pluck();
  return {
    page(range: JournalRange, after: JournalCursor | null, limit: number): AttackRecord[] {
      const from = after ? [after.createdAt, Number(after.id)] : [range.since, -1];
      const page = ids.all(from[0], from[1], range.until, limit) as number[];
      return page.map((id) => store.getAttack(String(id))).filter((r): r is AttackRecord => r !== undefined);
    },
  };
}
