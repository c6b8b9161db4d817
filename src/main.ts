import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { ConsoleTransport } from './adapters/console/console-transport.js';
import { DryRunExecutor } from './adapters/dry-run/dry-run-executor.js';
import { createHealthGate } from './adapters/health/index.js';
import { InstanceLock, InstanceLockError } from './adapters/sqlite/instance-lock.js';
import { SqliteStore, StoreError } from './adapters/sqlite/sqlite-store.js';
import { systemClock } from './adapters/system/clock.js';
import { CronTicker } from './adapters/system/cron-ticker.js';
import { createLogger } from './adapters/system/logger.js';
import { cryptoRandom } from './adapters/system/random.js';
import { type Bot, createBot } from './app/bot.js';
import { configSummary } from './app/config-summary.js';
import type { Config } from './config/config.js';
import { ConfigError } from './config/errors.js';
import { configPathFrom, loadConfig } from './config/load.js';
import type { Executor } from './ports/executor.js';
import type { HealthCheck } from './ports/health-check.js';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));
const USAGE = `Usage: chaoscat [run|check-config] [--config PATH]
  run            start the bot (default): Slack when SLACK_BOT_TOKEN is set, else the console chat
  check-config   validate the config and the attack catalogue, print a summary
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

function buildExecutor(config: Config, _logger: Logger): Executor {
  if (config.dryRun) return new DryRunExecutor(systemClock);
  fail('dryRun: false needs the SSH executor, which this build does not include yet; set dryRun: true', 2);
}

function buildHealth(config: Config, logger: Logger): HealthCheck {
  return createHealthGate({
    providers: config.health,
    clock: systemClock,
    logger,
    gateTimeoutMs: config.schedule.healthTimeout,
  });
}

async function run(config: Config, logger: Logger): Promise<void> {
  let store: SqliteStore;
  let lock: InstanceLock;
  try {
    mkdirSync(dirname(config.database), { recursive: true });
    lock = InstanceLock.acquire(config.database);
  } catch (error) {
    if (error instanceof InstanceLockError) fail(error.message, 1);
    fail(`cannot lock the database ${config.database}: ${(error as Error).message}`, 1);
  }
  try {
    store = new SqliteStore({ file: config.database, migrationsDir: MIGRATIONS });
  } catch (error) {
    lock.release();
    if (error instanceof StoreError) fail(error.message, 1);
    throw error;
  }
  const executor = buildExecutor(config, logger);
  const health = buildHealth(config, logger);
  let bot: Bot | null = null;
  let shuttingDown = false;
  const transport = new ConsoleTransport({
    input: process.stdin,
    output: process.stdout,
    timezone: config.timezone,
    dryRun: config.dryRun,
    handle: (inbound) => (bot as Bot).handle(inbound),
    onEnd: () => void shutdown('console input ended', 0),
  });
  bot = createBot({
    config,
    store,
    executor,
    health,
    announcer: transport,
    ears: transport,
    authorizer: transport,
    clock: systemClock,
    random: cryptoRandom,
    logger,
  });
  const ticker = new CronTicker(config.schedule.tick, config.timezone, () => (bot as Bot).tick());

  async function shutdown(reason: string, code: number): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ reason }, 'shutting down');
    await ticker.stop();
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), config.schedule.shutdownTimeout).unref());
    const result = await Promise.race([(bot as Bot).shutdown(reason), timeout]);
    if (result === 'timeout') logger.error('shutdown timed out; host-side timers will end what is left');
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
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  await bot.recover();
  transport.start();
  ticker.start();
  logger.info({ dryRun: config.dryRun, hosts: config.hosts.length, attacks: config.attacks.length }, 'ready');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const command = argv.find((a, i) => !a.startsWith('-') && argv[i - 1] !== '--config') ?? 'run';
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', file: process.env.CHAOSCAT_LOG_FILE });
  switch (command) {
    case 'check-config': {
      const config = readConfig(argv);
      process.stdout.write(`${configSummary(config, systemClock.now())}\n`);
      return;
    }
    case 'run':
      return run(readConfig(argv), logger);
    default:
      fail(`unknown command "${command}"\n${USAGE}`, 2);
  }
}

main().catch((error) => {
  process.stderr.write(`chaoscat: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
