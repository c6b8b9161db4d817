import type { Logger } from 'pino';
import type { Config } from '../../config/config.js';
import { monitoringGap } from '../../domain/detection.js';
import { formatDuration } from '../../domain/duration.js';
import { gapBacklog } from '../../domain/gaps.js';
import type { AttackRecord } from '../../domain/model.js';
import { type Band, type DaySummary, dayMode, localDay, previousDate, summarizeDay, type Timeline } from '../../domain/report.js';
import type { AnswerLog } from '../../ports/answer-log.js';
import type { ReportContent } from '../../ports/archive.js';
import type { Attachment, Reply } from '../../ports/chat.js';
import type { Clock } from '../../ports/clock.js';
import type { AttackReads, AuditLog, HealthLog, TickLog } from '../../ports/store.js';
import { gapWeekLine, learnedLine } from '../../words/answers.js';
import { plural } from '../../words/common.js';
import { localTime, triggerText, who } from '../../words/format.js';
import { clip, medianText, reportTables, SKIP_LABELS } from '../../words/report-block.js';
import { timeOfDay } from '../../words/tokens.js';
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
const MAX_LISTED = 5;

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
  if (!day) return { kind: 'none', text: `Cannot report ${wanted}: not a date. Try \`report YYYY-MM-DD\`.` };
  if (day.start > now) return { kind: 'none', text: `Nothing to report for ${wanted}: the day has not begun in ${tz}.` };
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
  if (attacks.length === MAX_ATTACKS) lines.push(`(Only the newest ${MAX_ATTACKS} attacks are counted.)`);
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
        title: `ChaosCat timeline ${day.date} (${tz})`,
        contentType: 'image/png',
        data: await deps.renderChart(summary.timeline),
      });
    } catch (error) {
      deps.logger?.warn({ err: error }, 'cannot draw the report chart');
      lines.push(`(The chart could not be drawn: ${(error as Error).message}.)`);
    }
  }
  const whole = lines.join('\n');
  const archive = deps.archiveUrl?.replace(/\/+$/, '');
  const text = archive ? chatReport(summary, tz, archive, lines.slice(content.lines.length)) : whole;
  return { text, full: { text: whole, tables }, ...(attachments.length ? { attachments } : {}) };
}

/**
 * The report as a chat shows it when the archive is on: the headline and totals, up to five
 * attacks that need a look, each linked to its page, and the link to the day's page for the rest.
 */
function chatReport(s: DaySummary, tz: string, archive: string, notes: readonly string[]): string {
  const link = (id: string) => `<${archive}/attack/${encodeURIComponent(id)}|#${id}>`;
  const lines = [reportLines(s, tz)[0] as string, totalsLine(s)];
  if (s.flagged.length > 0) {
    lines.push(`*Needs a look (${s.flagged.length}):*`);
    for (const r of s.flagged.slice(0, MAX_LISTED)) lines.push(`• ${flagLine(r, tz, link)}`);
    if (s.flagged.length > MAX_LISTED) lines.push(`• +${s.flagged.length - MAX_LISTED} more on the day's page`);
  }
  lines.push(...notes);
  lines.push(`The whole day — timeline, tables, every attack: <${archive}/day/${s.day.date}|${s.day.date} in the archive>`);
  return lines.join('\n');
}

function minutes(n: number): string {
  return n === 0 ? '0m' : formatDuration(n * 60_000);
}

function listed<T>(items: readonly T[], show: (item: T) => string): string {
  const shown = items.slice(0, MAX_LISTED).map(show);
  if (items.length > MAX_LISTED) shown.push(`+${items.length - MAX_LISTED} more`);
  return shown.join(', ');
}

function bands(list: readonly Band[], tz: string, label: (b: Band) => string): string {
  return listed(list, (b) => `${timeOfDay(b.start, tz)}–${timeOfDay(b.end, tz)} (${label(b)})`);
}

/** Failures first: they are what the team must act on. The rest in order of how often people ask. */
export function reportLines(s: DaySummary, tz: string): string[] {
  const day = localTime(s.day.start, tz, 'ccc yyyy-MM-dd');
  const lines = [`*ChaosCat report for ${day}* (${tz})${s.partial ? ' — so far' : ''}${modeText(s.attacks)}`];
  if (s.flagged.length > 0) {
    lines.push(`*Needs a look (${s.flagged.length}):*`);
    for (const r of s.flagged.slice(0, MAX_LISTED * 2)) lines.push(`• ${flagLine(r, tz)}`);
    if (s.flagged.length > MAX_LISTED * 2) lines.push(`• +${s.flagged.length - MAX_LISTED * 2} more: \`history failed\``);
  }
  lines.push(totalsLine(s));
  const drills = s.attacks.filter((r) => r.trigger.kind === 'game-day');
  if (drills.length > 0) {
    const shown = listed(
      drills,
      (r) => `#${r.id} ${r.attack} on ${r.host} at ${timeOfDay(r.createdAt, tz)} (${triggerText(r.trigger)})`,
    );
    lines.push(`*Game days (${drills.length}):* ${shown}`);
  }
  if (s.autoAborts.length > 0) {
    const aborts = listed(
      s.autoAborts,
      (a) =>
        `#${a.record.id} ${a.record.attack} on ${a.record.host} at ${timeOfDay(a.record.endedAt ?? a.record.createdAt, tz)} — ${clip(a.failing)}`,
    );
    lines.push(`*Aborted by the bot (health, steady state, deafness) (${s.autoAborts.length}):* ${aborts}`);
  }
  if (s.timeline.unhealthy.length > 0) lines.push(`*Unhealthy:* ${bands(s.timeline.unhealthy, tz, (b) => b.label)}`);
  if (s.timeline.halts.length > 0)
    lines.push(`*Halted:* ${bands(s.timeline.halts, tz, (b) => (b.by ? `stop by ${who(b.by)}` : clip(b.label, 60)))}`);
  const down = s.timeline.down ?? [];
  if (down.length > 0)
    lines.push(`*Bot not running:* ${listed(down, (b) => `${timeOfDay(b.start, tz)}–${timeOfDay(b.end, tz)}`)}`);
  lines.push(minutesLine(s));
  const commands = commandsLine(s);
  if (commands) lines.push(commands);
  return lines;
}

