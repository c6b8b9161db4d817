/**
 * Where things fall on the timeline, in pixels: the plot, the hour axis and the host rows, computed
 * the way ECharts lays out the option's grid (a value axis from 0 to the view's length, a category
 * axis with a band per host), so what is placed here lines up with what ECharts draws.
 */
import { DateTime } from 'luxon';
import type { Timeline } from '../../domain/report.js';
import type { Box } from './label-placement.js';
import { barHeight, MARK_GAP, MARK_RADIUS, markAt } from './verdict-series.js';

/** A two-minute attack on a day-wide axis is still a bar you can see and point at. */
export const MIN_BAR_PX = 8;

export interface Frame {
  /** The plot area. */
  readonly grid: Box;
  /** Milliseconds at the plot's left edge, and across its width. */
  readonly origin: number;
  readonly span: number;
  readonly rows: number;
}

/** The grid's margins as ECharts takes them. */
export interface Margins {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

export function frameOf(
  margins: Margins,
  size: { width: number; height: number },
  view: { start: number; end: number },
  rows: number,
): Frame {
  return {
    grid: {
      x: margins.left,
      y: margins.top,
      width: size.width - margins.left - margins.right,
      height: size.height - margins.top - margins.bottom,
    },
    origin: view.start,
    span: view.end - view.start,
    rows: Math.max(1, rows),
  };
}

/** The x of a moment (milliseconds since the epoch); not clamped to the plot. */
export function xOf(frame: Frame, at: number): number {
  return frame.grid.x + ((at - frame.origin) / frame.span) * frame.grid.width;
}

/** The band of row `row` (the first row on top) and its bar's height. */
export function rowOf(frame: Frame, row: number): { top: number; height: number; middle: number; bar: number } {
  const height = frame.grid.height / frame.rows;
  const top = frame.grid.y + row * height;
  return { top, height, middle: top + height / 2, bar: barHeight(height) };
}

/** A bar from x1 to x2 (unclamped), clamped to the plot and at least MIN_BAR_PX wide. */
export function barExtent(x1: number, x2: number, left: number, right: number): { x: number; width: number } {
  const x = Math.max(left, x1);
  return { x, width: Math.max(MIN_BAR_PX, Math.min(right, x2) - x) };
}

/**
 * What an attack draws on its row, as a box: its bar, the ending mark on the bar's end, the verdict
 * mark after it and the detect → recover span under it (verdict-series.ts, ending-series.ts).
 */
export function bodyOf(frame: Frame, b: Timeline['bars'][number], row: number): Box {
  const { grid } = frame;
  const right = grid.x + grid.width;
  const { middle, bar } = rowOf(frame, row);
  const { x, width } = barExtent(xOf(frame, b.start), xOf(frame, b.end), grid.x, right);
  let end = x + width;
  if (b.ending) end = Math.max(end, Math.min(right, xOf(frame, b.end)) + Math.max(6, bar * 0.7) / 2);
  if (b.verdict) end = Math.max(end, Math.min(right - MARK_RADIUS, xOf(frame, markAt(b)) + MARK_GAP) + MARK_RADIUS + 1);
  // The span's line, ticks and arrow reach 8 px below the bar's edge plus the arrow's 6 px past its end.
  if (b.span) end = Math.max(end, Math.min(right, Math.max(xOf(frame, b.span.end), xOf(frame, b.span.start) + 3)) + 7);
  const bottom = middle + bar / 2 + (b.span ? 9 : 0);
  return { x, y: middle - bar / 2, width: end - x, height: bottom - (middle - bar / 2) };
}

/** Business hours and every attack, widened to whole local hours with an hour either side; the whole day if empty. */
export function viewOf(t: Timeline): { start: number; end: number } {
  const starts = [...t.open.map((b) => b.start), ...t.bars.map((b) => b.start)];
  const ends = [...t.open.map((b) => b.end), ...t.bars.map(markAt)];
  if (starts.length === 0) return { start: t.day.start, end: t.day.end };
  const zone = { zone: t.day.timezone };
  const start = DateTime.fromMillis(Math.min(...starts), zone)
    .startOf('hour')
    .minus({ hours: 1 });
  const last = DateTime.fromMillis(Math.max(...ends), zone);
  const end = (last.startOf('hour').equals(last) ? last : last.startOf('hour').plus({ hours: 1 })).plus({ hours: 1 });
  return { start: Math.max(t.day.start, start.toMillis()), end: Math.min(t.day.end, end.toMillis()) };
}

/** What the hour axis spans, in words: "business hours 09:00–17:00 (Europe/Berlin) and the attacks, an hour either side". */
export function viewName(t: Timeline): string {
  const hhmm = (at: number) => (at >= t.day.end ? '24:00' : DateTime.fromMillis(at, { zone: t.day.timezone }).toFormat('HH:mm'));
  const first = t.open[0];
  const last = t.open.at(-1);
  if (!first || !last)
    return t.bars.length ? 'the attacks, an hour either side (no business hours on this day)' : 'the whole day';
  const hours = `business hours ${hhmm(first.start)}–${hhmm(last.end)} (${t.day.timezone})`;
  return `${hours}${t.bars.length ? ' and the attacks' : ''}, an hour either side`;
}
