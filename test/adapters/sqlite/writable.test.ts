import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import { storeWritable } from '../../../src/adapters/sqlite/writable.js';
import { tempDir } from '../../support/cleanup.js';
import { MIGRATIONS } from '../../support/test-config.js';

let file: string;
let store: SqliteStore;

beforeEach(() => {
  file = join(tempDir('chaoscat-writable-'), 'chaoscat.db');
  store = new SqliteStore({ file, migrationsDir: MIGRATIONS });
});

afterEach(() => store.close());

describe('storeWritable (a real SQLite file)', () => {
  it('is ok for the bot’s own connection, and leaves no transaction open', () => {
    expect(storeWritable(store.handle)).toEqual({ ok: true });
    expect(store.handle.inTransaction).toBe(false);
  });

  it('is not ok for a read-only connection', () => {
    const reader = new SqliteStore({ file, migrationsDir: MIGRATIONS, readOnly: true });
    try {
      expect(storeWritable(reader.handle)).toEqual({ ok: false, reason: 'the database is open read-only' });
    } finally {
      reader.close();
    }
  });

  it('is not ok while another connection holds the write lock, and keeps the busy timeout it found', () => {
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    const timeout = store.handle.pragma('busy_timeout', { simple: true });
    try {
      expect(storeWritable(store.handle)).toEqual({ ok: false, reason: 'another connection holds the write lock' });
      expect(store.handle.pragma('busy_timeout', { simple: true })).toBe(timeout);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(storeWritable(store.handle)).toEqual({ ok: true });
  });

  it('is not ok once the database is closed', () => {
    store.close();
    expect(storeWritable(store.handle)).toEqual({ ok: false, reason: 'the database is closed' });
  });
});
