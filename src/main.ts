import { createWriteStream, mkdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { dirname } from 'node:path';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { ConsoleTransport } from './adapters/console/console-transport.js';
import { DryRunExecutor } from './adapters/dry-run/dry-run-executor.js';
import { teamGates } from './adapters/health/index.js';
import { createInventorySources } from './adapters/inventory/index.js';
import { MetricsError } from './adapters/metrics/metrics-server.js';
import { chooseTransport, type TransportChoice } from './adapters/slack/env.js';
import { SlackTransportError } from './adapters/slack/errors.js';
import { backupDatabase } from './adapters/sqlite/backup.js';
import { InstanceLock, InstanceLockError } from './adapters/sqlite/instance-lock.js';
import { sqliteJournalPruner } from './adapters/sqlite/journal-pruner.js';
import { sqliteJournal } from './adapters/sqlite/journal-query.js';
import { SqliteStore, StoreError } from './adapters/sqlite/sqlite-store.js';
import { storeWritable } from './adapters/sqlite/writable.js';
import { systemClock } from './adapters/system/clock.js';
import { CronTicker } from './adapters/system/cron-ticker.js';
import { createLogger } from './adapters/system/logger.js';
import { cryptoRandom } from './adapters/system/random.js';
import { systemTimers } from './adapters/system/timers.js';
import { configSummary } from './app/config-summary.js';
import { deferred } from './app/deferred.js';
import { exportJournal, parseExportArgs } from './app/export.js';
import { createFleet, type Fleet } from './app/fleet.js';
import { InventoryDirectory } from './app/inventory.js';
import { sourceLine } from './app/inventory-text.js';
import { buildReport, createReportCommand, type ReportDeps } from './app/report.js';
import { type Retention, startRetention } from './app/retention.js';
import type { Config } from './config/config.js';
import { ConfigError } from './config/errors.js';
import { configPathFrom, loadConfig } from './config/load.js';
import { parseCommand } from './domain/command-parser.js';
import { readiness } from './domain/readiness.js';
import type { Timeline } from './domain/report.js';
import { teamScope } from './domain/team-scope.js';
import type { Announcer, ChatTransport, Inbound, Reply } from './ports/chat.js';
import type { Executor } from './ports/executor.js';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));
const USAGE = `Usage: chaoscat [run|check-config|export|backup] [--config PATH]
  run [--console]
                 start the bot (default): Slack when SLACK_ variables are set (docs/slack.md), the
                 console chat when none is set or with --console; a partly set Slack environment exits 2
  check-config   validate the config and the attack catalogue, ask every inventory source once, print a summary
  export --since DATE [--until DATE] [--out FILE]
                 write the attack journal as JSON Lines (one full record per attack), for audits
  backup PATH [--force]
                 copy the database to PATH with SQLite's online backup (safe while the bot runs);
                 an existing PATH is refused unless --force
Config: --config PATH, else $CHAOSCAT_CONFIG, else config/chaoscat.yaml`;

function fail(message: string, code: number): never {
  process.stderr.write(`chaoscat: ${message}\n`);
  process.exit(code);
}

function readConfig(argv: readonly string[]): Config {
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

/** The bot's own addresses: network attacks must never cut the bot off from a host. */
function ownAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i) => i !== undefined && !i.internal)
    .map((i) => (i as { address: string }).address);
}

// Heavy adapters (ssh2, Bolt, echarts, prom-client) load only when this run uses them: start-up time and memory.
async function buildExecutor(config: Config, logger: Logger): Promise<Executor> {
  if (config.dryRun) return new DryRunExecutor(systemClock, systemTimers);
  const { createSshExecutor } = await import('./adapters/ssh/index.js');
  // The bot's addresses reach scripts through each job's environment (domain attackEnv).
  return createSshExecutor({ settings: config.ssh, logger, clock: systemClock });
}

async function renderChart(timeline: Timeline): Promise<Uint8Array> {
  const { renderTimelinePng } = await import('./adapters/chart/timeline-chart.js');
  return renderTimelinePng(timeline);
}

function consoleTransport(
  config: Config,
  handle: (i: Inbound) => Promise<Reply>,
  onEnd: () => void,
  notes: readonly string[],
): ChatTransport {
  return new ConsoleTransport({
    notes,
    input: process.stdin,
    output: process.stdout,
    timezone: config.timezone,
    dryRun: config.dryRun,
    handle,
    onEnd,
    attachmentsDir: config.report.directory,
  });
}

