import { join } from 'node:path';
import { SqliteArchiveReader } from '../src/adapters/sqlite/archive-reader.js';
import { SqliteStore } from '../src/adapters/sqlite/sqlite-store.js';
import type { ArchiveSite } from '../src/adapters/web/server.js';
import { type ArchiveDeps, createArchive } from '../src/app/reports/archive.js';
import type { HostDef } from '../src/domain/model.js';

export const MIGRATIONS = join(import.meta.dirname, '..', 'migrations');
const TAGS = ['web', 'db', 'cache', 'queue', 'batch', 'edge', 'api', 'search'];

function config(): ArchiveDeps['config'] {
  const hosts: HostDef[] = Array.from({ length: 500 }, (_, i) => ({
    name: `host-${i}`,
    address: '127.0.0.1',
    port: 22,
    tags: [TAGS[i % TAGS.length] as string],
    vars: {},
  }));
  return {
    timezone: 'UTC',
    businessHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '10:00', end: '16:00', holidays: [] },
    dryRun: false,
    hosts,
    attacks: [],
    teams: [],
  };
}

/** The archive as the bot serves it: a read-only connection beside the writer. */
export function site(file: string, now: number): { site: ArchiveSite; reader: SqliteStore; deps: ArchiveDeps } {
  const reader = new SqliteStore({ file, migrationsDir: MIGRATIONS, readOnly: true });
  const deps: ArchiveDeps = {
    store: reader,
    archive: new SqliteArchiveReader(reader.handle),
    clock: { now: () => now },
    config: config(),
  };
  return { site: { archive: createArchive(deps), scrub: (t) => t }, reader, deps };
}
