import type { Logger } from 'pino';
import type { InstanceClaim } from '../adapters/sqlite/instance-claim.js';
import { CLAIM_BEAT_MS } from '../adapters/sqlite/instance-claim.js';
import type { SqliteStore } from '../adapters/sqlite/sqlite-store.js';
import { systemClock } from '../adapters/system/clock.js';
import { CronTicker } from '../adapters/system/cron-ticker.js';
import { systemTimers } from '../adapters/system/timers.js';
import { buildReport, type ReportDeps } from '../app/reports/report.js';
import type { Fleet } from '../app/teams/fleet.js';
import type { Config } from '../config/config.js';
import type { Announcer } from '../ports/chat.js';
import type { Cancel } from '../ports/timers.js';

/** The daily report at report.time, posted where announcements go. */
export function dailyReport(config: Config, deps: ReportDeps, announcer: Announcer, logger: Logger): CronTicker | null {
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

/**
 * One cron task per distinct tick and zone: teams that tick together are written together. The
 * fleet keeps a slow team from overlapping itself; the cron task never waits for a team.
 */
export function fleetTickers(fleet: Fleet): CronTicker[] {
  const groups = new Map<string, { tick: string; timezone: string; teams: string[] }>();
  for (const t of fleet.teams) {
    const { tick, timezone } = { tick: t.bot.context.config.schedule.tick, timezone: t.bot.context.config.timezone };
    const key = `${tick}\n${timezone}`;
    const group = groups.get(key) ?? { tick, timezone, teams: [] };
    group.teams.push(t.team.name);
    groups.set(key, group);
  }
  return [...groups.values()].map(
    (g) =>
      new CronTicker(g.tick, g.timezone, async () => {
        void fleet.tick(g.teams);
      }),
  );
}

/** Each team's daily report, where that team's announcements go. */
export function reportSchedules(
  fleet: Fleet,
  reports: ReadonlyMap<string, { readonly deps: ReportDeps; readonly announcer: Announcer }>,
  logger: Logger,
): CronTicker[] {
  return fleet.teams
    .map((t) => {
      const r = reports.get(t.team.name);
      return r ? dailyReport(t.bot.context.config, r.deps, r.announcer, logger) : null;
    })
    .filter((t): t is CronTicker => t !== null);
}

/**
 * The database file stays this bot's (issue 22): another bot taking it over, the file deleted or
 * replaced under us, latches a halt in memory (and in the sidecar), says so, and nothing starts.
 * Checked every CLAIM_BEAT_MS; returns the way to stop checking.
 */
export function watchDatabaseFile(
  claim: InstanceClaim,
  store: SqliteStore,
  fleet: Fleet,
  config: Config,
  logger: Logger,
): Cancel {
  let fileTrouble: string | null = null;
  return systemTimers.every(CLAIM_BEAT_MS, () => {
    const why = claim.check(systemClock.now());
    if (!why || fileTrouble) return;
    fileTrouble = why;
    const at = systemClock.now();
    const reason = `${why}: nothing starts until the bot is restarted on a database of its own`;
    logger.error({ reason }, "the database is no longer this bot's: halted");
    for (const t of fleet.teams) {
      t.bot.context.latch.halt({ by: 'system', at, reason });
      void t.bot.context.announcer.announce({ kind: 'notice', notice: { kind: 'database-lost', reason } }).catch(() => {});
    }
    // After the latches: their writes went to a file that is no longer the database; the sidecar keeps it.
    store.keepHaltOutside(
      { by: 'system', at, reason },
      config.teams.map((t) => t.name),
    );
  });
}
