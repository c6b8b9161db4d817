import type { Logger } from 'pino';
import { teamGates } from './adapters/health/index.js';
import type { Metrics, MetricsOptions } from './adapters/metrics/metrics.js';
import { MetricsError } from './adapters/metrics/metrics-server.js';
import type { TransportChoice } from './adapters/slack/env.js';
import { SqliteAnswerLog } from './adapters/sqlite/answer-log.js';
import { SqliteEvidenceLog } from './adapters/sqlite/evidence-log.js';
import { SqlitePeople } from './adapters/sqlite/people.js';
import { storeWritable } from './adapters/sqlite/writable.js';
import { systemClock } from './adapters/system/clock.js';
import type { ReadinessProbe } from './adapters/system/http-probes.js';
import { createLogger } from './adapters/system/logger.js';
import { packageVersion } from './adapters/system/version.js';
import { configSummary } from './app/commands/config-summary.js';
import { overviewOf } from './app/commands/overview.js';
import { deferred } from './app/engine/deferred.js';
import type { ReportDeps } from './app/reports/report.js';
import type { Fleet } from './app/teams/fleet.js';
import { readCli } from './compose/args.js';
import { fail, readConfig, transportChoice, USAGE } from './compose/cli.js';
import { wireFleet } from './compose/fleet-wiring.js';
import { hostsCommand } from './compose/hosts-command.js';
import { type RunLogging, runLogging } from './compose/logging.js';
import { backupCommand, exportCommand } from './compose/one-shot.js';
import {
  buildExecutor,
  consoleTransport,
  hostDirectory,
  openStore,
  ownAddresses,
  renderChart,
  sayFailingSources,
  slackTransport,
  startArchive,
  startControl,
  startPruning,
} from './compose/parts.js';
import { pipelineStep } from './compose/pipeline-step.js';
import { fleetTickers, reportSchedules, watchDatabaseFile } from './compose/schedules.js';
import { type Running, shutdownRunning } from './compose/shutdown.js';
import type { Config } from './config/config.js';
import { parseCommand } from './domain/command-parser.js';
import { readiness } from './domain/readiness.js';
import { teamScope } from './domain/team-scope.js';
import type { Inbound } from './ports/chat.js';
import { plural } from './words/common.js';

/** prom-client loads only when metrics are on: start-up time and idle memory (issue 14's bench). */
async function metricsFor(config: Config, parts: Omit<MetricsOptions, 'clock' | 'config'>): Promise<Metrics | null> {
  if (config.metrics.port === undefined) return null;
  const { createMetrics } = await import('./adapters/metrics/metrics.js');
  return createMetrics({ ...parts, clock: systemClock, config });
}

/** The metrics server on its port; a port that cannot be taken ends the process (exit 1). */
async function startMetrics(metrics: Metrics | null, config: Config): Promise<{ close(): Promise<void> } | null> {
  if (!metrics || config.metrics.port === undefined) return null;
  try {
    return await metrics.start(config.metrics.port, config.metrics.host);
  } catch (error) {
    if (error instanceof MetricsError) fail(error.message, 1);
    throw error;
  }
}

/**
 * SIGINT, SIGTERM and SIGHUP (the terminal went away) each revert what is in flight before the
 * process exits; a second signal exits at once.
 */
function onSignals(
  shutdown: (signal: string | null, code: number) => Promise<void>,
  shuttingDown: () => boolean,
  logger: Logger,
): void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown()) {
      logger.warn({ signal }, 'second signal: exiting now; host-side timers end what is left');
      process.exit(130);
    }
    void shutdown(signal, 0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
}

/**
 * The bot, from an opened config to `ready`: the composition root, over 80 lines on purpose: it is
 * read top to bottom as the order in which the bot comes up. Its order is the safety story:
 * the store and its lock first; the transport (so a stop is heard) before any recovery; orphans of
 * a previous process reverted before any command but `stop` and `status`, and before any tick, game
 * day or pipeline request; shutdown in the reverse order (compose/shutdown.ts).
 */
