/** The report's bands (unhealthy periods, halts) on one day's timeline. Pure. */
import { type HealthReport, isHealthy } from './model.js';
import type { Band, LocalDay, ReportAudit, ReportTick } from './report-day.js';

/** Bands closer than this are one band: cron ticks drift by a few milliseconds. */
const MERGE_SLACK_MS = 10_000;

export function isUnhealthy(h: HealthReport): boolean {
  return !isHealthy(h);
}

/** An unhealthy check holds until the next check, or for one tick span when no check follows. */
export function unhealthyBands(health: readonly HealthReport[], span: number, day: LocalDay, limit: number): Band[] {
  const raw: Band[] = [];
  health.forEach((h, i) => {
    if (!isUnhealthy(h)) return;
    const next = health[i + 1]?.checkedAt ?? Number.POSITIVE_INFINITY;
    const names = h.results.filter((r) => !r.healthy).map((r) => r.name);
    raw.push({ start: h.checkedAt, end: Math.min(next, h.checkedAt + span), label: names.join(', ') || 'health unknown' });
  });
  return mergeBands(raw, day.start, limit, (a, b) => [...new Set([...a.split(', '), ...b.split(', ')])].join(', '));
}

/** Whether an audit row halted or resumed the scheduler, from its action (rows from before it was kept: migration 015). */
function haltEffect(e: ReportAudit): 'halted' | 'resumed' | null {
  return e.action === 'halted' || e.action === 'resumed' ? e.action : null;
}

/**
 * When a halt that no `stop` row opened (a verdict, a fault or the database latched it, or it was
 * carried over from the day before) was first seen: the first tick skipped as halted after the last
 * tick that was not, before `until`. With no tick that day saw it, from the last tick that did not
 * (the halt came after it), else from the day's start. Never earlier than the evidence.
 */
function haltSeenFrom(ticks: readonly ReportTick[], until: number, dayStart: number): number {
  let from: number | null = null;
  let lastOther: number | null = null;
  for (const t of ticks) {
    if (t.at >= until) break;
    const halted = t.outcome.kind === 'skipped' && t.outcome.code === 'halted';
    if (halted) from ??= t.at;
    else {
      from = null;
      lastOther = t.at;
    }
  }
  return from ?? lastOther ?? dayStart;
}

/**
 * Halts from the audit log (stop … start, by each row's recorded action) and from ticks skipped as
 * halted, which also catch halts latched by the health gate and halts carried over from the day before.
 */
export function haltBands(
  audit: readonly ReportAudit[],
  ticks: readonly ReportTick[],
  span: number,
  day: LocalDay,
  limit: number,
): Band[] {
  const raw: Band[] = [];
  let open: { start: number; label: string; by: string } | null = null;
  for (const e of audit) {
    const effect = haltEffect(e);
    if (effect === 'halted') {
      // A person's stop, or a halt the bot latched itself (a verdict, the health gate, a fault).
      open ??= { start: e.at, label: e.command === 'halt' ? `halted by ${e.actor}` : `stop by ${e.actor}`, by: e.actor };
    } else if (effect === 'resumed') {
      raw.push(
        open
          ? { start: open.start, end: e.at, label: open.label, by: open.by }
          : { start: haltSeenFrom(ticks, e.at, day.start), end: e.at, label: 'halted' },
      );
      open = null;
    }
  }
  if (open) raw.push({ start: open.start, end: limit, label: open.label, by: open.by });
  for (const t of ticks) {
    if (t.outcome.kind === 'skipped' && t.outcome.code === 'halted')
      raw.push({ start: t.at, end: t.at + span, label: t.outcome.reason });
  }
  return mergeBands(raw, day.start, limit, (a) => a);
}

function mergeBands(raw: readonly Band[], from: number, to: number, label: (a: string, b: string) => string): Band[] {
  const clipped = raw
    .map((b) => ({ ...b, start: Math.max(b.start, from), end: Math.min(b.end, to) }))
    .filter((b) => b.end > b.start)
    .sort((a, b) => a.start - b.start);
  const out: Band[] = [];
  for (const b of clipped) {
    const prev = out.at(-1);
    if (prev && b.start <= prev.end + MERGE_SLACK_MS) {
      const merged = { start: prev.start, end: Math.max(prev.end, b.end), label: label(prev.label, b.label) };
      out[out.length - 1] = prev.by && merged.label === prev.label ? { ...merged, by: prev.by } : merged;
    } else {
      out.push(b);
    }
  }
  return out;
}

/**
 * The parts of `bands` inside `windows`. Down time is drawn within business hours only, where the
 * bot is expected to tick (a tick schedule may leave nights out), as the minutes line counts it.
 */
export function within(bands: readonly Band[], windows: readonly Band[]): Band[] {
  return bands.flatMap((b) =>
    windows.map((w) => ({ ...b, start: Math.max(b.start, w.start), end: Math.min(b.end, w.end) })).filter((x) => x.end > x.start),
  );
}

/** A gap between ticks this many tick intervals long is the bot not running (cron drift and a slow tick are not). */
const DOWN_AFTER_SPANS = 3;

/**
 * When the bot was not running (business hours aside): before its first tick of the day, between ticks further apart than
 * a few tick intervals, after its last. No ticks at all says nothing (they may have been pruned by
 * retention): no band is drawn from a guess.
 */
export function downBands(ticks: readonly ReportTick[], span: number, day: LocalDay, limit: number): Band[] {
  if (ticks.length === 0) return [];
  const label = 'bot not running';
  const gap = DOWN_AFTER_SPANS * span;
  const out: Band[] = [];
  const first = ticks[0] as ReportTick;
  if (first.at - day.start > gap) out.push({ start: day.start, end: first.at, label });
  let covered = first.at + span;
  for (const t of ticks.slice(1)) {
    if (t.at - covered > gap) out.push({ start: covered, end: t.at, label });
    covered = Math.max(covered, t.at + span);
  }
  if (limit - covered > gap) out.push({ start: covered, end: limit, label });
  return out
    .map((b) => ({ ...b, start: Math.max(b.start, day.start), end: Math.min(b.end, limit) }))
    .filter((b) => b.end > b.start);
}
