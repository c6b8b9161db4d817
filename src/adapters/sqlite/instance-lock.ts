import { lstatSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, sep } from 'node:path';
import Database from 'better-sqlite3';
import { asCodedError, CodedError } from '../../ports/errors.js';

export class InstanceLockError extends CodedError<'INSTANCE_LOCKED'> {
  constructor(message: string) {
    super('INSTANCE_LOCKED', message);
  }
}

/** Linux's own limit before ELOOP. */
const MAX_SYMLINKS = 40;

/**
 * The database file a path reaches, followed the way the kernel and SQLite follow it: the real parent
 * directory plus the final name, and a symlink there is followed even when it dangles, since SQLite
 * then creates its target. The file itself may not exist yet; its directory must.
 */
export function realDatabasePath(database: string): string {
  // Not path.resolve: it folds `link/..` as text, where the kernel enters `link` before going up.
  let path = isAbsolute(database) ? database : `${process.cwd()}${sep}${database}`;
  for (let hops = 0; ; hops++) {
    const name = basename(path);
    if (name === '' || name === '.' || name === '..') return realpathSync.native(path);
    const file = join(realpathSync.native(dirname(path)), name);
    try {
      if (!lstatSync(file).isSymbolicLink()) return file;
    } catch (error) {
      if (asCodedError(error).code === 'ENOENT') return file;
      throw error;
    }
    if (hops === MAX_SYMLINKS) {
      throw Object.assign(new Error(`too many levels of symbolic links in ${database}`), { code: 'ELOOP' });
    }
    const target = readlinkSync(file);
    path = isAbsolute(target) ? target : `${dirname(file)}${sep}${target}`;
  }
}

/**
 * One bot per database. Holds an exclusive SQLite transaction on `<database>.lock` for the life of
 * the process: SQLite's POSIX file locks are released by the kernel when the process dies, even by
 * kill -9, so a lock is never stale. `<database>.pid` only tells a person who holds it.
 *
 * `<database>` is the real file (see realDatabasePath), so a symlink to it, a symlinked directory,
 * `..` or a relative path all meet at the same lock; otherwise a second bot would start and its orphan
 * recovery would revert the first bot's live attacks.
 *
 * Hard links are not covered: two names for one inode have no one real name to put a lock beside,
 * and a lock named after (dev, inode) needs a place both bots agree on. Beside the file fails across
 * directories; /tmp is private per service under systemd's PrivateTmp; a lock on the database file
 * itself would block our own store, because SQLite shares POSIX locks per inode within a process.
 * SQLite itself warns against hard links to a live database: each name gets its own -wal and -journal,
 * so a crash under one name corrupts the file for the other.
 */
export class InstanceLock {
  private constructor(
    private readonly db: Database.Database,
    private readonly pidFile: string,
  ) {}

  static acquire(database: string): InstanceLock {
    const real = realDatabasePath(database);
    const lockFile = `${real}.lock`;
    const pidFile = `${real}.pid`;
    const db = new Database(lockFile);
    try {
      db.pragma('busy_timeout = 0');
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      db.close();
      if (asCodedError(error).code === 'SQLITE_BUSY') {
        let holder = '';
        try {
          holder = ` (pid ${readFileSync(pidFile, 'utf8').trim()})`;
        } catch {
          /* the pid file is only a hint */
        }
        const where = real === database ? database : `${database}, which is ${real}`;
        const alias = real === database ? '' : ' (another path to the same file is the same database)';
        throw new InstanceLockError(
          `another ChaosCat is already running on ${where}${holder}; stop it first, or point this one at another database${alias}`,
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
