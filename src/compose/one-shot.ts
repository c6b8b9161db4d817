import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { backupDatabase } from '../adapters/sqlite/backup.js';
import { sqliteJournal } from '../adapters/sqlite/journal-query.js';
import { SqlitePeople } from '../adapters/sqlite/people.js';
import { SqliteStore, StoreError } from '../adapters/sqlite/sqlite-store.js';
import { exportJournal, parseExportArgs } from '../app/reports/export.js';
import { plural } from '../words/common.js';
import { fail, MIGRATIONS, readConfig, sayMigration, USAGE } from './cli.js';
/** `export --since DATE`: the journal of attacks for audits, read-only (works while the bot runs). */
export async function exportCommand(argv: readonly string[]): Promise<void> {
  const config = readConfig(argv);
  const args = parseExportArgs([...argv], config.timezone);
  if ('error' in args) fail(args.error, 2);
  let store: SqliteStore;
  try {
    store = new SqliteStore({ file: config.database, migrationsDir: MIGRATIONS });
    sayMigration(store, config.database);
  } catch (error) {
    if (error instanceof StoreError) fail(error.message, 1);
    throw error;
  }
  const out = args.out ? createWriteStream(args.out) : process.stdout;
  const nameOf = new SqlitePeople(store.handle).nameOf;
  const { count } = await exportJournal(sqliteJournal(store), { since: args.since, until: args.until, out, nameOf });
  if (args.out) {
    out.end();
    await finished(out);
  }
  store.close();
  process.stderr.write(`chaoscat: exported ${plural(count, 'attack')}${args.out ? ` to ${args.out}` : ''}\n`);
}

/** `backup PATH [--force]`: a consistent copy of the database, read-only on the live file (works while the bot runs). */
export async function backupCommand(argv: readonly string[]): Promise<void> {
  const config = readConfig(argv);
  const words = argv.filter((a, i) => !a.startsWith('-') && argv[i - 1] !== '--config');
  const unknown = argv.filter((a) => a.startsWith('-') && a !== '--force' && a !== '--config' && !a.startsWith('--config='));
  if (unknown.length > 0) fail(`backup: unknown option ${unknown.join(' ')}\n${USAGE}`, 2);
  const dest = words[1];
  if (!dest || words.length > 2)
    fail(`backup: expected one PATH to write the copy to, e.g. chaoscat backup /var/backups/chaoscat.db\n${USAGE}`, 2);
  try {
    const r = await backupDatabase(config.database, dest, { force: argv.includes('--force') });
    process.stdout.write(
      `chaoscat: backed up ${config.database} to ${r.path}: ${r.bytes} bytes, ${plural(r.attacks, 'attack')}, schema version ${r.schemaVersion}, integrity ok\n`,
    );
  } catch (error) {
    if (error instanceof StoreError) fail(`backup failed: ${error.message}`, 1);
    throw error;
  }
}
