import type { CustomSeriesOption, CustomSeriesRenderItem, EChartsOption } from 'echarts';
import { DateTime } from 'luxon';
import type { AttackState } from '../../domain/model.js';
import type { Band, Timeline } from '../../domain/report.js';
import { endingSeries } from './ending-series.js';
import { FONT_FAMILY } from './font.js';
import { barExtent, type Frame, frameOf, viewName, viewOf } from './timeline-frame.js';
import { labelSeries, NOTE_FONT_SIZE, notLabelled, type TimelineLabels, timelineLabels } from './timeline-labels.js';
import { barHeight, type LegendItem, verdictSeries } from './verdict-series.js';

const HOUR = 3_600_000;
const DEFAULT_SIZE = { width: 1200, height: 500 };
/** Under the plot: the hour labels and the axis's name; then, when some attack has no name, the line listing those. */
const BOTTOM = 56;
const NOTE_LINE = 22;

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

/** One bar per attack on its host's row; a minimum width keeps a one-minute attack visible on a day-wide axis. data: [row, start, end]. */
const renderBar =
  (color: string): CustomSeriesRenderItem =>
  (params, api) => {
    const grid = params.coordSys as unknown as { x: number; y: number; width: number; height: number };
    const row = api.value(0);
    const start = api.coord([api.value(1), row]) as number[];
    const end = api.coord([api.value(2), row]) as number[];
    const rowHeight = (api.size?.([0, 1]) as number[] | undefined)?.[1] ?? 20;
    const height = barHeight(rowHeight);
    const { x, width } = barExtent(start[0] ?? grid.x, end[0] ?? grid.x, grid.x, grid.x + grid.width);
    return {
      type: 'rect',
      shape: { x, y: (start[1] ?? 0) - height / 2, width, height, r: 2 },
      style: { fill: color, stroke: 'rgba(0, 0, 0, 0.35)', lineWidth: 0.5 },
    };
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

/**
 * The names of the attacks, placed on the plot the option will have: if some find no room, the plot
 * gives up a line at its bottom for the list of those, and they are placed again on the shorter plot.
 */
function layout(
  t: Timeline,
  margins: { left: number; top: number },
  size: { width: number; height: number },
  rows: readonly string[],
): { frame: Frame; labels: TimelineLabels } {
  const row = new Map(rows.map((h, i) => [h, i]));
  const place = (bottom: number) => {
    const frame = frameOf({ ...margins, right: 30, bottom }, size, viewOf(t), rows.length);
    return { frame, labels: timelineLabels(t, frame, row) };
  };
  const roomy = place(BOTTOM);
  return roomy.labels.dropped.length === 0 ? roomy : place(BOTTOM + NOTE_LINE);
}

/** What the day holds, for the legend: bands, then outcomes, endings and verdicts. */
function legendOf(t: Timeline, present: readonly StateStyle[], extra: readonly LegendItem[]): (string | LegendItem)[] {
  const bands = (['open', 'unhealthy', 'halts', 'down'] as const).filter(
    (key) => (key === 'down' ? (t.down ?? []) : t[key]).length > 0,
  );
  return [...bands.map((key) => BAND_STYLE[key].name), ...present.map((s) => s.name), ...extra];
}

/** A line of words under the plot: "No attacks on this day" in the middle of an empty one, or the attacks left without a name. */
function notes(
  t: Timeline,
  labels: TimelineLabels,
  size: { width: number; height: number },
): NonNullable<EChartsOption['graphic']> {
  if (t.bars.length === 0) {
    const style = { text: 'No attacks on this day', fill: '#888', fontSize: 16, fontFamily: FONT_FAMILY };
    return [{ type: 'text', left: 'center', top: 'middle', style }];
  }
  const text = notLabelled(labels, t.day.timezone, size.width - 32);
  if (text === '') return [];
  return [
    {
      type: 'text',
      left: 16,
      top: size.height - NOTE_LINE + 2,
      style: { text, fill: '#555', fontSize: NOTE_FONT_SIZE, fontFamily: FONT_FAMILY },
    },
  ];
}

/**
 * x is milliseconds since the view's start, which is a whole local hour, so ticks fall on local
 * hours whatever the zone's offset; labels come from luxon in the zone (ECharts' time axis would use
 * the process's own zone). Its name says what it spans.
 */
function hourAxis(t: Timeline, view: { start: number; end: number }): EChartsOption['xAxis'] {
  const origin = view.start;
  return {
    type: 'value',
    min: 0,
    max: view.end - origin,
    interval: hourStep(view.end - origin),
    name: viewName(t),
    nameLocation: 'middle',
    nameGap: 30,
    nameTextStyle: { fontFamily: FONT_FAMILY, fontSize: 12, color: '#666' },
    splitLine: { show: true, lineStyle: { color: '#e6e6e6' } },
    axisLabel: {
      fontFamily: FONT_FAMILY,
      fontSize: 12,
      formatter: (value: number) =>
        origin + value >= t.day.end ? '24:00' : DateTime.fromMillis(origin + value, { zone: t.day.timezone }).toFormat('HH:mm'),
    },
  };
}

/**
 * The ECharts option for a day's timeline, laid out for a chart `width` × `height` pixels (the
 * legend wraps to the width, the names are placed on the plot). The legend lists only what the
 * day holds.
 */
export function timelineOption(
  t: Timeline,
  width: number = DEFAULT_SIZE.width,
  height: number = DEFAULT_SIZE.height,
): EChartsOption {
  const size = { width, height };
  const view = viewOf(t);
  const origin = view.start;
  const hosts = t.hosts.length ? [...t.hosts] : [NO_ATTACKS];
  const row = new Map(hosts.map((h, i) => [h, i]));
  const longest = Math.max(...hosts.map((h) => h.length));
  const left = Math.min(240, Math.max(70, longest * 7.5 + 24));
  const present = STATE_STYLE.filter((s) => t.bars.some((b) => s.states.includes(b.state)));
  const barSeries: CustomSeriesOption[] = present.map((s) => ({
    type: 'custom',
    name: s.name,
    z: 10,
    silent: true,
    itemStyle: { color: s.color },
    renderItem: renderBar(s.color),
    encode: { x: [1, 2], y: 0 },
    data: t.bars.filter((b) => s.states.includes(b.state)).map((b) => [row.get(b.host) ?? 0, b.start - origin, b.end - origin]),
  }));
  const verdicts = verdictSeries(t.bars, row, origin);
  const endings = endingSeries(t.bars, row, origin);
  const legend = legendOf(t, present, [...endings.legend, ...verdicts.legend]);
  const names = legend.map((item) => (typeof item === 'string' ? item : item.name));
  const top = 72 + (legendLines(names, width) - 1) * LEGEND.lineHeight;
  const { frame, labels } = layout(t, { left, top }, size, hosts);
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
    grid: { left, right: width - frame.grid.x - frame.grid.width, top, bottom: height - frame.grid.y - frame.grid.height },
    xAxis: hourAxis(t, view),
    yAxis: {
      type: 'category',
      data: hosts,
      inverse: true,
      axisTick: { show: false },
      splitLine: { show: true, lineStyle: { color: '#f0f0f0' } },
      axisLabel: { fontFamily: FONT_FAMILY, fontSize: 12, color: '#333' },
    },
    graphic: notes(t, labels, size),
    series: [
      bandSeries('open', t.open, origin),
      bandSeries('halts', t.halts, origin),
      bandSeries('unhealthy', t.unhealthy, origin),
      bandSeries('down', t.down ?? [], origin),
      ...barSeries,
      ...endings.series,
      ...verdicts.series,
      ...labelSeries(labels, row, origin, (b) => STATE_STYLE.find((s) => s.states.includes(b.state))?.color ?? '#333'),
    ],
  };
}
