import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { backupDatabase } from '../../../src/adapters/sqlite/backup.js';
import { SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import { deferCleanup, tempDir } from '../../support/cleanup.js';
import { MIGRATIONS } from '../../support/test-config.js';

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A live store whose last attacks are still only in the -wal file (no checkpoint yet). */
function liveStore(): { dir: string; file: string; store: SqliteStore } {
  const dir = tempDir('chaoscat-backup-');
  const file = join(dir, 'chaoscat.db');
  const store = new SqliteStore({ file, migrationsDir: MIGRATIONS });
  deferCleanup(() => store.close());
  store.handle.pragma('wal_autocheckpoint = 0');
  for (let i = 0; i < 3; i++) {
    store.insertAttack({
      attack: 'cpu-burn',
      host: `web-${i}`,
      trigger: { kind: 'schedule' },
      dryRun: true,
      createdAt: i,
      deadlineAt: i + 60_000,
      durationMs: 60_000,
    });
  }
  return { dir, file, store };
}

describe('backupDatabase', () => {
  it('holds the writes still in the WAL, which a copy of the file misses', async () => {
    const { dir, file } = liveStore();
    copyFileSync(file, join(dir, 'cp.db'));
    const copied = new Database(join(dir, 'cp.db'), { readonly: true });
    const inCopy = (() => {
      try {
        return (copied.prepare('SELECT count(*) AS n FROM attacks').get() as { n: number }).n;
      } catch {
        return 0;
      } finally {
        copied.close();
      }
    })();
    expect(inCopy).toBeLessThan(3);
    const result = await backupDatabase(file, join(dir, 'backup.db'));
    expect(result).toMatchObject({ path: join(dir, 'backup.db'), attacks: 3 });
    expect(result.bytes).toBeGreaterThan(0);
  });

  it('never writes to the live database or its WAL', async () => {
    const { dir, file } = liveStore();
    const before = [digest(file), digest(`${file}-wal`)];
    await backupDatabase(file, join(dir, 'backup.db'));
    expect([digest(file), digest(`${file}-wal`)]).toEqual(before);
  });

  it('refuses the database itself as the destination, even with --force', async () => {
    const { file } = liveStore();
    await expect(backupDatabase(file, file, { force: true })).rejects.toThrow(/is the database itself; choose another path/);
  });
});
