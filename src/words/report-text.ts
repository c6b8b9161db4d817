/**
 * The daily report in words, from the day's summary (domain/report.ts): the chat's short form with
 * links to the archive, and the whole text the console and the archive show.
 */
import { monitoringGap } from '../domain/detection.js';
import { formatDuration } from '../domain/duration.js';
import type { AttackRecord } from '../domain/model.js';
import { type Band, type DaySummary, dayMode } from '../domain/report.js';
import { plural } from './common.js';
import { localTime, triggerText, who } from './format.js';
import { clip, medianText, SKIP_LABELS } from './report-block.js';
import { timeOfDay } from './tokens.js';

const MAX_LISTED = 5;

/** What the report says instead of, or beside, the day. */
export type ReportNote =
  | { readonly kind: 'not-a-date'; readonly wanted: string }
  | { readonly kind: 'not-begun'; readonly wanted: string; readonly timezone: string }
  | { readonly kind: 'capped'; readonly newest: number }
  | { readonly kind: 'no-chart'; readonly cause: string };

export function reportNoteText(n: ReportNote): string {
  switch (n.kind) {
    case 'not-a-date':
      return `Cannot report ${n.wanted}: not a date. Try \`report YYYY-MM-DD\`.`;
    case 'not-begun':
      return `Nothing to report for ${n.wanted}: the day has not begun in ${n.timezone}.`;
    case 'capped':
      return `(Only the newest ${n.newest} attacks are counted.)`;
    case 'no-chart':
      return `(The chart could not be drawn: ${n.cause}.)`;
  }
}

/**
 * The report as a chat shows it when the archive is on: the headline and totals, up to five
 * attacks that need a look, each linked to its page, and the link to the day's page for the rest.
 */
export function chatReport(s: DaySummary, tz: string, archive: string, notes: readonly string[]): string {
  const link = (id: string) => `<${archive}/attack/${encodeURIComponent(id)}|#${id}>`;
  const lines = [reportLines(s, tz)[0] as string, totalsLine(s)];
  if (s.flagged.length > 0) {
    lines.push(`*Needs a look (${s.flagged.length}):*`);
    for (const r of s.flagged.slice(0, MAX_LISTED)) lines.push(`${LIST_ITEM}${flagLine(r, tz, link)}`);
    if (s.flagged.length > MAX_LISTED) lines.push(`${LIST_ITEM}+${s.flagged.length - MAX_LISTED} more on the day's page`);
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

/**
 * How a report line says it is an item of the list under the line before: the chat shows it as it
 * is, the archive's page lays such lines out as a list (the one mark the layouts share).
 */
export const LIST_ITEM = '• ';

/** Failures first: they are what the team must act on. The rest in order of how often people ask. */
export function reportLines(s: DaySummary, tz: string): string[] {
  const day = localTime(s.day.start, tz, 'ccc yyyy-MM-dd');
  const lines = [`*ChaosCat report for ${day}* (${tz})${s.partial ? ' — so far' : ''}${modeText(s.attacks)}`];
  if (s.flagged.length > 0) {
    lines.push(`*Needs a look (${s.flagged.length}):*`);
    for (const r of s.flagged.slice(0, MAX_LISTED * 2)) lines.push(`${LIST_ITEM}${flagLine(r, tz)}`);
    if (s.flagged.length > MAX_LISTED * 2)
      lines.push(`${LIST_ITEM}+${s.flagged.length - MAX_LISTED * 2} more: \`history failed\``);
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

/** The title of the day's timeline chart, where it is attached. */
export function timelineTitle(date: string, timezone: string): string {
  return `ChaosCat timeline ${date} (${timezone})`;
}
