import type { Logger } from 'pino';
import { CronTicker } from '../adapters/system/cron-ticker.js';
import { buildReport, type ReportDeps } from '../app/reports/report.js';
import type { Config } from '../config/config.js';
import type { Announcer } from '../ports/chat.js';

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
