import type { CustomSeriesOption, CustomSeriesRenderItem, EChartsOption } from 'echarts';
import { DateTime } from 'luxon';
import type { AttackState } from '../../domain/model.js';
import type { AttackBar, Band, Timeline } from '../../domain/report.js';
import { endingSeries } from './ending-series.js';
import { barHeight, type LegendItem, MARK_GAP, MARK_RADIUS, markAt, verdictSeries } from './verdict-series.js';

/** First family found wins; resvg skips text quietly when none is installed. */
export const FONT_FAMILY = 'DejaVu Sans, Liberation Sans, Noto Sans, Arial, Helvetica, sans-serif';

const HOUR = 3_600_000;
const DEFAULT_WIDTH = 1200;
/** A two-minute attack on a day-wide axis is still a bar you can see and point at. */
const MIN_BAR_PX = 8;
/** Rough width of a label character at fontSize 11, to shorten a label that would run into the next bar. */
const LABEL_CHAR_PX = 6.2;

/** Colours people already read: green done, blue reverted, red failed. */
interface StateStyle {
  readonly name: string;
  readonly states: readonly AttackState[];
  readonly color: string;
}

const STATE_STYLE: readonly StateStyle[] = [
  { name: 'completed', states: ['completed'], color: '#3ba272' },
  { name: 'reverted', states: ['reverted'], color: '#5470c6' },
  { name: 'failed', states: ['failed'], color: '#e03c3c' },
  { name: 'orphaned', states: ['orphaned'], color: '#9a60b4' },
  { name: 'cancelled', states: ['cancelled'], color: '#b0b0b0' },
  { name: 'in flight', states: ['pending', 'running', 'aborting'], color: '#fc8452' },
];

const BAND_STYLE = {
  open: { name: 'business hours', color: 'rgba(84, 112, 198, 0.07)', legend: '#e3e8f6', z: 1 },
  halts: { name: 'halted', color: 'rgba(60, 60, 60, 0.22)', legend: '#b0b0b0', z: 2 },
  unhealthy: { name: 'health gate failing', color: 'rgba(238, 102, 102, 0.28)', legend: '#f4b1b1', z: 3 },
  down: { name: 'bot not running', color: 'rgba(120, 120, 120, 0.30)', legend: '#c8c8c8', z: 4 },
} as const;

const NO_ATTACKS = '(no attacks)';

/** Full-height bands over the grid, from x = data[0] to data[1]. */
const renderBand =
  (color: string): CustomSeriesRenderItem =>
  (params, api) => {
    const grid = params.coordSys as unknown as { x: number; y: number; width: number; height: number };
    const x1 = Math.max(grid.x, (api.coord([api.value(0), 0]) as number[])[0] ?? grid.x);
    const x2 = Math.min(grid.x + grid.width, (api.coord([api.value(1), 0]) as number[])[0] ?? grid.x);
    if (x2 <= x1) return null;
    return {
      type: 'rect',
      shape: { x: x1, y: grid.y, width: Math.max(1, x2 - x1), height: grid.height },
      style: { fill: color },
    };
  };

/**
 * One bar per attack on its host's row, named after it; a minimum width keeps a one-minute attack
 * visible on a day-wide axis. data: [row, start, end, labelAfter, marked, nextStart]: a label starts
 * after the bar, its detect → recover span and its verdict mark; one that would run into the next
 * bar on its row shortens to the attack's number.
 */
