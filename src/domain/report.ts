import { type BusinessHours, isOpen, openSpansOn } from './business-hours.js';
import { type AttackRecord, failingText, type HealthReport, type SkipCode } from './model.js';
import { failingOf } from './policy.js';
import { downBands, haltBands, isUnhealthy, unhealthyBands, within } from './report-bands.js';
import { type AttackBar, bar, endingOf } from './report-bars.js';
import type { Band, LocalDay, ReportAudit, ReportTick } from './report-day.js';
import { groupTally, needsALook, type Tally, tally } from './report-tally.js';

export { downBands } from './report-bands.js';
export type { AttackBar, AttackEnding, VerdictSpan } from './report-bars.js';
export { endingOf } from './report-bars.js';
export type { Band, LocalDay, ReportAudit, ReportTick } from './report-day.js';
export { localDay, previousDate } from './report-day.js';
export type { Tally, VerdictCounts } from './report-tally.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface DayInput {
  readonly day: LocalDay;
  readonly now: number;
  readonly hours: BusinessHours;
  /** Attacks created during the day. */
  readonly attacks: readonly AttackRecord[];
  /** Ticks of the day; a few from just before it let the first minutes be attributed. */
  readonly ticks: readonly ReportTick[];
  readonly health: readonly HealthReport[];
  readonly audit: readonly ReportAudit[];
}

export interface AutoAbort {
  readonly record: AttackRecord;
  /** The failing checks: "api: HTTP 500; prom: 2 alerts firing". */
  readonly failing: string;
}

export interface SkipMinutes {
  readonly code: SkipCode;
  readonly minutes: number;
  /** The most frequent reason, to show what the code meant that day. */
  readonly example: string;
}

/** Business-hours minutes, each attributed to the tick that covered it. */
export interface BusinessMinutes {
  /** Business-hours minutes of the day (up to now, for today). */
  readonly open: number;
  /** Minutes whose tick started an attack. */
  readonly attacked: number;
  /** Largest first. */
  readonly skipped: readonly SkipMinutes[];
  /** Minutes no tick covered: the bot was not running. */
  readonly unrecorded: number;
}

/** Whether the day's attacks touched hosts: from each attack's own record, never from today's config. */
export type DayMode = 'none' | 'dry' | 'live' | 'mixed';

export function dayMode(attacks: readonly Pick<AttackRecord, 'dryRun'>[]): DayMode {
  if (attacks.length === 0) return 'none';
  const dry = attacks.filter((a) => a.dryRun).length;
  return dry === attacks.length ? 'dry' : dry === 0 ? 'live' : 'mixed';
}

/** What the chart draws. */
export interface Timeline {
  readonly day: LocalDay;
  readonly hosts: readonly string[];
  readonly bars: readonly AttackBar[];
  readonly unhealthy: readonly Band[];
  readonly halts: readonly Band[];
  readonly open: readonly Band[];
  /** No tick for longer than a few tick intervals: the bot was not running. Absent: not known. */
  readonly down?: readonly Band[];
}

export interface DaySummary {
  readonly day: LocalDay;
  /** The day is not over yet. */
  readonly partial: boolean;
  /** Oldest first. */
  readonly attacks: readonly AttackRecord[];
  readonly totals: Tally;
  readonly dryRuns: number;
  readonly byAttack: readonly Tally[];
  readonly byHost: readonly Tally[];
  /** What a team must look at: not recovered, recovered, then failed, orphaned and unconfirmed (see needsALook). */
  readonly flagged: readonly AttackRecord[];
  readonly autoAborts: readonly AutoAbort[];
  readonly minutes: BusinessMinutes;
  /** run-once, stop and start, in order. */
  readonly commands: readonly ReportAudit[];
  readonly timeline: Timeline;
}

const REPORTED_COMMANDS = new Set(['run-once', 'stop', 'start']);

/**
 * The report's numbers for one local day. For today (`now` before the day ends) everything stops at
 * `now`: nothing is counted or drawn in the future.
 */
