import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/adapters/sqlite/migrate.js';
import { SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import { tempDir } from '../../support/cleanup.js';
import { MIGRATIONS } from '../../support/test-config.js';

/** Every kind of reason sentence the bot wrote before endings were kept, its state, and the code it maps to. */
const ROWS: [state: string, reason: string | null, rollbackOk: number | null, unconfirmed: number, ending: string][] = [
  ['completed', null, 1, 0, 'completed'],
  ['reverted', 'stopped by <@U0ONCALL>: incident: reverted in 80 ms', 1, 0, 'stopped'],
  ['failed', 'stopped by console: revert FAILED on web-1: exit 3 — the fault may still be in place.', 0, 0, 'stopped'],
  ['reverted', 'health check failed: api: HTTP 500: reverted in 1s', 1, 0, 'health'],
  ['reverted', 'steady state deviated: svc: exit 1: reverted in 2s', 1, 0, 'deviation'],
  ['reverted', 'could not hear `stop` for 35s (Socket Mode disconnected): reverted in 1s', 1, 0, 'deaf'],
  ['reverted', 'received SIGTERM: reverted in 40 ms', 1, 0, 'shutdown'],
  ['reverted', 'console input ended: reverted in 40 ms', 1, 0, 'shutdown'],
  ['cancelled', 'cancelled before it touched the host: stopped by console', null, 0, 'cancelled'],
  ['failed', 'could not start: web-1: connection refused', null, 0, 'start-failed'],
  ['failed', 'pre-flight: web-1: missing command stress-ng', null, 0, 'refused'],
  [
    'failed',
    'the announcement could not be posted (Slack refused the announcement: channel_not_found); no announcement, no attack',
    null,
    0,
    'refused',
  ],
  ['failed', 'cannot record the attack: disk I/O error', null, 0, 'refused'],
  ['orphaned', 'checked 12:00 at the next contact: nothing of it was left and its rollback ran', 1, 0, 'orphaned'],
  ['failed', 'web-1 unreachable — not confirmed: the next contact with web-1 checks what was left.', null, 1, 'unconfirmed'],
  ['failed', 'the rollback failed — the fault may still be in place on web-1.', 0, 0, 'rollback-failed'],
  ['failed', 'web-1 reverted: stopped; web-2 failed: something new', null, 0, 'legacy'],
];

describe('migration 014 (endings as data)', () => {
  it('maps every reason sentence written before it to its ending, keeps the rest as legacy, and leaves running rows alone', () => {
    const dir = tempDir('chaoscat-migration-');
    const upTo13 = join(dir, 'm13');
    mkdirSync(upTo13);
    for (const f of readdirSync(MIGRATIONS).filter((n) => n < '014')) cpSync(join(MIGRATIONS, f), join(upTo13, f));
    const file = join(dir, 'old.db');
    const db = new Database(file);
    try {
      migrate(db, upTo13);
      const insert = db.prepare(
        `INSERT INTO attacks (attack, host, trigger_kind, dry_run, state, created_at, deadline_at, duration_ms, reason, rollback_ok, unconfirmed, ended_at)
         VALUES ('cpu-burn', 'web-1', 'schedule', 0, ?, 1, 2, 3, ?, ?, ?, 4)`,
      );
      for (const [state, reason, rollbackOk, unconfirmed] of ROWS) insert.run(state, reason, rollbackOk, unconfirmed);
      db.prepare(
        `INSERT INTO attacks (attack, host, trigger_kind, dry_run, state, created_at, deadline_at, duration_ms)
         VALUES ('cpu-burn', 'web-1', 'schedule', 0, 'running', 1, 2, 3)`,
      ).run();
      expect(migrate(db, MIGRATIONS)).toMatchObject({ from: 13 });
    } finally {
      db.close();
    }
    const store = new SqliteStore({ file, migrationsDir: MIGRATIONS });
    try {
      ROWS.forEach(([, reason, , , ending], i) => {
        const record = store.getAttack(String(i + 1));
        expect([record?.reason ?? null, record?.ending?.kind]).toEqual([reason, ending]);
      });
      expect(store.getAttack(String(ROWS.length + 1))?.ending).toBeUndefined();
    } finally {
      store.close();
    }
  });
});
