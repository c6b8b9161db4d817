import type { CustomSeriesOption, CustomSeriesRenderItem, EChartsOption } from 'echarts';

/**
 * A day of 500 attacks is some 1,700 shapes (bars, verdict rings, detect → recover spans), and
 * ECharts builds, styles and prints each as an element of its own: most of the time a day page
 * takes. Shapes of one series that look alike are one path: the same pixels, a fraction of the
 * work. Each custom series is drawn by one call of its renderItem, which calls the series' own
 * renderItem for every datum as ECharts would, then joins the rects, circles, lines and polygons
 * that share a style into one path. Text, and anything with more than a shape and a style (a
 * transform, a z level), is kept as it was.
 */
export function batchSeries(option: EChartsOption): EChartsOption {
  const series = option.series;
  if (!Array.isArray(series)) return option;
  return { ...option, series: series.map((s) => (s.type === 'custom' ? batched(s as CustomSeriesOption) : s)) };
}

type Element = Record<string, unknown> & { type?: string; shape?: Record<string, unknown>; style?: Record<string, unknown> };

function batched(series: CustomSeriesOption): CustomSeriesOption {
  const data = series.data as readonly (readonly number[])[] | undefined;
  const inner = series.renderItem as CustomSeriesRenderItem | undefined;
  if (!data || data.length === 0 || typeof inner !== 'function') return series;
  const { encode: _encode, ...rest } = series;
  const renderItem: CustomSeriesRenderItem = (params, api) => {
    const elements: Element[] = [];
    data.forEach((datum, i) => {
      const one = { ...api, value: (dim: number | string) => datum[Number(dim)] as number } as typeof api;
      flatten(inner({ ...params, dataIndex: i, dataIndexInside: i }, one) as Element | null, elements);
    });
    return { type: 'group', children: merge(elements) } as ReturnType<CustomSeriesRenderItem>;
  };
  return { ...rest, data: [[0]], renderItem };
}

function flatten(element: Element | null | undefined, out: Element[]): void {
  if (!element) return;
  const children = element.children as Element[] | undefined;
  if (element.type === 'group' && Object.keys(element).every((k) => k === 'type' || k === 'children')) {
    for (const child of children ?? []) flatten(child, out);
    return;
  }
  out.push(element);
}

/** Shapes with the same style, in order of first appearance, then everything kept as it was (text on top). */
function merge(elements: readonly Element[]): Element[] {
  const paths = new Map<string, { style: Record<string, unknown>; d: string[] }>();
  const kept: Element[] = [];
  for (const element of elements) {
    const d = Object.keys(element).every((k) => k === 'type' || k === 'shape' || k === 'style') ? pathOf(element) : null;
    if (d === null) {
      kept.push(element);
      continue;
    }
    const style = element.style ?? {};
    const key = JSON.stringify(style);
    const path = paths.get(key) ?? { style, d: [] };
    path.d.push(d);
    paths.set(key, path);
  }
  const merged = [...paths.values()].map(({ style, d }) => ({
    type: 'path',
    shape: { pathData: d.join('') },
    // A path is filled black unless told otherwise; a line or a ring had no fill.
    style: { fill: 'none', ...style },
  }));
  return [...merged, ...kept];
}

const n = (v: unknown): string => String(Math.round(Number(v) * 100) / 100);

/** The shape as SVG path data, or null for a shape this does not know. */
function pathOf(element: Element): string | null {
  const s = element.shape ?? {};
  switch (element.type) {
    case 'rect': {
      const [x, y, w, h] = [Number(s.x), Number(s.y), Number(s.width), Number(s.height)];
      const r = Math.min(Number(s.r ?? 0) || 0, w / 2, h / 2);
      if (r <= 0) return `M${n(x)} ${n(y)}h${n(w)}v${n(h)}h${n(-w)}Z`;
      const a = (dx: number, dy: number) => `a${n(r)} ${n(r)} 0 0 1 ${n(dx)} ${n(dy)}`;
      return `M${n(x + r)} ${n(y)}h${n(w - 2 * r)}${a(r, r)}v${n(h - 2 * r)}${a(-r, r)}h${n(-(w - 2 * r))}${a(-r, -r)}v${n(-(h - 2 * r))}${a(r, -r)}Z`;
    }
    case 'circle': {
      const [cx, cy, r] = [Number(s.cx), Number(s.cy), Number(s.r)];
      return `M${n(cx - r)} ${n(cy)}a${n(r)} ${n(r)} 0 1 0 ${n(2 * r)} 0a${n(r)} ${n(r)} 0 1 0 ${n(-2 * r)} 0Z`;
    }
    case 'line':
      return `M${n(s.x1)} ${n(s.y1)}L${n(s.x2)} ${n(s.y2)}`;
    case 'polygon': {
      const points = s.points as readonly (readonly number[])[] | undefined;
      if (!points || points.length === 0) return null;
      return `M${points.map(([x, y]) => `${n(x)} ${n(y)}`).join('L')}Z`;
    }
    default:
      return null;
  }
}
