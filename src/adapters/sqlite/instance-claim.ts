import { randomUUID } from 'node:crypto';
import { closeSync, fstatSync, openSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import { asCodedError } from '../../ports/errors.js';
import { InstanceLockError, realDatabasePath } from './instance-lock.js';

/** A claim whose holder has not beaten for this long is taken over (the holder died without releasing it). */
export const CLAIM_STALE_MS = 20_000;
export const CLAIM_BEAT_MS = 5_000;

interface ClaimRow {
  holder: string;
  pid: number;
  hostname: string;
  path: string;
  beat_at: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return asCodedError(error).code === 'EPERM';
  }
}

/**
 * One bot per database, whatever the file's name (issue 22, case 1). The realpath lock
 * (instance-lock.ts) cannot see a hard link or a copy; this row inside the database can: every
 * name of the file is the same bytes, and a copy on another machine carries the first bot's fresh
 * beat. Claimed in one IMMEDIATE transaction, so two bots starting together cannot both win.
 * A holder on this host whose process is gone, or a beat older than CLAIM_STALE_MS, is taken over.
 *
 * It also watches the file itself: one descriptor of it stays open for the life of the process
 * (closing any descriptor of a file drops this process's POSIX locks on it, SQLite's included, so
 * it is closed only after the database), and a file that was deleted (no links left) or replaced
 * (the path now names another inode) is reported by `check()`.
 */
export class InstanceClaim {
  private readonly id = randomUUID();
  private readonly fd: number;
  private readonly ino: number;
  private readonly dev: number;

  private constructor(
    private readonly db: Database.Database,
    private readonly path: string,
  ) {
    this.fd = openSync(path, 'r');
    const st = fstatSync(this.fd);
    this.ino = st.ino;
    this.dev = st.dev;
  }

  static acquire(db: Database.Database, database: string, now: number): InstanceClaim {
    const claim = new InstanceClaim(db, realDatabasePath(database));
    try {
      db.transaction(() => {
        const row = db.prepare('SELECT * FROM instance_claim WHERE id = 1').get() as ClaimRow | undefined;
        const here = hostname();
        const stale = !row || now - row.beat_at > CLAIM_STALE_MS || (row.hostname === here && !alive(row.pid));
        if (row && !stale) {
          const where = row.hostname === here ? `pid ${row.pid}` : `pid ${row.pid} on ${row.hostname}`;
          throw new InstanceLockError(
            `another ChaosCat (${where}, through ${row.path}) holds this database: its last beat was ${Math.round((now - row.beat_at) / 1000)} s ago. ` +
              `${database} is the same file or a copy of it (a hard link, a bind mount, a copy on a shared filesystem); stop the other bot first, or point this one at a database of its own`,
          );
        }
        db.prepare(
          `INSERT INTO instance_claim (id, holder, pid, hostname, path, beat_at) VALUES (1, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, pid = excluded.pid, hostname = excluded.hostname,
             path = excluded.path, beat_at = excluded.beat_at`,
        ).run(claim.id, process.pid, here, claim.path, now);
      }).immediate();
    } catch (error) {
      closeSync(claim.fd);
      throw error;
    }
    claim.checkpoint();
    return claim;
  }

  /**
   * The beat, and the file still being this bot's: null when all is well, else why not (another bot
   * took the claim, the file was deleted or replaced). A beat the database refuses (a full disk) is
   * not a reason: the claim is still ours.
   */
  check(now: number): string | null {
    try {
      if (fstatSync(this.fd).nlink === 0) return `the database file ${this.path} was deleted while the bot ran`;
      const st = statSync(this.path);
      if (st.ino !== this.ino || st.dev !== this.dev) return `the database file ${this.path} was replaced while the bot ran`;
    } catch (error) {
      if (asCodedError(error).code === 'ENOENT') return `the database file ${this.path} was deleted while the bot ran`;
    }
    try {
      const row = this.db.prepare('SELECT holder, pid, hostname FROM instance_claim WHERE id = 1').get() as ClaimRow | undefined;
      if (row && row.holder !== this.id) return `another ChaosCat (pid ${row.pid} on ${row.hostname}) took over this database`;
      this.db.prepare('UPDATE instance_claim SET beat_at = ? WHERE id = 1 AND holder = ?').run(now, this.id);
      this.checkpoint();
    } catch {
      /* the database refuses writes for now: the claim stays ours */
    }
    return null;
  }

  /**
   * Into the main file: another name of the file (a hard link) has a WAL of its own and reads only
   * what was checkpointed. PASSIVE: it never waits for a reader.
   */
  private checkpoint(): void {
    try {
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      /* the beat is still in the WAL; a reader through this name sees it */
    }
  }

  /** Gives the claim up (a clean exit); call before the database closes, close the descriptor after. */
  release(): void {
    try {
      this.db.prepare('DELETE FROM instance_claim WHERE id = 1 AND holder = ?').run(this.id);
    } catch {
      /* stale in CLAIM_STALE_MS anyway */
    }
  }

  closeFile(): void {
    try {
      closeSync(this.fd);
    } catch {
      /* already closed */
    }
  }
}
