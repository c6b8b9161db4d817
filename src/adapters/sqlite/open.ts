import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { asCodedError, CodedError, errorMessage } from '../../ports/errors.js';
import type { StoreErrorCode } from '../../ports/store.js';
import { migrate } from './migrate.js';

/** Errors of this store carry a stable code; the cause is the SQLite error. */
export class StoreError extends CodedError<StoreErrorCode> {}

/** What opening did to the schema; `backup`: where the database was copied before migrating, if it was. */
export interface MigrationOutcome {
  readonly from: number;
  readonly to: number;
  readonly backup: string | null;
}

/**
 * `<file>.before-<NNN>.bak`, NNN the schema version about to be reached; `.2`, `.3`… before `.bak`
 * when that name is taken (an earlier copy is never replaced).
 */
export function migrationBackupPath(file: string, to: number): string {
  const base = `${file}.before-${String(to).padStart(3, '0')}`;
  for (let n = 1; ; n++) {
    const path = n === 1 ? `${base}.bak` : `${base}.${n}.bak`;
    if (!existsSync(path)) return path;
  }
}

/**
 * A copy of a database holding rows (schema version > 0) before migrations change it, with VACUUM
 * INTO: one consistent, compact copy in one statement, synchronous like the rest of the opening,
 * and SQLite refuses to write it over an existing file. A copy that cannot be made stops the
 * migration (the error says so): nothing is changed without it.
 */
function copyBeforeMigrating(db: Database.Database, file: string, plan: { from: number; to: number }): string | null {
  if (plan.from === 0 || file === ':memory:') return null;
  const path = migrationBackupPath(file, plan.to);
  try {
    db.prepare('VACUUM INTO ?').run(path);
  } catch (error) {
    throw new StoreError(
      'STORE_OPEN',
      `cannot copy the database ${file} to ${path} before migrating it from schema ${plan.from} to ${plan.to} (${errorMessage(error)}); nothing was changed — free disk space or fix the directory's permissions`,
      { cause: error },
    );
  }
  return path;
}

/**
 * Opens the database file in WAL mode, checks it and applies the migrations, copying it first when
 * it already holds a schema (see copyBeforeMigrating). Nothing is changed or deleted when it is not
 * a readable ChaosCat database.
 */
export function openDatabase(file: string, migrationsDir: string): { db: Database.Database; migration: MigrationOutcome } {
  let db: Database.Database;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = new Database(file, { fileMustExist: false });
  } catch (error) {
    throw new StoreError('STORE_OPEN', `cannot open the database ${file}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 2000');
    db.pragma('foreign_keys = ON');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new CodedError('SQLITE_CORRUPT', `integrity check: ${String(check)}`);
    let backup: string | null = null;
    const { from, to } = migrate(db, migrationsDir, (plan) => {
      backup = copyBeforeMigrating(db, file, plan);
    });
    return { db, migration: { from, to, backup } };
  } catch (error) {
    db.close();
    if (error instanceof StoreError) throw error;
    // Only SQLite's own word (or the integrity check) says the file is not a database: any other
    // error, a bug in a migration among them, is told as what it is.
    const { code } = asCodedError(error);
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new StoreError(
        'STORE_CORRUPT',
        `the database ${file} is not a readable ChaosCat database (${errorMessage(error)}); nothing was changed or deleted — move it aside or restore a backup`,
        { cause: error },
      );
    }
    throw new StoreError('STORE_OPEN', `cannot prepare the database ${file}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}

/**
 * A second connection to the bot's database that can never write: `readonly` makes SQLite refuse
 * every write, so it never takes the write lock; in WAL mode its reads do not block the bot's
 * writes either. The bot opens (and migrates) the file first.
 */
export function openReadOnly(file: string): Database.Database {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 2000');
    return db;
  } catch (error) {
    throw new StoreError('STORE_OPEN', `cannot open the database ${file} read-only: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}
