import type { Logger } from 'pino';
import type { InstanceClaim } from '../adapters/sqlite/instance-claim.js';
import type { InstanceLock } from '../adapters/sqlite/instance-lock.js';
import type { SqliteStore } from '../adapters/sqlite/sqlite-store.js';
import type { Fleet } from '../app/teams/fleet.js';
import type { Executor } from '../ports/executor.js';
import { shutdownText } from '../words/common.js';

interface Stoppable {
  stop(): void | Promise<void>;
}
interface Closable {
  close(): unknown;
}

/**
 * What a running bot holds, for its shutdown; parts not started yet are null or empty. `run` (main.ts)
 * fills it as it starts them.
 */
export interface Running {
  /** The fleet's ticks and the report schedules. */
  tickers: Stoppable[];
  hosts: Stoppable;
  retention: Stoppable;
  control: Closable | null;
  fleet: Fleet | null;
  transport: Stoppable;
  metricsServer: Closable | null;
  archive: Closable | null;
  executor: Executor;
  unwatchFile: () => void;
  readonly claim: InstanceClaim;
  readonly store: SqliteStore;
  readonly lock: InstanceLock;
}

/**
 * Stops a running bot in order: nothing new starts (ticks, game days, inventory, retention, the
 * pipeline's socket), then the fleet reverts what is in flight (bounded by `timeoutMs`), then the
 * chat, the servers, the executor, and last the database and the instance lock. Never throws for a
 * part that fails to close.
 */
export async function shutdownRunning(r: Running, signal: string | null, timeoutMs: number, logger: Logger): Promise<void> {
  logger.info({ reason: shutdownText(signal) }, 'shutting down');
  await Promise.all(r.tickers.map((t) => t.stop()));
  for (const t of r.fleet?.teams ?? []) t.bot.gameDays?.stop();
  r.hosts.stop();
  r.retention.stop();
  r.control?.close();
  if (r.fleet) {
    const timeout = new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), timeoutMs).unref());
    const result = await Promise.race([r.fleet.shutdown(signal), timeout]);
    if (result === 'timeout')
      logger.error(
        'shutdown timed out: what is left is killed and rolled back by its on-host timer at its deadline, and checked as orphaned at the next start',
      );
  }
  await Promise.resolve(r.transport.stop()).catch(() => {});
  await Promise.resolve(r.metricsServer?.close()).catch(() => {});
  await Promise.resolve(r.archive?.close()).catch(() => {});
  await r.executor.close();
  r.unwatchFile();
  r.claim.release();
  r.store.close();
  r.claim.closeFile();
  r.lock.release();
}
