import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { backupDatabase } from '../src/adapters/sqlite/backup.js';
import { sqliteJournalPruner } from '../src/adapters/sqlite/journal-pruner.js';
import { SqliteStore } from '../src/adapters/sqlite/sqlite-store.js';
import { time } from './core.js';
import { type BenchRow, quantile, row } from './table.js';

const MIGRATIONS = join(import.meta.dirname, '..', 'migrations');
const DAY = 86_400_000;
const TEAMS = 10;
const DAYS = 60;

/**
 * Retention and backup on a journal of 10 teams × 60 days of minute ticks and health samples
 * (864k rows each): how long one 500-row prune batch holds the write lock, beside one tick's insert
 * (what a batch can delay); and `chaoscat backup` of that file beside a plain file copy.
 */
export async function benchRetention(dir: string): Promise<BenchRow[]> {
  const file = join(dir, 'retention.db');
  const store = new SqliteStore({ file, migrationsDir: MIGRATIONS });
  const now = Date.parse('2026-11-25T12:00:00Z');
  const db = store.handle;
  const tick = db.prepare(`INSERT INTO ticks (team, at, outcome, code, reason) VALUES (?, ?, 'skipped', 'closed', 'x')`);
  const health = db.prepare(`INSERT INTO health_checks (team, at, healthy, results) VALUES (?, ?, 1, '[]')`);
  db.transaction(() => {
    for (let at = now - DAYS * DAY; at < now; at += 60_000) {
      for (let t = 0; t < TEAMS; t++) {
        tick.run(`team-${t}`, at);
        health.run(`team-${t}`, at);
      }
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  try {
    let at = now;
    const insert = time(() => store.recordTick(at++, { kind: 'skipped', code: 'closed', reason: 'x' }), 500);
    const base = { name: 'one tick insert', median: quantile(insert, 0.5), p99: quantile(insert, 0.99) };
    const pruner = sqliteJournalPruner(db);
    const before = now - 30 * DAY;
    const batches = time(() => pruner.prune('ticks', before, 500), 400);
    const rows = [row('prune batch: 500 ticks (864k-row table)', 'ms', batches, { baseline: base })];

    const copies: number[] = [];
    const backups: number[] = [];
    for (let i = 0; i < 5; i++) {
      let t = performance.now();
      copyFileSync(file, join(dir, `copy-${i}.db`));
      copies.push(performance.now() - t);
      t = performance.now();
      await backupDatabase(file, join(dir, `backup-${i}.db`));
      backups.push(performance.now() - t);
    }
    const copyBase = { name: 'cp of the same file (not a backup)', median: quantile(copies, 0.5), p99: quantile(copies, 0.99) };
    rows.push(row('chaoscat backup, 1.7M journal rows', 'ms', backups, { baseline: copyBase, note: 'incl. integrity_check' }));
    return rows;
  } finally {
    store.close();
  }
}
