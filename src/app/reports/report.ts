import type { Logger } from 'pino';
import type { Config } from '../../config/config.js';
import { gapBacklog } from '../../domain/gaps.js';
import { localDay, previousDate, summarizeDay, type Timeline } from '../../domain/report.js';
import type { AnswerLog } from '../../ports/answer-log.js';
import type { ReportContent } from '../../ports/archive.js';
import type { Attachment, Reply } from '../../ports/chat.js';
import type { Clock } from '../../ports/clock.js';
import { errorMessage } from '../../ports/errors.js';
import type { AttackReads, AuditLog, HealthLog, TickLog } from '../../ports/store.js';
import { gapWeekLine, learnedLine } from '../../words/answers.js';
import { reportTables } from '../../words/report-block.js';
import { chatReport, reportLines, reportNoteText, timelineTitle } from '../../words/report-text.js';
import type { ReportCommand } from '../commands/commands.js';

/** Draws the day's timeline as a PNG. Side effects: none beyond CPU; rejects when it cannot draw. */
export type ChartRenderer = (timeline: Timeline) => Promise<Uint8Array>;

/** What a day's report reads: the attacks, ticks, health checks and commands of the day. */
export type ReportReads = Pick<AttackReads, 'history'> &
  Pick<TickLog, 'ticksBetween'> &
  Pick<HealthLog, 'healthBetween'> &
  Pick<AuditLog, 'auditBetween'>;

export interface ReportDeps {
  readonly store: ReportReads;
  /** What people answered after each attack; without it the report says nothing of what was learned. */
  readonly answers?: Pick<AnswerLog, 'answersFor' | 'fixesFor'>;
  readonly clock: Clock;
  readonly config: Pick<Config, 'timezone' | 'businessHours' | 'dryRun'>;
  /** Without it the report is text only. */
  readonly renderChart?: ChartRenderer;
  /** web.publicUrl while the archive serves: the chat's report is short and links to the day's page. */
  readonly archiveUrl?: string | undefined;
  readonly logger?: Logger;
}

/** More attacks than this in one day is a runaway; the report says it shows the newest only. */
const MAX_ATTACKS = 50_000;
/** Ticks and health checks from just before midnight say what held at the start of the day. */
const LOOKBACK_MS = 3_600_000;

/** `report` command for transports: the report for `date`, or yesterday in the configured zone. */
export function createReportCommand(deps: ReportDeps): ReportCommand {
  return (date) => buildReport(deps, date);
}

/** The report's content for one local day (default: yesterday in config.timezone). Reads the store only. */
export function reportContent(
  deps: {
    readonly store: ReportReads;
    readonly clock: Clock;
    readonly config: ReportDeps['config'];
    readonly answers?: Pick<AnswerLog, 'answersFor' | 'fixesFor'>;
  },
  date?: string,
): ReportContent {
  const { store, config } = deps;
  const tz = config.timezone;
  const now = deps.clock.now();
  const wanted = date ?? previousDate(now, tz);
  const day = localDay(wanted, tz);
  if (!day) return { kind: 'none', text: reportNoteText({ kind: 'not-a-date', wanted }) };
  if (day.start > now) return { kind: 'none', text: reportNoteText({ kind: 'not-begun', wanted, timezone: tz }) };
  const attacks = store.history({ limit: MAX_ATTACKS, since: day.start, until: day.end });
  const summary = summarizeDay({
    day,
    now,
    hours: { timezone: tz, ...config.businessHours },
    attacks,
    ticks: store.ticksBetween(day.start - LOOKBACK_MS, day.end),
    health: store.healthBetween(day.start - LOOKBACK_MS, day.end),
    audit: store.auditBetween(day.start, day.end),
  });
  const lines = reportLines(summary, tz);
  const live = attacks.filter((r) => !r.dryRun);
  const taught = deps.answers && live.length ? learnedLine(live, deps.answers.answersFor(live.map((r) => r.id))) : null;
  if (taught) lines.push(taught);
  const week = deps.answers ? gapWeek(deps.answers, store, day.end) : null;
  if (week) lines.push(week);
  if (attacks.length === MAX_ATTACKS) lines.push(reportNoteText({ kind: 'capped', newest: MAX_ATTACKS }));
  return { kind: 'report', summary, lines, tables: reportTables(summary, tz) };
}

const WEEK_MS = 7 * 86_400_000;

/** The gaps the last 7 days' live attacks found, and which are still open (the report's backlog line). */
function gapWeek(answers: Pick<AnswerLog, 'answersFor' | 'fixesFor'>, store: ReportReads, until: number): string | null {
  // Only the attacks that may have found a gap are read (answered, or unnoticed by monitoring): the week may hold thousands.
  const week = store.history({ limit: MAX_ATTACKS, since: until - WEEK_MS, until, gapsOnly: true });
  if (week.length === 0) return null;
  const ids = week.map((r) => r.id);
  return gapWeekLine(gapBacklog(week, answers.answersFor(ids), answers.fixesFor(ids)));
}

/**
 * The report for one local day (default: yesterday in config.timezone) as a reply: the text, a
 * preformatted block of tables, and the timeline PNG as an attachment when a renderer is given.
 * Reads the store only. Throws only if the store cannot be read.
 */
export async function buildReport(deps: ReportDeps, date?: string): Promise<Reply> {
  const content = reportContent(deps, date);
  if (content.kind === 'none') return { text: content.text };
  const { summary, tables } = content;
  const lines = [...content.lines];
  const { day } = summary;
  const tz = deps.config.timezone;
  const attachments: Attachment[] = [];
  if (deps.renderChart) {
    try {
      attachments.push({
        filename: `chaoscat-report-${day.date}.png`,
        title: timelineTitle(day.date, tz),
        contentType: 'image/png',
        data: await deps.renderChart(summary.timeline),
      });
    } catch (error) {
      deps.logger?.warn({ err: error }, 'cannot draw the report chart');
      lines.push(reportNoteText({ kind: 'no-chart', cause: errorMessage(error) }));
    }
  }
  const whole = lines.join('\n');
  const archive = deps.archiveUrl?.replace(/\/+$/, '');
  const text = archive ? chatReport(summary, tz, archive, lines.slice(content.lines.length)) : whole;
  return { text, full: { text: whole, tables }, ...(attachments.length ? { attachments } : {}) };
}
