import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/adapters/sqlite/migrate.js';
import { SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import { tempDir } from '../../support/cleanup.js';
import { MIGRATIONS } from '../../support/test-config.js';

describe('migration 006 (teams)', () => {
  it('gives every old row and the latched halt to the team `default`', () => {
    const dir = tempDir('chaoscat-migration-');
    const upTo5 = join(dir, 'm5');
    mkdirSync(upTo5);
    for (const f of readdirSync(MIGRATIONS).filter((n) => n < '006')) cpSync(join(MIGRATIONS, f), join(upTo5, f));
    const file = join(dir, 'old.db');
    const db = new Database(file);
    try {
      migrate(db, upTo5);
      db.prepare(
        `INSERT INTO attacks (attack, host, trigger_kind, dry_run, state, created_at, deadline_at, duration_ms)
         VALUES ('cpu-burn', 'web-1', 'schedule', 0, 'completed', 1, 2, 3)`,
      ).run();
      db.prepare(`INSERT INTO ticks (at, outcome, code, reason) VALUES (5, 'skipped', 'closed', 'outside business hours')`).run();
      db.prepare(
        `UPDATE bot_state SET halted = 1, halted_by = 'U0OLD', halted_at = 7, halt_reason = 'db migration', cooldown_until = 9`,
      ).run();
      expect(migrate(db, MIGRATIONS)).toMatchObject({ from: 5 });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
    const store = new SqliteStore({ file, migrationsDir: MIGRATIONS });
    try {
      expect(store.getState()).toEqual({ halt: { by: 'U0OLD', at: 7, reason: 'db migration' }, cooldownUntil: 9 });
      expect(store.history({ limit: 5 }).map((r) => [r.id, r.team])).toEqual([['1', 'default']]);
      expect(store.forTeam('default').lastTick()?.outcome).toMatchObject({ code: 'closed' });
      // Another team sees none of it.
      const payments = store.forTeam('payments');
      expect(payments.getState()).toEqual({ halt: null, cooldownUntil: null });
      expect(payments.history({ limit: 5 })).toEqual([]);
      expect(payments.lastTick()).toBeUndefined();
    } finally {
      store.close();
    }
  });
});
