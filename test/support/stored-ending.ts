import Database from 'better-sqlite3';
import { type Ending, endingFrom } from '../../src/domain/ending.js';

/**
 * How an attack ended, as a bot in another process stored it: the `attacks` row's `ending` code and
 * `ending_data`, read back as the domain's value (no sentence). Undefined while it has no ending.
 */
export function storedEnding(databaseFile: string, id: string | number): Ending | undefined {
  const db = new Database(databaseFile, { readonly: true });
  try {
    const row = db.prepare('SELECT ending, ending_data, reason FROM attacks WHERE id = ?').get(Number(id)) as
      | { ending: string | null; ending_data: string | null; reason: string | null }
      | undefined;
    return row?.ending ? endingFrom(row.ending, row.ending_data, row.reason) : undefined;
  } finally {
    db.close();
  }
}
