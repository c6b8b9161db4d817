import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/adapters/sqlite/migrate.js';
import { SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import type { Ending } from '../../../src/domain/ending.js';
import { endingText } from '../../../src/words/endings.js';
import { tempDir } from '../../support/cleanup.js';
import { MIGRATIONS } from '../../support/test-config.js';

/** Every reason sentence the bot wrote before endings carried data (as in migration-014.test.ts), and the data it becomes. */
const ROWS: [state: string, reason: string | null, rollbackOk: number | null, unconfirmed: number, ending: Ending][] = [
  ['completed', null, 1, 0, { kind: 'completed' }],
  [
    'reverted',
    'stopped by <@U0ONCALL>: incident: reverted in 80 ms',
    1,
    0,
    { kind: 'stopped', by: 'U0ONCALL', note: 'incident', revert: 'reverted', told: 'stopped by <@U0ONCALL>: incident' },
  ],
  [
    'failed',
    'stopped by console: revert FAILED on web-1: exit 3 — the fault may still be in place.',
    0,
    0,
    { kind: 'stopped', by: 'console', note: '', revert: 'failed', told: 'stopped by console' },
  ],
  [
    'reverted',
    'health check failed: api: HTTP 500: reverted in 1s',
    1,
    0,
    { kind: 'health', failing: 'api: HTTP 500', revert: 'reverted', told: 'health check failed: api: HTTP 500' },
  ],
  [
    'reverted',
    'steady state deviated: svc: exit 1: reverted in 2s',
    1,
    0,
    { kind: 'deviation', failing: 'svc: exit 1', revert: 'reverted', told: 'steady state deviated: svc: exit 1' },
  ],
  [
    'reverted',
    'could not hear `stop` for 35s (Socket Mode disconnected): reverted in 1s',
    1,
    0,
    {
      kind: 'deaf',
      forMs: null,
      why: 'could not hear `stop` for 35s (Socket Mode disconnected)',
      revert: 'reverted',
      told: 'could not hear `stop` for 35s (Socket Mode disconnected)',
    },
  ],
  [
    'reverted',
    'received SIGTERM: reverted in 40 ms',
    1,
    0,
    { kind: 'shutdown', signal: 'SIGTERM', revert: 'reverted', told: 'received SIGTERM' },
  ],
  [
    'failed',
    'web-1 unreachable (timed out); its on-host timer kills the attack — not confirmed',
    null,
    1,
    {
      kind: 'unconfirmed',
      end: { kind: 'told', text: 'web-1 unreachable (timed out); its on-host timer kills the attack — not confirmed' },
    },
  ],
  [
    'cancelled',
    'cancelled before it touched the host: stopped by console',
    null,
    0,
    { kind: 'cancelled', by: null, refusal: { kind: 'told', code: 'cancelled', text: 'stopped by console' } },
  ],
  [
    'failed',
    'could not start: web-1: connection refused',
    null,
    0,
    { kind: 'start-failed', failures: [], told: 'could not start: web-1: connection refused' },
  ],
  [
    'failed',
    'pre-flight: web-1: missing command stress-ng',
    null,
    0,
    {
      kind: 'refused',
      refusal: { kind: 'told', code: 'preflight', text: 'pre-flight: web-1: missing command stress-ng' },
    },
  ],
  [
    'failed',
    'the announcement could not be posted (channel_not_found); no announcement, no attack',
    null,
    0,
    {
      kind: 'refused',
      refusal: {
        kind: 'told',
        code: 'announce',
        text: 'the announcement could not be posted (channel_not_found); no announcement, no attack',
      },
    },
  ],
  [
    'failed',
    'cannot record the attack: disk I/O error',
    null,
    0,
    { kind: 'refused', refusal: { kind: 'told', code: 'store-error', text: 'cannot record the attack: disk I/O error' } },
  ],
  [
    'orphaned',
    'no ending was recorded (last recorded: aborting; the bot stopped, or could not write, before it knew how the attack ended); recovery: reverted in 9 ms',
    1,
    0,
    { kind: 'orphaned', was: 'aborting', revert: 'reverted' },
  ],
  [
    'orphaned',
    'checked 12:00 at the next contact: nothing of it was left and its rollback ran',
    1,
    0,
    { kind: 'orphaned', was: 'running', revert: 'reverted' },
  ],
  [
    'failed',
    'the rollback failed — the fault may still be in place on web-1.',
    0,
    0,
    { kind: 'rollback-failed', end: { kind: 'told', text: 'the rollback failed — the fault may still be in place on web-1.' } },
  ],
  [
    'failed',
    'web-1 reverted: stopped; web-2 failed: something new',
    null,
    0,
    { kind: 'legacy', text: 'web-1 reverted: stopped; web-2 failed: something new' },
  ],
];

/** Stops and starts written before `action` was kept (011), and the action they are given. */
const AUDIT: [command: string, outcome: string, detail: string, action: string | null][] = [
  ['stop', 'ok', 'Halted by <@U1>.', 'halted'],
  ['stop', 'error', 'Halted in memory only: the database refused the write.', 'halted'],
  ['start', 'ok', 'Resumed by <@U1>.', 'resumed'],
  ['start', 'ok', 'Not halted: the scheduler is already running.', 'none'],
  ['start', 'refused', 'Sorry, only admins may `start`.', 'none'],
  ['status', 'ok', 'Running.', null],
];

describe('migration 015 (the data of each ending)', () => {
  it('turns every reason sentence written before it into its ending with data, keeping its sentence', () => {
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
      const audit = db.prepare(
        `INSERT INTO audit (at, actor, transport, command, text, outcome, detail) VALUES (?, 'U1', 'slack', ?, ?, ?, ?)`,
      );
      for (const [i, [command, outcome, detail]] of AUDIT.entries()) audit.run(10 + i, command, command, outcome, detail);
      expect(migrate(db, MIGRATIONS)).toMatchObject({ from: 13 });
    } finally {
      db.close();
    }
    const store = new SqliteStore({ file, migrationsDir: MIGRATIONS });
    try {
      // The halts of audit rows from before actions were kept are read from the action alone now.
      expect(store.auditBetween(0, 100).map((a) => a.action ?? null)).toEqual(AUDIT.map(([, , , action]) => action));
      ROWS.forEach(([, reason, , , ending], i) => {
        const record = store.getAttack(String(i + 1));
        expect([record?.reason ?? null, record?.ending]).toEqual([reason, ending]);
        // Each converted ending renders, from its data alone.
        const text = endingText(record?.ending as Ending, 'UTC');
        expect(text).not.toMatch(/undefined|null|\[object/);
        expect(text.trim()).not.toBe('');
        // A refused or cancelled one (its refusal kept as words, `told`) says what it said then.
        if (ending.kind === 'refused' || ending.kind === 'cancelled') expect(text).toBe(reason);
      });
    } finally {
      store.close();
    }
  });
});
