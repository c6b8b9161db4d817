import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import type { Config } from '../../config/config.js';
import { isHealthy } from '../../domain/model.js';
import type { Hearing } from '../../ports/chat.js';
import type { Clock } from '../../ports/clock.js';
import type { Store } from '../../ports/store.js';

/**
 * The gauges read at scrape time: dry run, the store readable, hearing, and each team's halt,
 * cooldown, last tick and health, from its store, so they are right after a restart too.
 * Side effects: reads the stores when scraped.
 */
export function stateGauges(
  registry: Registry,
  options: {
    readonly store: Store;
    readonly teams: readonly Store[];
    readonly clock: Clock;
    readonly config: Pick<Config, 'dryRun'>;
    readonly logger?: Logger | undefined;
    readonly hearing?: (() => Hearing) | undefined;
  },
): void {
  const { store, teams, clock, logger } = options;
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
  const hearing = options.hearing;
  if (hearing) {
    new Gauge({
      name: 'chaoscat_hearing',
      help: '1 when the bot can hear a stop (Slack connected, console input open); while 0 the scheduler starts nothing.',
      registers: [registry],
      collect() {
        this.set(hearing().ok ? 1 : 0);
      },
    });
  }
  teamGauges(registry, teams, clock, fromStore);
}

type FromStore = <T>(what: string, read: () => T) => T | undefined;

/** Each team's halt, cooldown, last tick and health gate, read from its store when scraped. */
function teamGauges(registry: Registry, teams: readonly Store[], clock: Clock, fromStore: FromStore): void {
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
}