/** Dry or live from each attack's own record: a day can hold both, and today's config says nothing of yesterday. */
function modeText(attacks: readonly AttackRecord[]): string {
  const dry = attacks.filter((a) => a.dryRun).length;
  switch (dayMode(attacks)) {
    case 'none':
      return '';
    case 'dry':
      return ' — dry run only: no host was touched';
    case 'live':
      return ' — live: attacks ran on real hosts';
    case 'mixed':
      return ` — ${attacks.length - dry} live (hosts touched), ${dry} dry run`;
  }
}

const FLAGGED_VERDICT = { 'not-recovered': 'NOT RECOVERED', recovered: 'RECOVERED' } as const;

/** A verdict line carries the verdict's own words; a dry-run verdict says so (the probes ran, nothing was attacked). */
function flagLine(r: AttackRecord, tz: string, link: (id: string) => string = (id) => `#${id}`): string {
  const at = timeOfDay(r.endedAt ?? r.createdAt, tz);
  const rollback = r.rollbackOk === false ? ', rollback FAILED' : '';
  if (monitoringGap(r)) {
    return `${link(r.id)} ${r.attack} on ${r.host} *MONITORING GAP* at ${at}: ${r.verdict === 'not-recovered' ? 'not recovered' : 'the steady state deviated'} and no alert fired — ${clip(r.verdictDetail ?? 'no detail')}`;
  }
  if (r.verdict === 'not-recovered' || r.verdict === 'recovered') {
    const dry = r.dryRun ? ' (dry run)' : '';
    const state = r.state === 'failed' || r.state === 'orphaned' ? `, attack ${r.state.toUpperCase()}` : '';
    const reason = state && r.reason ? `; ${clip(r.reason, 60)}` : '';
    return `${link(r.id)} ${r.attack} on ${r.host} *${FLAGGED_VERDICT[r.verdict]}*${dry} at ${at}${state}${rollback} — ${clip(r.verdictDetail ?? 'no detail')}${reason}`;
  }
  const reason = r.reason ? ` — ${clip(r.reason)}` : '';
  return `${link(r.id)} ${r.attack} on ${r.host} *${r.state.toUpperCase()}* at ${at}${rollback}${reason}`;
}

function totalsLine(s: DaySummary): string {
  const t = s.totals;
  if (t.total === 0) return 'No attacks.';
  const parts = [`${t.completed} completed`, `${t.reverted} reverted`, `${t.failed} failed`, `${t.orphaned} orphaned`];
  if (t.cancelled) parts.push(`${t.cancelled} cancelled before touching a host`);
  if (t.unfinished) parts.push(`${t.unfinished} still in flight`);
  const dry = s.dryRuns ? ` (${s.dryRuns === t.total ? 'all' : s.dryRuns} dry run)` : '';
  return `*${plural(t.total, 'attack')}* on ${plural(s.byHost.length, 'host')}: ${parts.join(', ')}${dry}.${verdictsText(s)}`;
}

/** " Verdicts: 2 held, 1 recovered, 0 not recovered (1 dry run); median time to detect 8s, to recover 20s." */
function verdictsText(s: DaySummary): string {
  const v = s.totals.verdicts;
  if (v.held + v.recovered + v.notRecovered + v.unknown === 0) return '';
  const parts = [`${v.held} held`, `${v.recovered} recovered`, `${v.notRecovered} not recovered`];
  if (v.unknown) parts.push(`${v.unknown} unknown`);
  const dry = v.dry ? ` (${v.dry} dry run)` : '';
  const medians = `median time to detect ${medianText(s.totals.medianTtdMs)}, to recover ${medianText(s.totals.medianTtrMs)}`;
  return ` Verdicts: ${parts.join(', ')}${dry}; ${medians}.`;
}

function minutesLine(s: DaySummary): string {
  const m = s.minutes;
  if (m.open === 0) return '*Business hours:* none on this day.';
  const skipped = m.skipped.reduce((sum, r) => sum + r.minutes, 0);
  const why = m.skipped.map((r) => `${SKIP_LABELS[r.code] ?? r.code} ${minutes(r.minutes)}`).join(', ');
  const parts = [`attacks started in ${minutes(m.attacked)}`, `skipped ${minutes(skipped)}${why ? ` — ${why}` : ''}`];
  if (m.unrecorded > 0) parts.push(`no record (bot not running) ${minutes(m.unrecorded)}`);
  return `*Business hours (${minutes(m.open)}):* ${parts.join('; ')}.`;
}

function commandsLine(s: DaySummary): string | null {
  const ran = s.commands.filter((c) => c.outcome === 'ok' || (c.command === 'stop' && c.outcome === 'error'));
  const refused = s.commands.length - ran.length;
  if (s.commands.length === 0) return null;
  const parts = ['run-once', 'stop', 'start'].flatMap((command) => {
    const uses = ran.filter((c) => c.command === command);
    if (uses.length === 0) return [];
    return [`${command} ×${uses.length} (${[...new Set(uses.map((c) => who(c.actor)))].join(', ')})`];
  });
  if (refused > 0) parts.push(`${refused} refused or invalid`);
  return `*Commands:* ${parts.join(' · ')}`;
}
