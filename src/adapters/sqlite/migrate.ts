import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';

const NAME = /^(\d{3})_[a-z0-9_]+\.sql$/;

export interface Migration {
  readonly version: number;
  readonly file: string;
}

export function listMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .map((file) => ({ file, match: NAME.exec(file) }))
    .filter((m) => m.match)
    .map((m) => ({ version: Number(m.match?.[1]), file: join(dir, m.file) }))
    .sort((a, b) => a.version - b.version);
}

/**
 * Applies every migration newer than PRAGMA user_version, all in one transaction: either the
 * database moves to the newest version or it stays as it was. Forward only. `before` runs first,
 * outside the transaction, when there is something to apply (it may copy the database; if it
 * throws, nothing is applied).
 */
export function migrate(
  db: Database.Database,
  dir: string,
  before?: (plan: { from: number; to: number }) => void,
): { from: number; to: number } {
  const from = Number(db.pragma('user_version', { simple: true }));
  const pending = listMigrations(dir).filter((m) => m.version > from);
  const latest = listMigrations(dir).at(-1)?.version ?? 0;
  if (from > latest) {
    throw Object.assign(
      new Error(`database schema version ${from} is newer than this ChaosCat knows (${latest}); upgrade ChaosCat`),
      { code: 'STORE_SCHEMA_NEWER' },
    );
  }
  if (pending.length === 0) return { from, to: from };
  before?.({ from, to: pending.at(-1)?.version ?? from });
  db.transaction(() => {
    for (const m of pending) {
      db.exec(readFileSync(m.file, 'utf8'));
      db.pragma(`user_version = ${m.version}`);
    }
  })();
  return { from, to: pending.at(-1)?.version ?? from };
}
