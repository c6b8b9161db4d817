import type Database from 'better-sqlite3';
import { errorMessage } from '../../ports/errors.js';
import type { JournalPruner, PrunableTable } from '../../ports/journal-pruner.js';
import { StoreError } from './open.js';
import { prepared } from './statements.js';

const TABLE: Record<PrunableTable, string> = { ticks: 'ticks', health: 'health_checks' };

/**
 * The JournalPruner on the bot's own connection. Each call is one DELETE of at most `limit` rows
 * found through the `at` index, so the write lock is held only for that batch.
 */
export function sqliteJournalPruner(db: Database.Database): JournalPruner {
  return {
    prune(table, before, limit) {
      const name = TABLE[table];
      try {
        return prepared(
          db,
          `DELETE FROM ${name} WHERE rowid IN (SELECT rowid FROM ${name} WHERE at < ? ORDER BY at LIMIT ?)`,
        ).run(before, limit).changes;
      } catch (error) {
        throw new StoreError('STORE_WRITE', `cannot prune old ${table} rows: ${errorMessage(error)}`, { cause: error });
      }
    },
  };
}
