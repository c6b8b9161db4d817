import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteArchiveReader } from '../../../src/adapters/sqlite/archive-reader.js';
import { SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import { deferCleanup, tempDir } from '../../support/cleanup.js';
import { MIGRATIONS } from '../../support/test-config.js';

const DAY = { start: Date.parse('2026-03-02T00:00:00Z'), end: Date.parse('2026-03-03T00:00:00Z') };

/** A run over web-1..web-3 (one row per host, the first is the run's) and a one-host attack on db-1. */
function seeded(): SqliteArchiveReader {
  const store = new SqliteStore({ file: join(tempDir(), 'runs.db'), migrationsDir: MIGRATIONS });
  deferCleanup(() => store.close());
  const at = DAY.start + 10 * 3_600_000;
  const base = {
    attack: 'cpu-burn',
    trigger: { kind: 'schedule' } as const,
    dryRun: false,
    deadlineAt: at + 90_000,
    durationMs: 60_000,
  };
  const hosts = ['web-1', 'web-2', 'web-3'];
  const run = store.insertAttack({ ...base, host: 'web-1', createdAt: at, hosts });
  const legs = ['web-2', 'web-3'].map((host) => store.insertAttack({ ...base, host, createdAt: at, runId: run }));
  const single = store.insertAttack({ ...base, host: 'db-1', createdAt: at + 60_000 });
  for (const id of [run, ...legs, single]) {
    store.markRunning(id, at, null);
    store.finishAttack(id, { state: 'failed', endedAt: at + 60_000, rollbackOk: false, unconfirmed: id === legs[1] });
  }
  return new SqliteArchiveReader(store.handle);
}

describe('day cards count a run over several hosts once', () => {
  it('counts the run and the single attack: two attacks, two failed, one host unconfirmed', () => {
    const { counts } = seeded().dayFacts(DAY, {});
    expect([counts.total, counts.failed, counts.rollbackFailed, counts.unconfirmed]).toEqual([2, 2, 2, 1]);
  });

  it('counts the run once under a team or attack filter, and each named host its own row', () => {
    const reader = seeded();
    expect(reader.dayFacts(DAY, { team: 'default' }).counts.total).toBe(2);
    expect(reader.dayFacts(DAY, { attack: 'cpu-burn' }).counts.total).toBe(2);
    expect(reader.dayFacts(DAY, { hosts: ['web-3'] }).counts.total).toBe(1);
    expect(reader.dayFacts(DAY, { hosts: ['web-1', 'web-2', 'web-3'] }).counts.total).toBe(3);
  });
});
