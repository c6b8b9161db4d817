import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { listMigrations } from '../../../src/adapters/sqlite/migrate.js';
import { SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import { deferCleanup, tempDir } from '../../support/cleanup.js';
import { MIGRATIONS } from '../../support/test-config.js';

/** A database path in a temp dir of its own, removed after this file. */
const file = () => join(tempDir('chaoscat-store-'), 'c.db');

/** Closes `db` after this file, before its dir goes, even if the test fails before closing it (closing twice is fine). */
function closeLater<T extends { close(): unknown }>(db: T): T {
  deferCleanup(() => {
    db.close();
  });
  return db;
}

describe('SQLite store', () => {
  it('applies migrations once, in WAL mode, tracking PRAGMA user_version', () => {
    const path = file();
    new SqliteStore({ file: path, migrationsDir: MIGRATIONS }).close();
    const again = new SqliteStore({ file: path, migrationsDir: MIGRATIONS });
    again.close();
    const db = closeLater(new Database(path, { readonly: true }));
    expect(db.pragma('user_version', { simple: true })).toBe(listMigrations(MIGRATIONS).at(-1)?.version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('refuses a database newer than it knows, changing nothing', () => {
    const path = file();
    const db = new Database(path);
    db.pragma('user_version = 999');
    db.close();
    expect(() => new SqliteStore({ file: path, migrationsDir: MIGRATIONS })).toThrow(/newer than this ChaosCat knows/);
  });

  it('moves an attack to a final state once; a final state never changes', () => {
    const store = closeLater(new SqliteStore({ file: file(), migrationsDir: MIGRATIONS }));
    const id = store.insertAttack({
      attack: 'cpu-burn',
      host: 'web-1',
      trigger: { kind: 'user', user: 'U1' },
      dryRun: false,
      createdAt: 1000,
      deadlineAt: 100_000,
      durationMs: 60_000,
    });
    expect(store.getAttack(id)?.state).toBe('pending');
    store.markRunning(id, 1100, 321);
    expect(store.unfinishedAttacks().map((a) => a.id)).toEqual([id]);
    expect(store.finishAttack(id, { state: 'reverted', endedAt: 2000, reason: 'stopped', rollbackOk: true })).toBe(true);
    expect(store.finishAttack(id, { state: 'completed', endedAt: 3000 })).toBe(false);
    expect(store.getAttack(id)).toMatchObject({ state: 'reverted', remotePgid: 321, rollbackOk: true, endedAt: 2000 });
    expect(store.unfinishedAttacks()).toEqual([]);
    expect(store.hostSummary()).toEqual([expect.objectContaining({ host: 'web-1', total: 1, reverted: 1 })]);
    store.close();
  });

  it('keeps the halt and cooldown in one row', () => {
    const store = closeLater(new SqliteStore({ file: file(), migrationsDir: MIGRATIONS }));
    store.setHalt({ by: 'U1', at: 5, reason: 'incident' });
    store.setCooldownUntil(99);
    expect(store.getState()).toEqual({ halt: { by: 'U1', at: 5, reason: 'incident' }, cooldownUntil: 99 });
    store.clearHalt();
    expect(store.getState()).toEqual({ halt: null, cooldownUntil: 99 });
    store.close();
  });
});
