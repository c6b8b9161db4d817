import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Fault } from '../../domain/fault.js';
import type { BotObserver } from '../../ports/observer.js';

/** Seconds: a stop reverts in well under a second on a healthy host; a minute means trouble. */
const HALT_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60];
/** Seconds: probes run every few seconds, so detection is in seconds to minutes. */
const DETECT_BUCKETS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600];
/** Seconds: a supervisor restarts in seconds; the default recovery window is 5 minutes, an attack's may be longer. */
const RECOVER_BUCKETS = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800];

/** The series the bot's events count (ticks, attacks, aborts, verdicts, detections), registered once. */
function eventSeries(registry: Registry) {
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
  return { attacks, ticks, aborts, haltLatency, verdicts, timeToDetect, detections, timeToAlert, timeToRecover };
}

/**
 * The observer hooks that count the bot's events, one observer per team (every series carries
 * `team`), and the open faults each team's bot last told (a gauge read at scrape time).
 * Hooks never throw: a failure to count is logged.
 */
export function eventMetrics(registry: Registry, logger?: Logger): (team: string) => BotObserver {
  const { attacks, ticks, aborts, haltLatency, verdicts, timeToDetect, detections, timeToAlert, timeToRecover } =
    eventSeries(registry);
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

  return (team: string): BotObserver => ({
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
}
