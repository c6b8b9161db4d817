import type { Logger } from 'pino';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Config } from '../../config/config.js';
import type { Fault } from '../../domain/fault.js';
import { isHealthy } from '../../domain/model.js';
import type { Hearing } from '../../ports/chat.js';
import type { Clock } from '../../ports/clock.js';
import type { BotObserver } from '../../ports/observer.js';
import type { Store } from '../../ports/store.js';
import type { ReadinessProbe } from '../system/http-probes.js';
import { type MetricsServer, serveMetrics } from './metrics-server.js';

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

/** Seconds: a stop reverts in well under a second on a healthy host; a minute means trouble. */
const HALT_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60];
/** Seconds: probes run every few seconds, so detection is in seconds to minutes. */
const DETECT_BUCKETS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600];
/** Seconds: a supervisor restarts in seconds; the default recovery window is 5 minutes, an attack's may be longer. */
const RECOVER_BUCKETS = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800];

/**
 * Prometheus metrics for ChaosCat. Counters come from the bot's observer hooks; state (halt,
 * last tick, health) is read from the store at scrape time, so it is right after a restart too.
 * Side effects: reads the store when scraped. Observer hooks never throw.
 */
export function createMetrics(options: MetricsOptions): Metrics {
  const { store, clock, logger } = options;
  const teams = options.teams ?? [store];
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  /**
   * A failed store read is logged and leaves the gauge at NaN (labelled ones without samples):
   * unknown, never a stale or made-up 0. chaoscat_store_readable says why.
   */
  const fromStore = <T>(what: string, read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      logger?.warn({ err: error }, `metrics: cannot read ${what}`);
      return undefined;
    }
  };

  const attacks = new Counter({
    name: 'chaoscat_attacks_total',
    help: 'Attacks that reached a final state, by attack, host and outcome (completed, reverted, failed, cancelled, orphaned).',
    labelNames: ['team', 'attack', 'host', 'outcome'] as const,
    registers: [registry],
  });
  const ticks = new Counter({
    name: 'chaoscat_ticks_total',
    help: 'Scheduler ticks by team, outcome (attacked, skipped) and skip code.',
    labelNames: ['team', 'outcome', 'code'] as const,
    registers: [registry],
  });
  const aborts = new Counter({
    name: 'chaoscat_aborts_total',
    help: 'Aborted attacks (stop, health gate, shutdown) by result: reverted, unreachable, failed.',
    labelNames: ['team', 'outcome'] as const,
    registers: [registry],
  });
  const haltLatency = new Histogram({
    name: 'chaoscat_halt_latency_seconds',
    help: 'Time from an abort to the attack killed and rolled back (or given up on).',
    labelNames: ['team'] as const,
    buckets: HALT_BUCKETS,
    registers: [registry],
  });
  const verdicts = new Counter({
    name: 'chaoscat_verdicts_total',
    help: 'Steady-state verdicts by attack: held, recovered, not-recovered, unknown (the bot stopped before the window ended).',
    labelNames: ['team', 'attack', 'verdict'] as const,
    registers: [registry],
  });
  const timeToDetect = new Histogram({
    name: 'chaoscat_time_to_detect_seconds',
    help: "From the fault's start to the first failing steady-state probe, by attack.",
    labelNames: ['team', 'attack'] as const,
    buckets: DETECT_BUCKETS,
    registers: [registry],
  });
  const detections = new Counter({
    name: 'chaoscat_detections_total',
    help: 'Whether monitoring noticed each live attack (an alert from its start to its verdict): detected yes, no, or unknown (a source could not be read).',
    labelNames: ['team', 'attack', 'detected'] as const,
    registers: [registry],
  });
  const timeToAlert = new Histogram({
    name: 'chaoscat_time_to_alert_seconds',
    help: "From the fault's start to the first matching alert, by attack (detected attacks only).",
    labelNames: ['team', 'attack'] as const,
    buckets: DETECT_BUCKETS,
    registers: [registry],
  });
  const timeToRecover = new Histogram({
    name: 'chaoscat_time_to_recover_seconds',
    help: 'From the first failing probe to the steady state holding again, by attack (recovered attacks only).',
    labelNames: ['team', 'attack'] as const,
    buckets: RECOVER_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: 'chaoscat_dry_run',
    help: '1 when ChaosCat runs in dry run (hosts are never touched).',
    registers: [registry],
  }).set(options.config.dryRun ? 1 : 0);
  new Gauge({
    name: 'chaoscat_store_readable',
    help: '1 when the database could be read for this scrape; 0 means the store-backed gauges are NaN.',
    registers: [registry],
    collect() {
      this.set(fromStore('the database', () => store.getState()) ? 1 : 0);
    },
  });
  const probes = options.probes;
  if (probes) {
    new Gauge({
      name: 'chaoscat_hearing',
      help: '1 when the bot can hear a stop (Slack connected, console input open); while 0 the scheduler starts nothing.',
      registers: [registry],
      collect() {
        this.set(probes.hearing().ok ? 1 : 0);
      },
    });
  }
  /** A gauge with one series per team, read from that team's store at scrape time. */
  const perTeam = (name: string, help: string, read: (team: Store) => number | undefined): void => {
    new Gauge({
      name,
      help,
      labelNames: ['team'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const t of teams) this.set({ team: t.team }, read(t) ?? Number.NaN);
      },
    });
  };
  perTeam('chaoscat_halted', '1 while the team is halted (stop, or a health failure that latched a halt).', (t) => {
    const state = fromStore('the halt', () => t.getState());
    return state ? (state.halt ? 1 : 0) : undefined;
  });
  perTeam('chaoscat_cooldown_remaining_seconds', "Seconds until the scheduler may attack the team's hosts again.", (t) => {
    const state = fromStore('the cooldown', () => t.getState());
    return state ? Math.max(0, ((state.cooldownUntil ?? 0) - clock.now()) / 1000) : undefined;
  });
  perTeam('chaoscat_last_tick_timestamp_seconds', "When the team's scheduler last ticked (Unix seconds).", (t) => {
    const last = fromStore('the last tick', () => t.lastTick());
    return last ? last.at / 1000 : undefined;
  });
  new Gauge({
    name: 'chaoscat_last_tick_info',
    help: "Always 1; the labels say what each team's last tick did (outcome attacked or skipped, and the skip code).",
    labelNames: ['team', 'outcome', 'code'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const t of teams) {
        const last = fromStore('the last tick', () => t.lastTick());
        if (!last) continue;
        const o = last.outcome;
        this.set({ team: t.team, outcome: o.kind, code: o.kind === 'skipped' ? o.code : '' }, 1);
      }
    },
  });
  const lastHealth = (t: Store) => fromStore('the last health check', () => t.lastHealth());
  perTeam('chaoscat_health_gate_healthy', "Result of the team's last health gate: 1 healthy, 0 unhealthy (fail closed).", (t) => {
    const h = lastHealth(t);
    return h ? (isHealthy(h) ? 1 : 0) : undefined;
  });
  perTeam('chaoscat_health_last_check_timestamp_seconds', "When the team's health gate last ran (Unix seconds).", (t) => {
    const h = lastHealth(t);
    return h ? h.checkedAt / 1000 : undefined;
  });
  new Gauge({
    name: 'chaoscat_health_provider_healthy',
    help: "Result of each health provider in the team's last health gate: 1 healthy, 0 not.",
    labelNames: ['team', 'provider', 'kind'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const t of teams) {
        for (const r of lastHealth(t)?.results ?? [])
          this.set({ team: t.team, provider: r.name, kind: r.kind }, r.healthy ? 1 : 0);
      }
    },
  });

  /** Each team's open faults, as last told by its bot (set at start and after each change). */
  const openFaults = new Map<string, readonly Fault[]>();
  new Gauge({
    name: 'chaoscat_fault_may_remain',
    help: "1 for each host where an attack's fault may still be in place (a failed rollback, or an end never confirmed), until an admin says resolve #ID.",
    labelNames: ['team', 'host', 'attack', 'id'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [team, faults] of openFaults)
        for (const f of faults) this.set({ team, host: f.host, attack: f.attack, id: f.id }, 1);
    },
  });
  const safely =
    <A extends unknown[]>(what: string, fn: (...args: A) => void) =>
    (...args: A): void => {
      try {
        fn(...args);
      } catch (error) {
        logger?.warn({ err: error }, `metrics: cannot count ${what}`);
      }
    };

  const observerFor = (team: string): BotObserver => ({
    onTick: safely('a tick', (o) => ticks.inc({ team, outcome: o.kind, code: o.kind === 'skipped' ? o.code : '' })),
    onAttackFinished: safely('an attack', (r) => attacks.inc({ team, attack: r.attack, host: r.host, outcome: r.state })),
    onAborted: safely('an abort', (o) => {
      aborts.inc({ team, outcome: o.result.outcome });
      haltLatency.observe({ team }, o.result.tookMs / 1000);
    }),
    // A record still pending (verdict null) has nothing to count yet.
    onVerdict: safely('a verdict', (r) => {
      if (r.verdict === null) return;
      verdicts.inc({ team, attack: r.attack, verdict: r.verdict });
      if (r.ttdMs !== null) timeToDetect.observe({ team, attack: r.attack }, r.ttdMs / 1000);
      if (r.ttrMs !== null) timeToRecover.observe({ team, attack: r.attack }, r.ttrMs / 1000);
      const d = r.detection;
      if (d) {
        detections.inc({
          team,
          attack: r.attack,
          detected: d.kind === 'detected' ? 'yes' : d.kind === 'not-detected' ? 'no' : 'unknown',
        });
        if (d.kind === 'detected') timeToAlert.observe({ team, attack: r.attack }, d.afterMs / 1000);
      }
    }),
    onFaults: safely('the faults that may remain', (open) => {
      openFaults.set(team, open);
    }),
  });

  return {
    observer: observerFor(store.team),
    observerFor,
    registry,
    start: (port, host = '127.0.0.1') => serveMetrics(registry, port, host, logger, probes?.readiness),
  };
}