async function slackTransport(config: Config, logger: Logger, handle: (i: Inbound) => Promise<Reply>): Promise<ChatTransport> {
  const { startSlackTransport } = await import('./adapters/slack/slack-transport.js');
  const { SlackTransportError } = await import('./adapters/slack/errors.js');
  try {
    const slack = await startSlackTransport({
      env: process.env,
      slack: config.slack,
      teamChannels: config.teams.flatMap((t) => (t.implicit || !t.channel ? [] : [t.channel])),
      timezone: config.timezone,
      dryRun: config.dryRun,
      logger,
      handle,
    });
    process.stderr.write(
      `chaoscat: connected to Slack (${slack.mode === 'socket' ? 'Socket Mode' : `HTTP on port ${slack.port}`})\n`,
    );
    return slack;
  } catch (error) {
    if (error instanceof SlackTransportError) fail(error.message, error.code === 'SLACK_CONFIG' ? 2 : 1);
    throw error;
  }
}

/**
 * The read-only report archive (web.port; 0 = off), on its own read-only connection. It is not
 * needed for safety: when it cannot start (the port is taken) the bot runs on without it and says so.
 */
async function startArchive(config: Config, logger: Logger): Promise<{ line: string; close(): Promise<void> } | null> {
  if (config.web.port === 0) return null;
  const { serveArchive } = await import('./adapters/web/server.js');
  const { createScrubber } = await import('./adapters/web/scrub.js');
  const { SqliteArchiveReader } = await import('./adapters/sqlite/archive-reader.js');
  let reader: SqliteStore | undefined;
  try {
    reader = new SqliteStore({ file: config.database, migrationsDir: MIGRATIONS, readOnly: true });
    const providers = [...config.health, ...Object.values(config.steadyState).flat()];
    const site = {
      deps: { store: reader, archive: new SqliteArchiveReader(reader.handle), clock: systemClock, config },
      scrub: createScrubber(providers, process.env),
      logger,
    };
    const server = await serveArchive(site, config.web.port, config.web.host);
    const store = reader;
    return {
      line: `Report archive (read-only): ${server.url}`,
      close: async () => {
        await server.close();
        store.close();
      },
    };
  } catch (error) {
    reader?.close();
    logger.warn({ err: error }, 'report archive not started; the bot runs without it');
    return {
      line: `Report archive NOT started — ${(error as Error).message}. The bot runs without it; set web.port to a free port, or 0 for no archive.`,
      close: async () => {},
    };
  }
}

/** A migration of a database that held a schema is said on stderr, with where its copy was saved. */
function sayMigration(store: SqliteStore, file: string): void {
  const m = store.migration;
  if (!m || m.from === 0 || m.from === m.to) return;
  const copy = m.backup ? `; the database as it was is saved in ${m.backup}` : '';
  process.stderr.write(`chaoscat: database ${file} migrated from schema version ${m.from} to ${m.to}${copy}\n`);
}

function openStore(config: Config): { store: SqliteStore; lock: InstanceLock } {
  let lock: InstanceLock;
  try {
    mkdirSync(dirname(config.database), { recursive: true });
    lock = InstanceLock.acquire(config.database);
  } catch (error) {
    if (error instanceof InstanceLockError) fail(error.message, 1);
    fail(`cannot lock the database ${config.database}: ${(error as Error).message}`, 1);
  }
  try {
    const store = new SqliteStore({ file: config.database, migrationsDir: MIGRATIONS });
    sayMigration(store, config.database);
    return { store, lock };
  } catch (error) {
    lock.release();
    if (error instanceof StoreError) fail(error.message, 1);
    throw error;
  }
}

/** Ticks and health samples older than `retention:` deleted at start and hourly, in small batches. */
function startPruning(config: Config, store: SqliteStore, logger: Logger): Retention {
  const pruner = sqliteJournalPruner(store.handle);
  return startRetention({ pruner, clock: systemClock, timers: systemTimers, logger, settings: config.retention });
}

/** The static hosts plus the inventory sources, refreshed on the system timers. */
function hostDirectory(config: Config, logger: Logger): InventoryDirectory {
  const sources = createInventorySources(config);
  return new InventoryDirectory({ statics: config.hosts, sources, clock: systemClock, timers: systemTimers, logger });
}

/** A source that cannot be read at start is not fatal: the bot attacks nothing from it and says why. */
function sayFailingSources(directory: InventoryDirectory, config: Config): void {
  for (const s of directory.sources()) {
    if (s.error !== null) process.stderr.write(`chaoscat: inventory ${sourceLine(s, systemClock.now(), config.timezone)}\n`);
  }
}

/** Slack or the console (exit 2 naming the missing variable when the Slack variables are partly set). */
function transportChoice(argv: readonly string[]): TransportChoice {
  try {
    return chooseTransport(process.env, argv.includes('--console'));
  } catch (error) {
    if (error instanceof SlackTransportError) fail(error.message, 2);
    throw error;
  }
}

