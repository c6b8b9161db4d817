import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { listMigrations, migrate } from '../../../src/adapters/sqlite/migrate.js';
import { SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import { tempDir } from '../../support/cleanup.js';
import { MIGRATIONS } from '../../support/test-config.js';

const LATEST = String(listMigrations(MIGRATIONS).at(-1)?.version).padStart(3, '0');

/** A database file at schema version 5 holding one attack and one tick, as an older ChaosCat left it. */
function oldDatabase(): { dir: string; file: string } {
  const dir = tempDir('chaoscat-migration-backup-');
  const upTo5 = join(dir, 'm5');
  mkdirSync(upTo5);
  for (const f of readdirSync(MIGRATIONS).filter((n) => n < '006')) cpSync(join(MIGRATIONS, f), join(upTo5, f));
  const file = join(dir, 'old.db');
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    migrate(db, upTo5);
    db.prepare(
      `INSERT INTO attacks (attack, host, trigger_kind, dry_run, state, created_at, deadline_at, duration_ms)
       VALUES ('cpu-burn', 'web-1', 'schedule', 0, 'completed', 1, 2, 3)`,
    ).run();
    db.prepare(`INSERT INTO ticks (at, outcome, code, reason) VALUES (5, 'skipped', 'closed', 'outside business hours')`).run();
  } finally {
    db.close();
  }
  return { dir, file };
}

describe('a copy of the database before a migration', () => {
  it('copies a database at an older schema to <db>.before-NNN.bak, which opens and holds the old rows', () => {
    const { file } = oldDatabase();
    const store = new SqliteStore({ file, migrationsDir: MIGRATIONS });
    try {
      expect(store.migration).toEqual({ from: 5, to: Number(LATEST), backup: `${file}.before-${LATEST}.bak` });
      expect(store.history({ limit: 5 })).toHaveLength(1);
    } finally {
      store.close();
    }
    const copy = new Database(`${file}.before-${LATEST}.bak`, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.pragma('user_version', { simple: true })).toBe(5);
      expect(copy.prepare('SELECT attack, host, state FROM attacks').all()).toEqual([
        { attack: 'cpu-burn', host: 'web-1', state: 'completed' },
      ]);
      expect(copy.prepare('SELECT reason FROM ticks').all()).toEqual([{ reason: 'outside business hours' }]);
      // As it was: no column of a later migration.
      const columns = (copy.prepare('PRAGMA table_info(attacks)').all() as { name: string }[]).map((c) => c.name);
      expect(columns).not.toContain('team');
    } finally {
      copy.close();
    }
  });

  it('never replaces an earlier copy: a taken name gets .2', () => {
    const { file } = oldDatabase();
    writeFileSync(`${file}.before-${LATEST}.bak`, 'an earlier copy');
    const store = new SqliteStore({ file, migrationsDir: MIGRATIONS });
    store.close();
    expect(store.migration?.backup).toBe(`${file}.before-${LATEST}.2.bak`);
    expect(readFileSync(`${file}.before-${LATEST}.bak`, 'utf8')).toBe('an earlier copy');
  });

  it('makes no copy of a fresh database, nor of one already at the newest schema', () => {
    const dir = tempDir('chaoscat-migration-backup-');
    const file = join(dir, 'fresh.db');
    const fresh = new SqliteStore({ file, migrationsDir: MIGRATIONS });
    fresh.close();
    expect(fresh.migration).toEqual({ from: 0, to: Number(LATEST), backup: null });
    const again = new SqliteStore({ file, migrationsDir: MIGRATIONS });
    again.close();
    expect(again.migration).toEqual({ from: Number(LATEST), to: Number(LATEST), backup: null });
    expect(readdirSync(dir).filter((f) => f.endsWith('.bak'))).toEqual([]);
  });
});
