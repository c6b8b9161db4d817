import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { listMigrations, migrate } from '../../src/adapters/sqlite/migrate.js';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { tempDir } from '../support/cleanup.js';
import { runBot, startBot } from '../support/run-bot.js';
import { MIGRATIONS, writeTestConfig } from '../support/test-config.js';

describe('chaoscat backup', () => {
  it('while an attack runs, writes a database that opens, passes integrity_check and holds that attack', async () => {
    const { dir, file } = writeTestConfig({}, [{ name: 'cpu-burn', weight: 10, targets: ['web'], duration: '10m' }]);
    const bot = await startBot(['--config', file]);
    try {
      bot.say('run-once');
      await bot.waitFor(/Started #1/);
      const dest = join(dir, 'copy.db');
      const result = await runBot(['backup', dest, '--config', file], '');
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        /backed up .*chaoscat\.db to .*copy\.db: \d+ bytes, 1 attack, schema version \d+, integrity ok/,
      );
      // The bot went on undisturbed: it still holds its lock and answers.
      expect(bot.child.exitCode).toBeNull();
      bot.say('status');
      await bot.waitFor(/In flight: .*#1.* — running/);

      // A self-contained file: no -wal beside it, rollback journal mode.
      expect(existsSync(`${dest}-wal`)).toBe(false);
      const raw = new Database(dest, { readonly: true });
      try {
        expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(raw.pragma('journal_mode', { simple: true })).toBe('delete');
      } finally {
        raw.close();
      }
      const store = new SqliteStore({ file: dest, migrationsDir: MIGRATIONS });
      try {
        expect(store.getAttack('1')).toMatchObject({ attack: 'cpu-burn', state: 'running', dryRun: true });
      } finally {
        store.close();
      }
    } finally {
      bot.child.kill('SIGKILL');
      await bot.exited;
    }
  });

  it('refuses to replace an existing file unless --force, and says how', async () => {
    const { dir, file } = writeTestConfig();
    const seed = await runBot(['--config', file], 'status\n');
    expect(seed.code).toBe(0);
    const dest = join(dir, 'taken.db');
    writeFileSync(dest, 'an older backup');
    const refused = await runBot(['backup', dest, '--config', file], '');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/taken\.db already exists; choose a new path, or add --force to replace it/);
    const forced = await runBot(['backup', dest, '--force', '--config', file], '');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/0 attacks/);
    // No temporary file is left beside it.
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('names what to fix: no PATH, a missing directory, no database yet', async () => {
    const { dir, file } = writeTestConfig();
    const none = await runBot(['backup', '--config', file], '');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/expected one PATH/);
    const noDb = await runBot(['backup', join(dir, 'x.db'), '--config', file], '');
    expect(noDb.code).toBe(1);
    expect(noDb.stderr).toMatch(/there is no database at .*chaoscat\.db \(config key `database`\); nothing to back up/);
    const noDir = await runBot(['backup', join(dir, 'nope', 'x.db'), '--config', file], '');
    expect(noDir.code).toBe(1);
    expect(noDir.stderr).toMatch(/the directory .*nope does not exist/);
  });
});

describe('the bot on a database of an older schema', () => {
  it('copies it before migrating and says where on the console', async () => {
    const { dir, file } = writeTestConfig();
    const upTo5 = tempDir('chaoscat-m5-');
    for (const f of readdirSync(MIGRATIONS).filter((n) => n < '006')) cpSync(join(MIGRATIONS, f), join(upTo5, f));
    mkdirSync(join(dir, 'data'));
    const db = new Database(join(dir, 'data', 'chaoscat.db'));
    migrate(db, upTo5);
    db.close();
    const latest = String(listMigrations(MIGRATIONS).at(-1)?.version).padStart(3, '0');
    const result = await runBot(['--config', file], 'status\n');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        `database .*chaoscat\\.db migrated from schema version 5 to ${Number(latest)}; the database as it was is saved in .*chaoscat\\.db\\.before-${latest}\\.bak`,
      ),
    );
    expect(existsSync(join(dir, 'data', `chaoscat.db.before-${latest}.bak`))).toBe(true);
  });
});

describe('retention in the running bot', () => {
  it('at start, deletes ticks older than retention.ticks and keeps the recent ones', async () => {
    const { dir, file } = writeTestConfig({ retention: { ticks: '30d', health: 'off' } });
    const store = new SqliteStore({ file: join(dir, 'data', 'chaoscat.db'), migrationsDir: MIGRATIONS });
    const now = Date.now();
    for (const at of [now - 40 * 86_400_000, now - 3_600_000]) {
      store.recordTick(at, { kind: 'skipped', code: 'closed', reason: 'outside business hours' });
      store.recordHealth({ healthy: true, checkedAt: at, results: [] });
    }
    store.close();
    const result = await runBot(['--config', file], 'status\n');
    expect(result.code).toBe(0);
    const db = new Database(join(dir, 'data', 'chaoscat.db'), { readonly: true });
    try {
      const ages = (table: string) =>
        (db.prepare(`SELECT at FROM ${table} WHERE at < ? ORDER BY at`).all(now) as { at: number }[]).map((r) => now - r.at);
      expect(ages('ticks')).toEqual([3_600_000]);
      expect(ages('health_checks')).toEqual([40 * 86_400_000, 3_600_000]);
    } finally {
      db.close();
    }
  });
});
