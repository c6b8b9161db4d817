import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrate.js';

/** Errors of this store carry a stable code; the cause is the SQLite error. */
export class StoreError extends Error {
  constructor(
    readonly code: 'STORE_OPEN' | 'STORE_CORRUPT' | 'STORE_WRITE' | 'STORE_READ',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/**
 * Opens the database file in WAL mode, checks it and applies the migrations. Nothing is changed or
 * deleted when it is not a readable ChaosCat database.
 */
export function openDatabase(file: string, migrationsDir: string): Database.Database {
  let db: Database.Database;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = new Database(file, { fileMustExist: false });
  } catch (error) {
    throw new StoreError('STORE_OPEN', `cannot open the database ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 2000');
    db.pragma('foreign_keys = ON');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(String(check));
    migrate(db, migrationsDir);
  } catch (error) {
    db.close();
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || !code) {
      throw new StoreError(
        'STORE_CORRUPT',
        `the database ${file} is not a readable ChaosCat database (${(error as Error).message}); nothing was changed or deleted — move it aside or restore a backup`,
        { cause: error },
      );
    }
    throw new StoreError('STORE_OPEN', `cannot prepare the database ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return db;
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
    throw new StoreError('STORE_OPEN', `cannot open the database ${file} read-only: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
