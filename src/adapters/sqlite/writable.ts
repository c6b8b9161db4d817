import type Database from 'better-sqlite3';
import type { Check } from '../../domain/readiness.js';
import { asCodedError } from '../../ports/errors.js';

/**
 * Whether the connection can take writes right now: open, not read-only, and the write lock
 * obtainable at once. Side effects: takes and releases the write lock (BEGIN IMMEDIATE, ROLLBACK);
 * never waits for a busy lock, so a readiness probe cannot stall the event loop a `stop` runs on.
 * A full disk shows only on a real write, not here.
 */
export function storeWritable(db: Database.Database): Check {
  if (!db.open) return { ok: false, reason: 'the database is closed' };
  if (db.readonly) return { ok: false, reason: 'the database is open read-only' };
  // Statements run synchronously, so one open here is ours and already proves the lock.
  if (db.inTransaction) return { ok: true };
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  try {
    db.pragma('busy_timeout = 0');
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return { ok: true };
  } catch (error) {
    const { code, message } = asCodedError(error);
    return { ok: false, reason: code === 'SQLITE_BUSY' ? 'another connection holds the write lock' : message };
  } finally {
    db.pragma(`busy_timeout = ${Number(timeout)}`);
  }
}
