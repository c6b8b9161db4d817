import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/adapters/sqlite/migrate.js';
import { tempDir } from '../../support/cleanup.js';
import { MIGRATIONS } from '../../support/test-config.js';

describe('migration 004 (cancelled, unconfirmed)', () => {
  it('keeps every row, the indexes and the id counter of an existing database', () => {
    const dir = tempDir('chaoscat-migration-');
    const upTo3 = join(dir, 'm3');
    mkdirSync(upTo3);
    for (const f of ['001_initial.sql', '002_host_state_index.sql', '003_instance_id.sql'])
      cpSync(join(MIGRATIONS, f), join(upTo3, f));
    const db = new Database(join(dir, 'old.db'));
    try {
      migrate(db, upTo3);
      const insert = db.prepare(
        `INSERT INTO attacks (attack, host, trigger_kind, dry_run, state, created_at, deadline_at, duration_ms, reason)
         VALUES ('cpu-burn', 'web-1', 'schedule', 0, ?, 1, 2, 3, ?)`,
      );
      for (let i = 1; i <= 5; i++) insert.run(i === 3 ? 'running' : 'completed', `row ${i}`);
      db.prepare('DELETE FROM attacks WHERE id = 5').run();

      const upTo4 = join(dir, 'm4');
      mkdirSync(upTo4);
      for (const f of ['001_initial.sql', '002_host_state_index.sql', '003_instance_id.sql', '004_cancelled_unconfirmed.sql']) {
        cpSync(join(MIGRATIONS, f), join(upTo4, f));
      }
      expect(migrate(db, upTo4)).toMatchObject({ from: 3, to: 4 });
      expect(db.prepare('SELECT id, state, reason, unconfirmed FROM attacks ORDER BY id').all()).toEqual([
        { id: 1, state: 'completed', reason: 'row 1', unconfirmed: 0 },
        { id: 2, state: 'completed', reason: 'row 2', unconfirmed: 0 },
        { id: 3, state: 'running', reason: 'row 3', unconfirmed: 0 },
        { id: 4, state: 'completed', reason: 'row 4', unconfirmed: 0 },
      ]);
      // Ids are never reused: hosts know attacks by `<instance>-<id>`.
      expect(insert.run('cancelled', 'new').lastInsertRowid).toBe(6);
      const indexes = (
        db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'attacks'`).all() as { name: string }[]
      )
        .map((r) => r.name)
        .sort();
      expect(indexes).toEqual([
        'attacks_attack',
        'attacks_created',
        'attacks_host',
        'attacks_host_state',
        'attacks_unconfirmed',
        'attacks_unfinished',
      ]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(() => insert.run('exploded', 'bad')).toThrow(/CHECK constraint failed/);
      // And the rest of the chain applies on top.
      expect(migrate(db, MIGRATIONS)).toMatchObject({ from: 4 });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
});