export function summarizeDay(input: DayInput): DaySummary {
  const { day } = input;
  const limit = Math.max(day.start, Math.min(day.end, input.now));
  const attacks = [...input.attacks].sort((a, b) => a.createdAt - b.createdAt || Number(a.id) - Number(b.id));
  const ticks = [...input.ticks].sort((a, b) => a.at - b.at);
  const span = tickSpan(ticks);
  const health = [...input.health].sort((a, b) => a.checkedAt - b.checkedAt);
  const audit = [...input.audit].sort((a, b) => a.at - b.at);
  const unhealthy = unhealthyBands(health, span, day, limit);
  const { minutes, open } = businessMinutes(input, ticks, span, limit);
  const bars = attacks.map((r) => bar(r, limit));
  const halts = haltBands(audit, ticks, span, day, limit);
  return {
    day,
    partial: input.now < day.end,
    attacks,
    totals: tally('all', attacks),
    dryRuns: attacks.filter((r) => r.dryRun).length,
    byAttack: groupTally(attacks, (r) => r.attack),
    byHost: groupTally(attacks, (r) => r.host),
    flagged: needsALook(attacks),
    autoAborts: attacks.filter((r) => endingOf(r) === 'aborted').map((r) => autoAbort(r, health, limit)),
    minutes,
    commands: audit.filter((e) => REPORTED_COMMANDS.has(e.command)),
    timeline: {
      day,
      hosts: [...new Set(attacks.map((r) => r.host))].sort(),
      bars,
      unhealthy,
      halts,
      open,
      down: within(downBands(ticks, span, day, limit), open),
    },
  };
}

/** How long one tick's outcome stands for: the typical gap between ticks, at least a minute, at most an hour. */
function tickSpan(ticks: readonly ReportTick[]): number {
  const gaps = ticks.slice(1).map((t, i) => t.at - (ticks[i]?.at ?? t.at));
  if (gaps.length === 0) return MINUTE;
  const median = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)] ?? MINUTE;
  return Math.min(HOUR, Math.max(MINUTE, median));
}

function businessMinutes(
  input: DayInput,
  ticks: readonly ReportTick[],
  span: number,
  limit: number,
): { minutes: BusinessMinutes; open: Band[] } {
  const open: Band[] = [];
  const skipped = new Map<SkipCode, { minutes: number; reasons: Map<string, number> }>();
  let openMinutes = 0;
  let attacked = 0;
  let unrecorded = 0;
  let next = 0;
  let last: ReportTick | undefined;
  // Every minute of the day has its date in its zone: there, isOpen(m) is "inside one of these spans".
  const spans = input.hours.timezone === input.day.timezone ? openSpansOn(input.day.date, input.hours) : null;
  for (let m = input.day.start; m < input.day.end; m += MINUTE) {
    if (!(spans ? spans.some((s) => m >= s.open && m < s.close) : isOpen(m, input.hours))) continue;
    const band = open.at(-1);
    if (band && band.end === m) open[open.length - 1] = { ...band, end: m + MINUTE };
    else open.push({ start: m, end: m + MINUTE, label: 'business hours' });
    if (m >= limit) continue;
    openMinutes++;
    while (next < ticks.length && (ticks[next]?.at ?? Number.POSITIVE_INFINITY) < m + MINUTE) last = ticks[next++];
    // A tick speaks for the minute it fell in and the span after it; cron jitter does not stretch it.
    if (!last || last.at - (last.at % MINUTE) + span <= m) {
      unrecorded++;
    } else if (last.outcome.kind === 'attacked') {
      attacked++;
    } else {
      const entry = skipped.get(last.outcome.code) ?? { minutes: 0, reasons: new Map<string, number>() };
      entry.minutes++;
      entry.reasons.set(last.outcome.reason, (entry.reasons.get(last.outcome.reason) ?? 0) + 1);
      skipped.set(last.outcome.code, entry);
    }
  }
  const rows = [...skipped].map(([code, e]) => ({
    code,
    minutes: e.minutes,
    example: [...e.reasons].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '',
  }));
  rows.sort((a, b) => b.minutes - a.minutes || a.code.localeCompare(b.code));
  return { minutes: { open: openMinutes, attacked, skipped: rows, unrecorded }, open };
}

/**
 * The failing checks: from the unhealthy check that triggered the abort, else from the ending's data
 * (the attack's own probes for a deviation; what the ears said for deafness).
 */
function autoAbort(r: AttackRecord, health: readonly HealthReport[], limit: number): AutoAbort {
  const from = r.startedAt ?? r.createdAt;
  const to = r.endedAt ?? limit;
  const check = health.filter((h) => h.checkedAt >= from && h.checkedAt <= to && isUnhealthy(h)).at(-1);
  if (check) return { record: r, failing: failingText(failingOf(check)) };
  const e = r.ending;
  const failing =
    e?.kind === 'health' || e?.kind === 'deviation' ? e.failing : e?.kind === 'deaf' ? `could not hear stop (${e.why})` : '';
  return { record: r, failing: failing || 'health unknown' };
}
