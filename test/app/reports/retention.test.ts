import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { sqliteJournalPruner } from '../../../src/adapters/sqlite/journal-pruner.js';
import { SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import { type RetentionSettings, startRetention } from '../../../src/app/reports/retention.js';
import type { JournalPruner } from '../../../src/ports/journal-pruner.js';
import { deferCleanup, tempDir } from '../../support/cleanup.js';
import { FixedClock, ManualTimers } from '../../support/fakes.js';
import { MIGRATIONS } from '../../support/test-config.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-25T12:00:00Z');
const THIRTY_DAYS: RetentionSettings = { ticks: 30 * DAY, health: 30 * DAY };

function setup() {
  const store = new SqliteStore({ file: join(tempDir('chaoscat-retention-'), 'chaoscat.db'), migrationsDir: MIGRATIONS });
  deferCleanup(() => store.close());
  const clock = new FixedClock(NOW);
  const timers = new ManualTimers(clock);
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  const count = (table: string) => (store.handle.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const tick = (at: number) => store.recordTick(at, { kind: 'skipped', code: 'closed', reason: 'outside business hours' });
  const health = (at: number) => store.recordHealth({ healthy: true, checkedAt: at, results: [] });
  return { store, clock, timers, lines, logger, count, tick, health, pruner: sqliteJournalPruner(store.handle) };
}

describe('retention of ticks and health samples', () => {
  it('at start, deletes ticks and health samples older than their retention and keeps the rest', async () => {
    const t = setup();
    for (const age of [40 * DAY, 30 * DAY + 1, 30 * DAY - 1, HOUR]) {
      t.tick(NOW - age);
      t.health(NOW - age);
    }
    const r = startRetention({ ...t, settings: THIRTY_DAYS });
    deferCleanup(() => r.stop());
    await t.timers.advance(0);
    expect(t.store.ticksBetween(0, NOW + 1).map((x) => NOW - x.at)).toEqual([30 * DAY - 1, HOUR]);
    expect(t.store.healthBetween(0, NOW + 1).map((x) => NOW - x.checkedAt)).toEqual([30 * DAY - 1, HOUR]);
    expect(t.lines.join('')).toMatch(/"pruned":\{"ticks":2,"health":2\}.*old ticks and health samples deleted/);
  });

  it('never deletes attacks, their probe samples or the audit log, however old', async () => {
    const t = setup();
    const id = t.store.insertAttack({
      attack: 'cpu-burn',
      host: 'web-1',
      trigger: { kind: 'schedule' },
      dryRun: true,
      createdAt: 1,
      deadlineAt: 2,
      durationMs: 1,
    });
    t.store.recordSample(id, { phase: 'before', at: 1, healthy: true, results: [] });
    t.store.audit({ at: 1, actor: 'console', transport: 'console', command: 'stop', text: 'stop', outcome: 'ok', detail: '' });
    t.tick(1);
    const r = startRetention({ ...t, settings: THIRTY_DAYS });
    deferCleanup(() => r.stop());
    await r.round();
    expect(t.count('ticks')).toBe(0);
    expect([t.count('attacks'), t.count('probe_samples'), t.count('audit')]).toEqual([1, 1, 1]);
  });

  it('deletes a backlog in batches and lets other work run between them', async () => {
    const t = setup();
    for (let i = 0; i < 25; i++) t.tick(NOW - 40 * DAY + i);
    const r = startRetention({ ...t, settings: { ticks: 30 * DAY, health: null }, batch: 10 });
    deferCleanup(() => r.stop());
    // The first batch ran; the next waits for its turn on the event loop (a timer of 0 ms).
    expect(t.count('ticks')).toBe(15);
    await t.timers.advance(0);
    expect(t.count('ticks')).toBe(0);
  });

  it('runs again every hour, not before', async () => {
    const t = setup();
    const r = startRetention({ ...t, settings: THIRTY_DAYS });
    deferCleanup(() => r.stop());
    await t.timers.advance(0);
    t.tick(NOW - 31 * DAY);
    await t.timers.advance(HOUR - 1);
    expect(t.count('ticks')).toBe(1);
    await t.timers.advance(1);
    expect(t.count('ticks')).toBe(0);
  });

  it('`off` keeps that table forever', async () => {
    const t = setup();
    t.tick(NOW - 400 * DAY);
    t.health(NOW - 400 * DAY);
    const r = startRetention({ ...t, settings: { ticks: null, health: 30 * DAY } });
    deferCleanup(() => r.stop());
    await r.round();
    expect([t.count('ticks'), t.count('health_checks')]).toEqual([1, 0]);
  });

  it('after stop, no further batch or round runs', async () => {
    const t = setup();
    for (let i = 0; i < 25; i++) t.tick(NOW - 40 * DAY + i);
    const r = startRetention({ ...t, settings: THIRTY_DAYS, batch: 10 });
    r.stop();
    await t.timers.advance(2 * HOUR);
    expect(t.count('ticks')).toBe(15);
    expect(t.timers.pending).toBe(0);
  });

  it('a failed round is logged and the next round tries again', async () => {
    const t = setup();
    t.tick(NOW - 40 * DAY);
    let fail = true;
    const flaky: JournalPruner = {
      prune: (table, before, limit) => {
        if (fail) throw new Error('database is locked');
        return t.pruner.prune(table, before, limit);
      },
    };
    const r = startRetention({ ...t, pruner: flaky, settings: THIRTY_DAYS });
    deferCleanup(() => r.stop());
    await t.timers.advance(0);
    expect(t.count('ticks')).toBe(1);
    expect(t.lines.join('')).toMatch(/"level":40.*database is locked.*pruning failed; the next round tries again/);
    fail = false;
    await t.timers.advance(HOUR);
    expect(t.count('ticks')).toBe(0);
  });
});
