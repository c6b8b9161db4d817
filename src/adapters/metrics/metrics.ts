import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Config } from '../../config/config.js';
import type { Hearing } from '../../ports/chat.js';
import type { Clock } from '../../ports/clock.js';
import type { BotObserver } from '../../ports/observer.js';
import type { Store } from '../../ports/store.js';
import type { ReadinessProbe } from '../system/http-probes.js';
import { eventMetrics } from './event-metrics.js';
import { type MetricsServer, serveMetrics } from './metrics-server.js';
import { stateGauges } from './state-gauges.js';

export interface MetricsOptions {
  /** The root store; its team is the one `observer` counts for. */
  readonly store: Store;
  /** Each team's own store, for its halt, cooldown, last tick and health (default: the root store's team). */
  readonly teams?: readonly Store[];
  readonly clock: Clock;
  readonly config: Pick<Config, 'dryRun'>;
  readonly logger?: Logger;
  /** Whether a `stop` can be heard (chaoscat_hearing) and whether the bot is ready (/readyz). */
  readonly probes?: { hearing(): Hearing; readiness: ReadinessProbe };
}

export interface Metrics {
  /** Pass as BotDeps.observer: counts for the root store's team. */
  readonly observer: BotObserver;
  /** One team's observer: every series carries `team`. */
  observerFor(team: string): BotObserver;
  readonly registry: Registry;
  /** Serves GET /metrics, /healthz and /readyz on node:http. Port 0 picks a free port. Rejects with code METRICS_LISTEN. */
  start(port: number, host?: string): Promise<MetricsServer>;
}

/**
 * Prometheus metrics for ChaosCat. Counters come from the bot's observer hooks; state (halt,
 * last tick, health) is read from the store at scrape time, so it is right after a restart too.
 * Side effects: reads the store when scraped. Observer hooks never throw.
 */
export function createMetrics(options: MetricsOptions): Metrics {
  const { store, logger } = options;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  stateGauges(registry, {
    store,
    teams: options.teams ?? [store],
    clock: options.clock,
    config: options.config,
    logger,
    hearing: options.probes ? () => (options.probes as NonNullable<MetricsOptions['probes']>).hearing() : undefined,
  });
  const observerFor = eventMetrics(registry, logger);
  return {
    observer: observerFor(store.team),
    observerFor,
    registry,
    start: (port, host = '127.0.0.1') => serveMetrics(registry, port, host, logger, options.probes?.readiness),
  };
}