async function run(config: Config, logger: Logger, choice: TransportChoice): Promise<void> {
  const { store, lock } = openStore(config);
  const retention = startPruning(config, store, logger);
  const hosts = hostDirectory(config, logger);
  // Asked while the chat connects; orphan recovery waits for it (an orphan's host may be an inventory host).
  const hostsAsked = hosts.start();
  const botAddresses = ownAddresses();
  const executor = await buildExecutor(config, logger);
  // Global providers are built once and shared: teams checking on the same minute share one probe.
  const gates = teamGates(config, systemClock, logger);
  let fleet: Fleet | null = null;
  let shuttingDown = false;
  // Commands wait until attacks orphaned by a previous process are reverted (a frozen host can
  // take minutes), except `stop` (it latches at once, so nothing starts once recovery is done) and
  // `status` (which says that recovery is still running).
  const ready = deferred();
  const wired = deferred();
  const teamNames = config.teams.map((t) => t.name);
  const handle = async (inbound: Inbound) => {
    const kind = parseCommand(teamScope(inbound.text, teamNames, undefined).text).kind;
    await (kind === 'stop' || kind === 'status' ? wired : ready).promise;
    return (fleet as Fleet).handle(inbound);
  };
  const multi = !config.teams[0]?.implicit;
  const teamStores = new Map(config.teams.map((t) => [t.name, multi ? store.forTeam(t.name) : store]));
  const reportDeps: ReportDeps = { store, clock: systemClock, config, renderChart, logger };
  const archive = await startArchive(config, logger);
  const transport =
    choice.kind === 'slack'
      ? await slackTransport(config, logger, handle)
      : consoleTransport(config, handle, () => void shutdown('console input ended', 0), archive ? [archive.line] : []);
  // /readyz and chaoscat_hearing: read at each request, so they follow the Slack socket and shutdown.
  const probes = {
    hearing: () => transport.hearing(),
    readiness: () => readiness({ store: storeWritable(store.handle), hearing: transport.hearing(), shuttingDown }),
  };
  // prom-client loads only when metrics are on: start-up time and idle memory (issue 14's bench).
  const metrics =
    config.metrics.port !== undefined
      ? (await import('./adapters/metrics/metrics.js')).createMetrics({
          store,
          teams: [...teamStores.values()],
          clock: systemClock,
          config,
          logger,
          probes,
        })
      : null;
  if (archive && choice.kind === 'slack') process.stderr.write(`chaoscat: ${archive.line}\n`);
  const teamReports = new Map<string, { deps: ReportDeps; announcer: Announcer }>();

  fleet = createFleet({
    config,
    hosts,
    store,
    executor,
    health: gates.gate(config),
    announcer: transport,
    ears: transport,
    authorizer: transport,
    globalAuthorizer: transport,
    clock: systemClock,
    timers: systemTimers,
    random: cryptoRandom,
    logger,
    botAddresses,
    report: createReportCommand(reportDeps),
    steadyState: gates.steadyState(config),
    ...(metrics ? { observer: metrics.observer } : {}),
    wire: (team, view) => {
      const teamStore = teamStores.get(team.name) ?? store;
      const chat = multi ? transport.forTeam({ ...team, label: team.name, timezone: view.timezone }) : transport;
      const deps: ReportDeps = { ...reportDeps, store: teamStore, config: view };
      teamReports.set(team.name, { deps, announcer: chat });
      return {
        store: teamStore,
        health: gates.gate(view),
        steadyState: gates.steadyState(view),
        chat,
        report: createReportCommand(deps),
        ...(metrics ? { observer: metrics.observerFor(team.name) } : {}),
      };
    },
  });
  wired.resolve();
  // One cron task per distinct tick and zone: teams that tick together are written together.
  const groups = new Map<string, { tick: string; timezone: string; teams: string[] }>();
  for (const t of fleet.teams) {
    const { tick, timezone } = { tick: t.bot.context.config.schedule.tick, timezone: t.bot.context.config.timezone };
    const key = `${tick}\n${timezone}`;
    const group = groups.get(key) ?? { tick, timezone, teams: [] };
    group.teams.push(t.team.name);
    groups.set(key, group);
  }
  // The fleet keeps a slow team from overlapping itself; the cron task never waits for a team.
  const tickers = [...groups.values()].map(
    (g) =>
      new CronTicker(g.tick, g.timezone, async () => {
        void (fleet as Fleet).tick(g.teams);
      }),
  );
  const reportTickers = fleet.teams
    .map((t) => {
      const r = teamReports.get(t.team.name);
      return r ? dailyReport(t.bot.context.config, r.deps, r.announcer, logger) : null;
    })
    .filter((t): t is CronTicker => t !== null);
  let metricsServer: { port: number; close(): Promise<void> } | null = null;
  if (metrics && config.metrics.port !== undefined) {
    try {
      metricsServer = await metrics.start(config.metrics.port, config.metrics.host);
    } catch (error) {
      if (error instanceof MetricsError) fail(error.message, 1);
      throw error;
    }
  }

  async function shutdown(reason: string, code: number): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ reason }, 'shutting down');
    await Promise.all([...tickers, ...reportTickers].map((t) => t.stop()));
    hosts.stop();
    retention.stop();
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), config.schedule.shutdownTimeout).unref());
    const result = await Promise.race([(fleet as Fleet).shutdown(reason), timeout]);
    if (result === 'timeout')
      logger.error(
        'shutdown timed out: what is left is killed and rolled back by its on-host timer at its deadline, and checked as orphaned at the next start',
      );
    await transport.stop().catch(() => {});
    await metricsServer?.close().catch(() => {});
    await archive?.close().catch(() => {});
    await executor.close();
    store.close();
    lock.release();
    process.exit(code);
  }
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      logger.warn({ signal }, 'second signal: exiting now; host-side timers end what is left');
      process.exit(130);
    }
    void shutdown(`received ${signal}`, 0);
  };
  // Each of them reverts what is in flight before the process exits (SIGHUP: the terminal went away).
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  await transport.start();
  await hostsAsked;
  sayFailingSources(hosts, config);
  await fleet.recover();
  ready.resolve();
  for (const t of tickers) t.start();
  for (const t of reportTickers) t.start();
  logger.info(
    { dryRun: config.dryRun, teams: config.teams.map((t) => t.name), hosts: hosts.all().length, attacks: config.attacks.length },
    'ready',
  );
}

