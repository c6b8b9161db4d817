/** The verdict of each attack on the timeline: a mark after its bar, and the detect → recover span under it. */
import type { CustomSeriesOption, CustomSeriesRenderItem } from 'echarts';
import type { VerdictKindStored } from '../../domain/model.js';
import type { AttackBar } from '../../domain/report.js';
import { LABEL_STYLE } from './label-placement.js';

/** Green held, amber recovered, red not recovered: a traffic light, read at a glance. */
export const VERDICT_STYLE: Readonly<Record<VerdictKindStored, { readonly name: string; readonly color: string }>> = {
  held: { name: 'held', color: '#2e9e5b' },
  recovered: { name: 'recovered', color: '#e6a700' },
  'not-recovered': { name: 'not recovered', color: '#c81e1e' },
  unknown: { name: 'verdict unknown', color: '#8c8c8c' },
};

/** A recovered span ends where the steady state held again; an open one was still failing at the verdict. */
export const SPAN_STYLE = {
  closed: {
    name: 'detect → recover',
    color: VERDICT_STYLE.recovered.color,
    icon: 'path://M0,0H2V4H18V0H20V10H18V6H2V10H0Z',
  },
  open: {
    name: 'detect → still failing',
    color: VERDICT_STYLE['not-recovered'].color,
    icon: 'path://M0,0H2V4H14V1L20,5L14,9V6H2V10H0Z',
  },
} as const;

/** A legend entry whose icon looks like what is drawn. */
export interface LegendItem {
  readonly name: string;
  readonly icon: string;
}

/**
 * One kind of mark drawn over the bars, as a silent custom series with its legend entry (pushed
 * onto `legend`): none, and no entry, when the day has no such mark.
 */
export function markSeries(
  legend: LegendItem[],
  look: LegendItem & { readonly color: string; readonly z: number },
  draw: Pick<CustomSeriesOption, 'renderItem' | 'encode'>,
  data: number[][],
): CustomSeriesOption[] {
  if (data.length === 0) return [];
  legend.push({ name: look.name, icon: look.icon });
  return [{ type: 'custom', name: look.name, z: look.z, silent: true, itemStyle: { color: look.color }, ...draw, data }];
}

const DRY_NAME = 'dry run (probes only)';
const VERDICT_ORDER: readonly VerdictKindStored[] = ['held', 'recovered', 'not-recovered', 'unknown'];
export const MARK_RADIUS = 5;
/** From the end of a bar (or of its span, if later) to the centre of its mark. */
export const MARK_GAP = 8;
const MIN_SPAN_PX = 3;

interface Grid {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * The height the bars use on a row, so marks and spans sit with them: 26 px, or less on a crowded
 * chart so that a lane of names still fits above the bar (label-placement.ts).
 */
export function barHeight(rowHeight: number): number {
  const leavingALane = rowHeight - 2 * (LABEL_STYLE.lane + 3);
  return Math.min(26, Math.max(4, leavingALane >= 14 ? leavingALane : rowHeight * 0.6));
}

/** Where a bar's verdict mark goes: after the bar, or after its span when the recovery came later. */
export function markAt(b: AttackBar): number {
  return Math.max(b.end, b.span?.end ?? b.end);
}

/** data: [row, at, dry]; a dry-run verdict is a hollow ring (the probes ran, nothing was attacked). */
const renderMark =
  (color: string): CustomSeriesRenderItem =>
  (params, api) => {
    const grid = params.coordSys as unknown as Grid;
    const [x = grid.x, y = 0] = api.coord([api.value(1), api.value(0)]) as number[];
    const dry = api.value(2) === 1;
    return {
      type: 'circle',
      shape: { cx: Math.min(grid.x + grid.width - MARK_RADIUS, x + MARK_GAP), cy: y, r: MARK_RADIUS },
      style: dry ? { fill: '#ffffff', stroke: color, lineWidth: 2 } : { fill: color, stroke: '#ffffff', lineWidth: 1 },
    };
  };

/** data: [row, start, end]: a line just under the bar, a tick at the detection and, unless open, at the recovery. */
const renderSpan =
  (color: string, open: boolean): CustomSeriesRenderItem =>
  (params, api) => {
    const grid = params.coordSys as unknown as Grid;
    const row = api.value(0);
    const [from = grid.x, center = 0] = api.coord([api.value(1), row]) as number[];
    const [to = grid.x] = api.coord([api.value(2), row]) as number[];
    const rowHeight = (api.size?.([0, 1]) as number[] | undefined)?.[1] ?? 20;
    const y = center + barHeight(rowHeight) / 2 + 4;
    const x1 = Math.max(grid.x, from);
    const x2 = Math.min(grid.x + grid.width, Math.max(to, x1 + MIN_SPAN_PX));
    const stroke = { stroke: color, lineWidth: 2 };
    const tick = (x: number) => ({ type: 'line' as const, shape: { x1: x, y1: y - 4, x2: x, y2: y + 4 }, style: stroke });
    const end = open
      ? {
          type: 'polygon' as const,
          shape: {
            points: [
              [x2, y - 4],
              [x2 + 6, y],
              [x2, y + 4],
            ],
          },
          style: { fill: color },
        }
      : tick(x2);
    return {
      type: 'group',
      children: [{ type: 'line', shape: { x1, y1: y, x2, y2: y }, style: stroke }, tick(x1), end],
    };
  };

/**
 * One series per verdict kind and span kind present on the day, so the legend lists only what the
 * day holds. x values are milliseconds since `origin`; `row` maps a host to its row.
 */
export function verdictSeries(
  bars: readonly AttackBar[],
  row: ReadonlyMap<string, number>,
  origin: number,
): { series: CustomSeriesOption[]; legend: LegendItem[] } {
  const legend: LegendItem[] = [];
  const rowOf = (b: AttackBar) => row.get(b.host) ?? 0;
  const marks = VERDICT_ORDER.flatMap((kind) => {
    const style = VERDICT_STYLE[kind];
    return markSeries(
      legend,
      { name: style.name, icon: 'circle', color: style.color, z: 12 },
      { renderItem: renderMark(style.color), encode: { x: 1, y: 0 } },
      bars.filter((b) => b.verdict === kind).map((b) => [rowOf(b), markAt(b) - origin, b.dryRun ? 1 : 0]),
    );
  });
  const spans = (['closed', 'open'] as const).flatMap((kind) => {
    const style = SPAN_STYLE[kind];
    return markSeries(
      legend,
      { ...style, z: 11 },
      { renderItem: renderSpan(style.color, kind === 'open'), encode: { x: [1, 2], y: 0 } },
      bars
        .filter((b) => b.span && b.span.open === (kind === 'open'))
        .map((b) => [rowOf(b), (b.span?.start ?? b.start) - origin, (b.span?.end ?? b.end) - origin]),
    );
  });
  // Only to explain the hollow rings in the legend: it draws nothing.
  const dry: CustomSeriesOption[] = bars.some((b) => b.verdict && b.dryRun)
    ? [{ type: 'custom', name: DRY_NAME, silent: true, itemStyle: { color: '#666666' }, renderItem: () => null, data: [] }]
    : [];
  if (dry.length) legend.push({ name: DRY_NAME, icon: 'emptyCircle' });
  return { series: [...marks, ...spans, ...dry], legend };
}