const renderBar =
  (color: string, labels: readonly { long: string; short: string }[]): CustomSeriesRenderItem =>
  (params, api) => {
    const grid = params.coordSys as unknown as { x: number; y: number; width: number; height: number };
    const row = api.value(0);
    const start = api.coord([api.value(1), row]) as number[];
    const end = api.coord([api.value(2), row]) as number[];
    const rowHeight = (api.size?.([0, 1]) as number[] | undefined)?.[1] ?? 20;
    const height = barHeight(rowHeight);
    const x1 = Math.max(grid.x, start[0] ?? grid.x);
    const x2 = Math.min(grid.x + grid.width, end[0] ?? grid.x);
    const width = Math.max(MIN_BAR_PX, x2 - x1);
    const y = (start[1] ?? 0) - height / 2;
    const rect = {
      type: 'rect' as const,
      shape: { x: x1, y, width, height, r: 2 },
      style: { fill: color, stroke: 'rgba(0, 0, 0, 0.35)', lineWidth: 0.5 },
    };
    const label = labels?.[params.dataIndex];
    if (!label) return rect;
    const after = Math.max(x1 + width, (api.coord([api.value(3), row]) as number[])[0] ?? 0);
    const x = after + 4 + (api.value(4) === 1 ? MARK_GAP + MARK_RADIUS + 2 : 0);
    const next = Number(api.value(5));
    const room = Number.isFinite(next) ? ((api.coord([next, row]) as number[])[0] ?? Infinity) - x - 4 : grid.x + grid.width - x;
    const fits = label.long.length * LABEL_CHAR_PX <= room;
    const text = {
      type: 'text' as const,
      x,
      y: start[1] ?? 0,
      style: {
        text: fits ? label.long : label.short,
        fill: color,
        fontSize: 11,
        fontFamily: FONT_FAMILY,
        verticalAlign: 'middle' as const,
      },
    };
    return { type: 'group', children: [rect, text] };
  };