async function run(config: Config, { logger, notices }: RunLogging, choice: TransportChoice): Promise<void> {
  const live = await import('./compose/live-check.js');
  // What makes every attack fail refuses the start (exit 2: a config to fix, not a restart to try).
  const fatal = await live.fatalAtStart(config, process.env);
  if (fatal) fail(`${fatal}\nRun \`chaoscat check-config --live\` for the whole check.`, 2);
  const { store, lock, claim, migrated } = openStore(config);
  if (migrated && choice.kind === 'slack') logger.info(migrated);
  const hosts = hostDirectory(config, logger);
  // Asked while the chat connects; orphan recovery waits for it (an orphan's host may be an inventory host).
  const hostsAsked = hosts.start();
  const running: Running = {
    tickers: [],
    hosts,
    retention: startPruning(config, store, logger),
    control: null,
    fleet: null,
    transport: { stop: () => {} },
    metricsServer: null,
    archive: null,
    executor: await buildExecutor(config, logger),
    unwatchFile: () => {},
    claim,
    store,
    lock,
  };
  let shuttingDown = false;
  // On a signal, or (null) when the console's input ended.
  const shutdown = async (signal: string | null, code: number): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    await shutdownRunning(running, signal, config.schedule.shutdownTimeout, logger);
    process.exit(code);
  };
  // Commands wait until attacks orphaned by a previous process are reverted (a frozen host can
  // take minutes), except `stop` (it latches at once, so nothing starts once recovery is done) and
  // `status` (which says that recovery is still running).
  const ready = deferred();
  const wired = deferred();
  const teamNames = config.teams.map((t) => t.name);
  const handle = async (inbound: Inbound) => {
    const kind = parseCommand(teamScope(inbound.text, teamNames, undefined).text).kind;
    await (kind === 'stop' || kind === 'status' ? wired : ready).promise;
    return (running.fleet as Fleet).handle(inbound);
  };
  const multi = !config.teams[0]?.implicit;
  const teamStores = new Map(config.teams.map((t) => [t.name, multi ? store.forTeam(t.name) : store]));
  const answers = new SqliteAnswerLog(store.handle);
  // The archive's port answers /healthz and /readyz too (probes work with metrics off); readiness is
  // read at each request, and says "starting" until the transport below exists.
  let readyNow: ReadinessProbe = () => ({ ready: false, reasons: ['starting'] });
  const archive = await startArchive(config, logger, () => readyNow());
  running.archive = archive;
  // The chat's report links to the archive where people reach it (web.publicUrl), while it serves.
  const archiveUrl = archive ? config.web.publicUrl : undefined;
  const people = new SqlitePeople(store.handle);
  const reportDeps: ReportDeps = { store, clock: systemClock, config, renderChart, logger, answers, archiveUrl };
  const transport =
    choice.kind === 'slack'
      ? await slackTransport(config, logger, handle, archiveUrl, people)
      : consoleTransport(
          config,
          handle,
          () => void shutdown(null, 0),
          [migrated, archive?.line].filter((l): l is string => !!l),
          notices,
          people.nameOf,
        );
  running.transport = transport;
  // /readyz and chaoscat_hearing: read at each request, so they follow the Slack socket and shutdown.
  const probes = {
    hearing: () => transport.hearing(),
    readiness: () => readiness({ store: storeWritable(store.handle), hearing: transport.hearing(), shuttingDown }),
  };
  readyNow = probes.readiness;
  const metrics = await metricsFor(config, { store, teams: [...teamStores.values()], logger, probes });
  if (archive && choice.kind === 'slack') logger.info(archive.line);
  const { fleet, teamReports } = wireFleet({
    config,
    hosts,
    store,
    executor: running.executor,
    // Global providers are built once and shared: teams checking on the same minute share one probe.
    gates: teamGates(config, systemClock, logger),
    transport,
    logger,
    botAddresses: ownAddresses(),
    answers,
    evidenceLog: new SqliteEvidenceLog(store.handle),
    reportDeps,
    observers: metrics,
    teamStores,
    multi,
  });
  running.fleet = fleet;
  wired.resolve();
  transport.showOverview?.(overviewOf(fleet.teams.map((t) => ({ name: t.team.name, ctx: t.bot.context }))));
  const tickers = [...fleetTickers(fleet), ...reportSchedules(fleet, teamReports, logger)];
  running.tickers = tickers;
  running.metricsServer = await startMetrics(metrics, config);
  onSignals(shutdown, () => shuttingDown, logger);
  running.unwatchFile = watchDatabaseFile(claim, store, fleet, config, logger);

  await transport.start();
  await hostsAsked;
  sayFailingSources(hosts, config, logger);
  await fleet.recover();
  ready.resolve();
  // The pipeline step's way in (docs/operations.md "Pipeline step"): after recovery, like the ticks.
  running.control = await startControl(config, () => fleet, logger);
  for (const t of tickers) t.start();
  // Game days: after recovery, so a drill never starts while orphans are being reverted.
  for (const t of fleet.teams) t.bot.gameDays?.start();
  logger.info(
    { dryRun: config.dryRun, teams: config.teams.map((t) => t.name), hosts: hosts.all().length, attacks: config.attacks.length },
    'ready',
  );
  // The rest of `check-config --live`, once, in the background: reported, never refusing (each
  // problem concerns some hosts, attacks or sources; the gates and the pre-flight refuse what they must).
  void live.tellProblemsAfterStart(config, hosts.all(), logger, transport, () => shuttingDown);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const cli = readCli(argv);
  if (cli.kind === 'usage-error') fail(`${cli.message}\n${USAGE}`, 2);
  if (cli.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (cli.kind === 'version') {
    process.stdout.write(`chaoscat ${packageVersion()}\n`);
    return;
  }
  const command = cli.command;
  // Decided before anything is opened: a half-set Slack environment exits 2 having touched nothing.
  const choice = command === 'run' ? transportChoice(argv) : null;
  switch (command) {
    case 'check-config': {
      const logger = createLogger({ level: process.env.LOG_LEVEL || 'warn', file: process.env.CHAOSCAT_LOG_FILE });
      const config = readConfig(argv);
      const hosts = hostDirectory(config, logger);
      await hosts.refreshAll();
      process.stdout.write(`${configSummary(config, systemClock.now(), hosts)}\n`);
      if (argv.includes('--live')) {
        const { runLiveCheck } = await import('./compose/live-check.js');
        const slack = transportChoice([]);
        const failures = await runLiveCheck(config, hosts, logger, slack.kind === 'slack' ? slack.env : null);
        if (failures > 0) fail(`live check: ${plural(failures, 'problem')} (each with its fix above)`, 2);
        return;
      }
      const failing = hosts.sources().filter((s) => s.error !== null);
      if (failing.length > 0) fail(`inventory source(s) failed:\n  ${failing.map((s) => `${s.id}: ${s.error}`).join('\n  ')}`, 2);
      return;
    }
    case 'run': {
      const config = readConfig(argv);
      const transport = choice ?? transportChoice(argv);
      return run(config, runLogging(transport, config, process.env), transport);
    }
    case 'run-once':
      return pipelineStep(argv);
    case 'export':
      return exportCommand(argv);
    case 'backup':
      return backupCommand(argv);
    case 'hosts':
      return hostsCommand(argv);
    default:
      fail(`unknown command "${command}"\n${USAGE}`, 2);
  }
}

main().catch((error) => {
  process.stderr.write(`chaoscat: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
