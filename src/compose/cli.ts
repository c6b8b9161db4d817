import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { chooseTransport, type TransportChoice } from '../adapters/slack/env.js';
import { SlackTransportError } from '../adapters/slack/errors.js';
import type { SqliteStore } from '../adapters/sqlite/sqlite-store.js';
import type { Config } from '../config/config.js';
import { ConfigError } from '../config/errors.js';
import { configPathFrom, loadConfig } from '../config/load.js';

export const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));

export const USAGE = `Usage: chaoscat [run|check-config|export|backup|hosts] [--config PATH]
  run [--console]
                 start the bot (default): Slack when SLACK_ variables are set (docs/slack.md), the
                 console chat when none is set or with --console; a partly set Slack environment exits 2
  check-config [--live]
                 validate the config and the attack catalogue, ask every inventory source once, print a summary;
                 --live also checks the real world: keys and known_hosts, each host's login and pre-flight,
                 Slack's token, channels and admins, every health source, every attack's targets
  export --since DATE [--until DATE] [--out FILE]
                 write the attack journal as JSON Lines (one full record per attack), for audits
  backup PATH [--force]
                 copy the database to PATH with SQLite's online backup (safe while the bot runs);
                 an existing PATH is refused unless --force
  hosts check|install|bundle
                 the attack runner installed on each host (chaoscat hosts --help, docs/host-runner.md)
Config: --config PATH, else $CHAOSCAT_CONFIG, else config/chaoscat.yaml`;

let fatalLog: Logger | null = null;

/** From now on, fail() writes a JSON record (a daemon's stderr holds JSON only). */
export function failThrough(logger: Logger): void {
  fatalLog = logger;
}

export function fail(message: string, code: number): never {
  if (fatalLog) fatalLog.fatal({ exitCode: code }, message);
  else process.stderr.write(`chaoscat: ${message}\n`);
  process.exit(code);
}

export function readConfig(argv: readonly string[]): Config {
  const path = configPathFrom(argv, process.env);
  try {
    return loadConfig(path);
  } catch (error) {
    if (error instanceof ConfigError) {
      fail(`invalid configuration — fix the following and try again:\n  ${error.problems.join('\n  ')}`, 2);
    }
    throw error;
  }
}

/** Slack or the console (exit 2 naming the missing variable when the Slack variables are partly set). */
export function transportChoice(argv: readonly string[]): TransportChoice {
  try {
    return chooseTransport(process.env, argv.includes('--console'));
  } catch (error) {
    if (error instanceof SlackTransportError) fail(error.message, 2);
    throw error;
  }
}

/** What a migration of a database that held a schema did, with where its copy was saved; null when none ran. */
export function migrationLine(store: SqliteStore, file: string): string | null {
  const m = store.migration;
  if (!m || m.from === 0 || m.from === m.to) return null;
  const copy = m.backup ? `; the database as it was is saved in ${m.backup}` : '';
  return `database ${file} migrated from schema version ${m.from} to ${m.to}${copy}`;
}

/** A one-shot command says a migration on stderr. */
export function sayMigration(store: SqliteStore, file: string): void {
  const line = migrationLine(store, file);
  if (line) process.stderr.write(`chaoscat: ${line}\n`);
}