/** The daily report at report.time, posted where announcements go. */
function dailyReport(config: Config, deps: ReportDeps, announcer: Announcer, logger: Logger): CronTicker | null {
  if (!config.report.time) return null;
  const [hh, mm] = config.report.time.split(':');
  return new CronTicker(`${Number(mm)} ${Number(hh)} * * *`, config.timezone, async () => {
    try {
      await announcer.announce({ kind: 'report', reply: await buildReport(deps) });
    } catch (error) {
      logger.error({ err: error }, 'daily report failed');
    }
  });
}

/** `export --since DATE`: the journal of attacks for audits, read-only (works while the bot runs). */
async function exportCommand(argv: readonly string[]): Promise<void> {
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
  const { count } = await exportJournal(sqliteJournal(store), { since: args.since, until: args.until, out });
  if (args.out) {
    out.end();
    await finished(out);
  }
  store.close();
  process.stderr.write(`chaoscat: exported ${count} attacks${args.out ? ` to ${args.out}` : ''}\n`);
}

/** `backup PATH [--force]`: a consistent copy of the database, read-only on the live file (works while the bot runs). */
async function backupCommand(argv: readonly string[]): Promise<void> {
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
      `chaoscat: backed up ${config.database} to ${r.path}: ${r.bytes} bytes, ${r.attacks} attack${r.attacks === 1 ? '' : 's'}, schema version ${r.schemaVersion}, integrity ok\n`,
    );
  } catch (error) {
    if (error instanceof StoreError) fail(`backup failed: ${error.message}`, 1);
    throw error;
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const command = argv.find((a, i) => !a.startsWith('-') && argv[i - 1] !== '--config') ?? 'run';
  // Decided before anything is opened: a half-set Slack environment exits 2 having touched nothing.
  const choice = command === 'run' ? transportChoice(argv) : null;
  // The console shares the terminal with the chat: warnings only. As a Slack daemon: info.
  const level = process.env.LOG_LEVEL || (choice?.kind === 'slack' ? 'info' : 'warn');
  const logger = createLogger({ level, file: process.env.CHAOSCAT_LOG_FILE });
  switch (command) {
    case 'check-config': {
      const config = readConfig(argv);
      const hosts = hostDirectory(config, logger);
      await hosts.refreshAll();
      process.stdout.write(`${configSummary(config, systemClock.now(), hosts)}\n`);
      const failing = hosts.sources().filter((s) => s.error !== null);
      if (failing.length > 0) fail(`inventory source(s) failed:\n  ${failing.map((s) => `${s.id}: ${s.error}`).join('\n  ')}`, 2);
      return;
    }
    case 'run':
      return run(readConfig(argv), logger, choice ?? transportChoice(argv));
    case 'export':
      return exportCommand(argv);
    case 'backup':
      return backupCommand(argv);
    default:
      fail(`unknown command "${command}"\n${USAGE}`, 2);
  }
}

main().catch((error) => {
  process.stderr.write(`chaoscat: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
