import { mkdirSync } from 'node:fs';
import type { Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { ConsoleTransport } from '../adapters/console/console-transport.js';
import { startControlServer } from '../adapters/control/control-server.js';
import { DryRunExecutor } from '../adapters/dry-run/dry-run-executor.js';
import { createInventorySources } from '../adapters/inventory/index.js';
import { SqliteAnswerLog } from '../adapters/sqlite/answer-log.js';
import { SqliteEvidenceLog } from '../adapters/sqlite/evidence-log.js';
import { InstanceClaim } from '../adapters/sqlite/instance-claim.js';
import { InstanceLock, InstanceLockError } from '../adapters/sqlite/instance-lock.js';
import { sqliteJournalPruner } from '../adapters/sqlite/journal-pruner.js';
import { SqlitePeople } from '../adapters/sqlite/people.js';
import { SqliteStore, StoreError } from '../adapters/sqlite/sqlite-store.js';
import { systemClock } from '../adapters/system/clock.js';
import type { ReadinessProbe } from '../adapters/system/http-probes.js';
import type { NoticeBoard } from '../adapters/system/log-notice.js';
import { systemTimers } from '../adapters/system/timers.js';
import { createArchive } from '../app/reports/archive.js';
import { type Retention, startRetention } from '../app/reports/retention.js';
import type { Fleet } from '../app/teams/fleet.js';
import { InventoryDirectory } from '../app/teams/inventory.js';
import type { Config } from '../config/config.js';
import type { Timeline } from '../domain/report.js';
import type { ChatTransport, Inbound, Reply } from '../ports/chat.js';
import { errorMessage } from '../ports/errors.js';
import type { Executor } from '../ports/executor.js';
import type { NameOf, People } from '../ports/people.js';
import { sourceLine } from '../words/inventory.js';
import { fail, MIGRATIONS, migrationLine } from './cli.js';
import { controlHandler } from './pipeline-step.js';
/** The bot's own addresses: network attacks must never cut the bot off from a host. */
export function ownAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i) => i !== undefined && !i.internal)
    .map((i) => (i as { address: string }).address);
}

// Heavy adapters (ssh2, Bolt, echarts, prom-client) load only when this run uses them: start-up time and memory.
export async function buildExecutor(config: Config, logger: Logger): Promise<Executor> {
  if (config.dryRun) return new DryRunExecutor(systemClock, systemTimers);
  const { createSshExecutor } = await import('../adapters/ssh/index.js');
  // The bot's addresses reach scripts through each job's environment (domain attackEnv).
  return createSshExecutor({ settings: config.ssh, logger, clock: systemClock });
}

export async function renderChart(timeline: Timeline): Promise<Uint8Array> {
  const { renderTimelinePng } = await import('../adapters/chart/timeline-chart.js');
  return renderTimelinePng(timeline);
}

export function consoleTransport(
  config: Config,
  handle: (i: Inbound) => Promise<Reply>,
  onEnd: () => void,
  notes: readonly string[],
  notices: NoticeBoard | null = null,
  /** People's display names, where the store knows them. */
  nameOf?: NameOf,
): ChatTransport {
  const transport = new ConsoleTransport({
    notes,
    input: process.stdin,
    output: process.stdout,
    timezone: config.timezone,
    dryRun: config.dryRun,
    handle,
    onEnd,
    attachmentsDir: config.report.directory,
    ...(nameOf ? { nameOf } : {}),
  });
  notices?.attach((line) => transport.notice(line));
  return transport;
}

