/** How an attack was cut short, marked where its bar ends: a square for a `stop`, a triangle for the health gate. */
import type { CustomSeriesOption, CustomSeriesRenderItem } from 'echarts';
import type { AttackBar, AttackEnding } from '../../domain/report.js';
import { barHeight, type LegendItem, markSeries } from './verdict-series.js';

export const ENDING_STYLE: Readonly<Record<AttackEnding, { name: string; color: string; icon: string }>> = {
  stopped: { name: 'stopped (stop)', color: '#303030', icon: 'rect' },
  aborted: { name: 'aborted (health gate)', color: '#d14a00', icon: 'triangle' },
};

/** data: [row, end]: the mark sits on the bar's right edge, as tall as the bar. */
const renderEnding =
  (ending: AttackEnding): CustomSeriesRenderItem =>
  (params, api) => {
    const grid = params.coordSys as unknown as { x: number; width: number };
    const [x0 = grid.x, y = 0] = api.coord([api.value(1), api.value(0)]) as number[];
    const x = Math.min(grid.x + grid.width, Math.max(grid.x, x0));
    const rowHeight = (api.size?.([0, 1]) as number[] | undefined)?.[1] ?? 20;
    const h = Math.max(6, barHeight(rowHeight) * 0.7);
    const { color } = ENDING_STYLE[ending];
    const style = { fill: color, stroke: '#ffffff', lineWidth: 1 };
    if (ending === 'stopped') return { type: 'rect', shape: { x: x - h / 2, y: y - h / 2, width: h, height: h }, style };
    return {
      type: 'polygon',
      shape: {
        points: [
          [x - h / 2, y + h / 2],
          [x + h / 2, y + h / 2],
          [x, y - h / 2],
        ],
      },
      style,
    };
  };

/** One series per ending present on the day, so the legend lists only what the day holds. */
export function endingSeries(
  bars: readonly AttackBar[],
  row: ReadonlyMap<string, number>,
  origin: number,
): { series: CustomSeriesOption[]; legend: LegendItem[] } {
  const legend: LegendItem[] = [];
  const series = (['stopped', 'aborted'] as const).flatMap((ending) =>
    markSeries(
      legend,
      { ...ENDING_STYLE[ending], z: 13 },
      { renderItem: renderEnding(ending), encode: { x: 1, y: 0 } },
      bars.filter((b) => b.ending === ending).map((b) => [row.get(b.host) ?? 0, b.end - origin]),
    ),
  );
  return { series, legend };
}