function bandSeries(key: keyof typeof BAND_STYLE, bands: readonly Band[], origin: number): CustomSeriesOption {
  const style = BAND_STYLE[key];
  return {
    type: 'custom',
    name: style.name,
    z: style.z,
    silent: true,
    itemStyle: { color: style.legend },
    renderItem: renderBand(style.color),
    encode: { x: [0, 1] },
    data: bands.map((b) => [b.start - origin, b.end - origin]),
  };
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

/** Hour ticks for short views, two-hourly or more for long ones, so labels never collide. */
function hourStep(spanMs: number): number {
  const hours = spanMs / HOUR;
  if (hours <= 14) return HOUR;
  if (hours <= 26) return 2 * HOUR;
  return 3 * HOUR;
}

/** ECharts wraps a horizontal legend onto lines `itemGap` apart, so each extra line costs about 30 px of plot. */
const LEGEND = { right: 16, itemWidth: 18, itemGap: 18, lineHeight: 30, fontSize: 12 } as const;
/** Room left of the legend for the title. */
const TITLE_WIDTH = 320;

/** Lines the legend wraps onto at this width; text measured roughly (ECharts wraps the same way, item by item). */
function legendLines(names: readonly string[], width: number): number {
  const room = Math.max(200, width - TITLE_WIDTH - LEGEND.right);
  let lines = 1;
  let used = 0;
  for (const name of names) {
    const item = LEGEND.itemWidth + 5 + name.length * LEGEND.fontSize * 0.6;
    if (used > 0 && used + item > room) {
      lines++;
      used = 0;
    }
    used += item + LEGEND.itemGap;
  }
  return lines;
}

function labelled(b: AttackBar, origin: number, row: number, next: number): number[] {
  return [row, b.start - origin, b.end - origin, markAt(b) - origin, b.verdict ? 1 : 0, next - origin];
}

/** The start of the next bar on the same row, or Infinity. */
function nextOnRow(t: Timeline): Map<AttackBar, number> {
  const next = new Map<AttackBar, number>();
  const byStart = [...t.bars].sort((a, b) => a.start - b.start);
  // From the last bar back: the bar after this one on its row is the last one seen on that row.
  const seen = new Map<string, number>();
  for (let i = byStart.length - 1; i >= 0; i--) {
    const b = byStart[i] as AttackBar;
    next.set(b, seen.get(b.host) ?? Number.POSITIVE_INFINITY);
    seen.set(b.host, b.start);
  }
  return next;
}

/** "#4 cpu-burn (dry) stopped": what the report's lines call it. */
export function barLabel(b: AttackBar): { long: string; short: string } {
  const dry = b.dryRun ? ' (dry)' : '';
  const how = b.state === 'failed' || b.state === 'orphaned' ? ` ${b.state.toUpperCase()}` : b.ending ? ` ${b.ending}` : '';
  return { long: `#${b.id} ${b.attack}${dry}${how}`, short: `#${b.id}` };
}

/**
 * The ECharts option for a day's timeline, for a chart `width` pixels wide (the legend wraps to
 * it). x is milliseconds since the view's start, which is a whole local hour, so ticks fall on
 * local hours whatever the zone's offset; labels come from luxon in the zone (ECharts' time axis
 * would use the process's own zone). The legend lists only what the day holds.
 */
export function timelineOption(t: Timeline, width: number = DEFAULT_WIDTH): EChartsOption {
  const view = viewOf(t);
  const origin = view.start;
  const hosts = t.hosts.length ? [...t.hosts] : [NO_ATTACKS];
  const row = new Map(hosts.map((h, i) => [h, i]));
  const longest = Math.max(...hosts.map((h) => h.length));
  const left = Math.min(240, Math.max(70, longest * 7.5 + 24));
  const present = STATE_STYLE.filter((s) => t.bars.some((b) => s.states.includes(b.state)));
  const next = nextOnRow(t);
  const barSeries: CustomSeriesOption[] = present.map((s) => {
    const bars = t.bars.filter((b) => s.states.includes(b.state));
    return {
      type: 'custom',
      name: s.name,
      z: 10,
      silent: true,
      itemStyle: { color: s.color },
      renderItem: renderBar(s.color, bars.map(barLabel)),
      encode: { x: [1, 2], y: 0 },
      data: bars.map((b) => labelled(b, origin, row.get(b.host) ?? 0, next.get(b) ?? Number.POSITIVE_INFINITY)),
    };
  });
  const verdicts = verdictSeries(t.bars, row, origin);
  const endings = endingSeries(t.bars, row, origin);
  const down = t.down ?? [];
  const bands = (['open', 'unhealthy', 'halts', 'down'] as const).filter((key) => (key === 'down' ? down : t[key]).length > 0);
  const legend: (string | LegendItem)[] = [
    ...bands.map((key) => BAND_STYLE[key].name),
    ...present.map((s) => s.name),
    ...endings.legend,
    ...verdicts.legend,
  ];
  const names = legend.map((item) => (typeof item === 'string' ? item : item.name));
  const top = 72 + (legendLines(names, width) - 1) * LEGEND.lineHeight;
  const title = DateTime.fromMillis(t.day.start, { zone: t.day.timezone }).toFormat('ccc d LLL yyyy');
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: FONT_FAMILY },
    title: {
      text: `ChaosCat — ${title}`,
      subtext: `time of day in ${t.day.timezone}`,
      left: 16,
      top: 10,
      textStyle: { fontFamily: FONT_FAMILY, fontSize: 18 },
      subtextStyle: { fontFamily: FONT_FAMILY, fontSize: 12 },
    },
    legend: {
      top: 16,
      right: LEGEND.right,
      width: Math.max(200, width - TITLE_WIDTH - LEGEND.right),
      itemWidth: LEGEND.itemWidth,
      itemHeight: 10,
      itemGap: LEGEND.itemGap,
      textStyle: { fontFamily: FONT_FAMILY, fontSize: LEGEND.fontSize },
      data: legend,
    },
    grid: { left, right: 30, top, bottom: 44 },
    xAxis: {
      type: 'value',
      min: 0,
      max: view.end - origin,
      interval: hourStep(view.end - origin),
      splitLine: { show: true, lineStyle: { color: '#e6e6e6' } },
      axisLabel: {
        fontFamily: FONT_FAMILY,
        fontSize: 12,
        formatter: (value: number) =>
          origin + value >= t.day.end ? '24:00' : DateTime.fromMillis(origin + value, { zone: t.day.timezone }).toFormat('HH:mm'),
      },
    },
    yAxis: {
      type: 'category',
      data: hosts,
      inverse: true,
      axisTick: { show: false },
      splitLine: { show: true, lineStyle: { color: '#f0f0f0' } },
      axisLabel: { fontFamily: FONT_FAMILY, fontSize: 12, color: '#333' },
    },
    graphic:
      t.bars.length === 0
        ? [
            {
              type: 'text',
              left: 'center',
              top: 'middle',
              style: { text: 'No attacks on this day', fill: '#888', fontSize: 16, fontFamily: FONT_FAMILY },
            },
          ]
        : [],
    series: [
      bandSeries('open', t.open, origin),
      bandSeries('halts', t.halts, origin),
      bandSeries('unhealthy', t.unhealthy, origin),
      bandSeries('down', down, origin),
      ...barSeries,
      ...endings.series,
      ...verdicts.series,
    ],
  };
}