export async function slackTransport(
  config: Config,
  logger: Logger,
  handle: (i: Inbound) => Promise<Reply>,
  /** web.publicUrl while the archive serves: each ending links to its attack's page. */
  archiveUrl?: string,
  /** Where the display names of the people who talk to the bot are kept. */
  people?: People,
): Promise<ChatTransport> {
  const { startSlackTransport } = await import('../adapters/slack/start.js');
  const { SlackTransportError } = await import('../adapters/slack/errors.js');
  try {
    const slack = await startSlackTransport({
      env: process.env,
      slack: config.slack,
      teamChannels: config.teams.flatMap((t) => (t.implicit || !t.channel ? [] : [t.channel])),
      timezone: config.timezone,
      dryRun: config.dryRun,
      logger,
      handle,
      archiveUrl,
      ...(people ? { people } : {}),
    });
    logger.info(
      { mode: slack.mode },
      `connected to Slack (${slack.mode === 'socket' ? 'Socket Mode' : `HTTP on port ${slack.port}`})`,
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
export async function startArchive(
  config: Config,
  logger: Logger,
  readiness?: ReadinessProbe,
): Promise<{ line: string; close(): Promise<void> } | null> {
  if (config.web.port === 0) return null;
  const { serveArchive } = await import('../adapters/web/server.js');
  const { createScrubber } = await import('../adapters/web/scrub.js');
  const { SqliteArchiveReader } = await import('../adapters/sqlite/archive-reader.js');
  let reader: SqliteStore | undefined;
  try {
    reader = new SqliteStore({ file: config.database, migrationsDir: MIGRATIONS, readOnly: true });
    const providers = [...config.health, ...Object.values(config.steadyState).flat()];
    const site = {
      archive: createArchive({
        store: reader,
        archive: new SqliteArchiveReader(reader.handle),
        answers: new SqliteAnswerLog(reader.handle),
        evidence: new SqliteEvidenceLog(reader.handle),
        clock: systemClock,
        config,
      }),
      // People by their display names, as the bot learned them from Slack (the id while unknown).
      scrub: createScrubber(providers, process.env, new SqlitePeople(reader.handle).nameOf),
      logger,
      ...(readiness ? { readiness } : {}),
    };
    const server = await serveArchive(site, config.web.port, config.web.host, config.web.publicUrl);
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
      line: `Report archive NOT started — ${errorMessage(error)}. The bot runs without it; set web.port to a free port, or 0 for no archive.`,
      close: async () => {},
    };
  }
}

/** The store, its lock, and what a migration at opening did (null when none ran). */
export function openStore(config: Config): {
  store: SqliteStore;
  lock: InstanceLock;
  claim: InstanceClaim;
  migrated: string | null;
} {
  let lock: InstanceLock;
  try {
    mkdirSync(dirname(config.database), { recursive: true });
    lock = InstanceLock.acquire(config.database);
  } catch (error) {
    if (error instanceof InstanceLockError) fail(error.message, 1);
    fail(`cannot lock the database ${config.database}: ${errorMessage(error)}`, 1);
  }
  try {
    const store = new SqliteStore({ file: config.database, migrationsDir: MIGRATIONS });
    let claim: InstanceClaim;
    try {
      claim = InstanceClaim.acquire(store.handle, config.database, Date.now());
    } catch (error) {
      store.close();
      lock.release();
      if (error instanceof InstanceLockError) fail(error.message, 1);
      throw error;
    }
    return { store, lock, claim, migrated: migrationLine(store, config.database) };
  } catch (error) {
    lock.release();
    if (error instanceof StoreError) fail(error.message, 1);
    throw error;
  }
}

/** Ticks and health samples older than `retention:` deleted at start and hourly, in small batches. */
export function startPruning(config: Config, store: SqliteStore, logger: Logger): Retention {
  const pruner = sqliteJournalPruner(store.handle);
  return startRetention({ pruner, clock: systemClock, timers: systemTimers, logger, settings: config.retention });
}

/** The static hosts plus the inventory sources, refreshed on the system timers. */
export function hostDirectory(config: Config, logger: Logger): InventoryDirectory {
  const sources = createInventorySources(config);
  return new InventoryDirectory({ statics: config.hosts, sources, clock: systemClock, timers: systemTimers, logger });
}

/** A source that cannot be read at start is not fatal: the bot attacks nothing from it and says why (a warning). */
export function sayFailingSources(directory: InventoryDirectory, config: Config, logger: Logger): void {
  for (const s of directory.sources()) {
    if (s.error !== null) logger.warn({ source: s.id }, `inventory ${sourceLine(s, systemClock.now(), config.timezone)}`);
  }
}

/** The control socket for pipeline steps; a socket that cannot be opened is logged, the bot runs on. */
export async function startControl(config: Config, fleet: () => Fleet | null, logger: Logger): Promise<Server | null> {
  const path = config.controlSocket;
  if (!path) return null;
  try {
    const server = await startControlServer(path, controlHandler(fleet), logger);
    logger.info({ path }, 'control socket open');
    return server;
  } catch (error) {
    logger.error({ err: error, path }, 'cannot open the control socket: pipeline steps cannot reach this bot');
    return null;
  }
}
