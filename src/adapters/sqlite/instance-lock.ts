import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';

export class InstanceLockError extends Error {
  readonly code = 'INSTANCE_LOCKED';
}

/**
 * One bot per database. Holds an exclusive SQLite transaction on `<database>.lock` for the life of
 * the process: SQLite's POSIX file locks are released by the kernel when the process dies, even by
 * kill -9, so a lock is never stale. `<database>.pid` only tells a person who holds it.
 */
export class InstanceLock {
  private constructor(
    private readonly db: Database.Database,
    private readonly pidFile: string,
  ) {}

  static acquire(database: string): InstanceLock {
    const lockFile = `${database}.lock`;
    const pidFile = `${database}.pid`;
    const db = new Database(lockFile);
    try {
      db.pragma('busy_timeout = 0');
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') {
        let holder = '';
        try {
          holder = ` (pid ${readFileSync(pidFile, 'utf8').trim()})`;
        } catch {
          /* the pid file is only a hint */
        }
        throw new InstanceLockError(
          `another ChaosCat is already running on ${database}${holder}; stop it first, or point this one at another database`,
        );
      }
      throw error;
    }
    writeFileSync(pidFile, `${process.pid}\n`);
    return new InstanceLock(db, pidFile);
  }

  release(): void {
    if (!this.db.open) return;
    try {
      if (readFileSync(this.pidFile, 'utf8').trim() === String(process.pid)) rmSync(this.pidFile, { force: true });
    } catch {
      /* already gone */
    }
    this.db.close();
  }
}
