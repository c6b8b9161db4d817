import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { errorMessage } from '../../ports/errors.js';
import { openReadOnly, StoreError } from './open.js';

/** What a backup wrote, for the operator. */
export interface BackupResult {
  readonly path: string;
  readonly bytes: number;
  readonly attacks: number;
  readonly schemaVersion: number;
}

export interface BackupOptions {
  /** Replace an existing file at the destination (it is replaced only once the new copy is complete). */
  readonly force?: boolean;
}

/**
 * Copies the live database to `dest` with SQLite's online backup, safe while the bot runs: the
 * source is opened read-only (no instance lock, never a write, never the write lock; in WAL mode
 * its read does not block the bot's writes). The copy goes to a temporary file beside `dest`, is
 * switched from WAL to a self-contained rollback-journal file, checked (integrity_check), and only
 * then renamed onto `dest`: a failed backup never leaves a half file under the name asked for.
 * An existing `dest` is refused unless `force` (a backup must not silently replace another one).
 */
export async function backupDatabase(file: string, dest: string, options: BackupOptions = {}): Promise<BackupResult> {
  const target = resolve(dest);
  if (resolve(file) === target) {
    throw new StoreError('STORE_WRITE', `the backup path ${dest} is the database itself; choose another path`);
  }
  if (existsSync(target) && !options.force) {
    throw new StoreError('STORE_WRITE', `${dest} already exists; choose a new path, or add --force to replace it`);
  }
  if (!existsSync(dirname(target))) {
    throw new StoreError('STORE_WRITE', `the directory ${dirname(target)} does not exist; create it or choose another path`);
  }
  if (!existsSync(file)) {
    throw new StoreError('STORE_OPEN', `there is no database at ${file} (config key \`database\`); nothing to back up`);
  }
  const partial = join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
  const source = openReadOnly(file);
  try {
    // All remaining pages in one step: one consistent read of the source. Small steps would restart
    // from the beginning each time the bot writes in between.
    await source.backup(partial, { progress: (p) => Math.max(1, p.totalPages) });
    const checked = finishCopy(partial);
    renameSync(partial, target);
    return { path: target, bytes: statSync(target).size, ...checked };
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError('STORE_WRITE', `cannot back up ${file} to ${dest}: ${errorMessage(error)}`, { cause: error });
  } finally {
    source.close();
    for (const f of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) rmSync(f, { force: true });
  }
}

/** Makes the copy one self-contained file and checks it; returns what it holds. */
function finishCopy(path: string): { attacks: number; schemaVersion: number } {
  const copy = new Database(path, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new StoreError('STORE_CORRUPT', `the copy failed its integrity check (${String(check)})`);
    const schemaVersion = Number(copy.pragma('user_version', { simple: true }));
    const hasAttacks = copy.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'attacks'`).get();
    const attacks = hasAttacks ? (copy.prepare('SELECT count(*) AS n FROM attacks').get() as { n: number }).n : 0;
    return { attacks, schemaVersion };
  } finally {
    copy.close();
  }
}
