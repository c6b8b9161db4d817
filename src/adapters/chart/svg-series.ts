import type { CustomSeriesOption, CustomSeriesRenderItem, EChartsOption } from 'echarts';
import { CodedError } from '../../ports/errors.js';

/**
 * A day of 500 attacks is some 1,700 shapes and 500 names. Handed to ECharts, each becomes a zrender
 * element that is laid out, measured and printed: most of the time a day page takes, even with the
 * shapes of one look joined into one path (zrender then parses that path back and prints it again).
 * So the custom series are drawn here, as plain SVG, from the very renderItem functions of the
 * option and the coordinates ECharts gives them (params.coordSys, api.coord, api.size): ECharts keeps
 * the axes, grid, title and legend; each custom series stays in the option with its name, z and
 * legend colour, but draws nothing itself. Its shapes go on top of ECharts' SVG in ECharts' order
 * (z, then series): rects, circles, lines and polygons that share a style as one path, text after.
 * An element this does not know is an error, never a shape silently missing.
 */
export interface OwnDrawing {
  /** The option to give ECharts. */
  readonly option: EChartsOption;
  /** ECharts' SVG with the custom series' shapes on top; call once ECharts has rendered. */
  readonly finish: (svg: string) => string;
}

export function drawCustomSeries(option: EChartsOption): OwnDrawing {
  const series = option.series;
  if (!Array.isArray(series)) return { option, finish: (svg) => svg };
  const layers: { z: number; index: number; svg: string }[] = [];
  const replaced = series.map((s, index) => {
    if (s.type !== 'custom') return s;
    const custom = s as CustomSeriesOption;
    const data = custom.data as readonly (readonly number[])[] | undefined;
    const inner = custom.renderItem as CustomSeriesRenderItem | undefined;
    if (!data || data.length === 0 || typeof inner !== 'function') return s;
    const { encode: _encode, ...rest } = custom;
    const renderItem: CustomSeriesRenderItem = (params, api) => {
      const elements: Element[] = [];
      // One api and one params for all the data, pointed at each datum in turn: 500 copies of each cost more than the drawing.
      let datum: readonly number[] = [];
      const one = { ...api, value: (dim: number | string) => datum[Number(dim)] as number } as typeof api;
      const each = { ...params };
      for (let i = 0; i < data.length; i++) {
        datum = data[i] ?? [];
        each.dataIndex = i;
        each.dataIndexInside = i;
        flatten(inner(each, one) as Element | null, elements);
      }
      const svg = toSvg(elements);
      const at = layers.findIndex((l) => l.index === index);
      if (at >= 0) layers.splice(at, 1);
      layers.push({ z: custom.z ?? 0, index, svg });
      return null;
    };
    return { ...rest, data: [[0]], renderItem } as CustomSeriesOption;
  });
  return {
    option: { ...option, series: replaced },
    finish: (svg) => {
      const own = [...layers]
        .sort((a, b) => a.z - b.z || a.index - b.index)
        .map((l) => l.svg)
        .filter((s) => s !== '')
        .join('\n');
      const end = svg.lastIndexOf('</svg>');
      if (end < 0 || own === '') return svg;
      return `${svg.slice(0, end)}${own}\n${svg.slice(end)}`;
    },
  };
}

type Element = Record<string, unknown> & { type?: string; shape?: Record<string, unknown>; style?: Record<string, unknown> };

export class SvgSeriesError extends CodedError<'CHART_ELEMENT'> {
  constructor(message: string) {
    super('CHART_ELEMENT', message);
  }
}

function flatten(element: Element | null | undefined, out: Element[]): void {
  if (!element) return;
  if (element.type === 'group') {
    if (!Object.keys(element).every((k) => k === 'type' || k === 'children'))
      throw new SvgSeriesError('a group with more than children (a transform, a z) cannot be drawn as plain SVG');
    for (const child of (element.children as Element[] | undefined) ?? []) flatten(child, out);
    return;
  }
  out.push(element);
}

/** Shapes with the same style as one path, in order of first appearance, then the texts (text on top). */
function toSvg(elements: readonly Element[]): string {
  const paths = new Map<string, { style: Record<string, unknown>; d: string[] }>();
  const texts: string[] = [];
  for (const element of elements) {
    for (const k in element)
      if (k !== 'type' && k !== 'shape' && k !== 'style' && k !== 'x' && k !== 'y')
        throw new SvgSeriesError(`a ${element.type} with ${k} cannot be drawn as plain SVG`);
    if (element.type === 'text') {
      const text = textOf(element);
      if (text !== '') texts.push(text);
      continue;
    }
    const d = pathOf(element);
    const style = element.style ?? {};
    let key = '';
    for (const k in style) key += `${k}:${String(style[k])};`;
    const path = paths.get(key) ?? { style, d: [] };
    path.d.push(d);
    paths.set(key, path);
  }
  const out: string[] = [];
  for (const { style, d } of paths.values()) out.push(`<path d="${d.join('')}"${paint(style)}/>`);
  return [...out, ...texts].join('\n');
}

const n = (v: unknown): string => String(Math.round(Number(v) * 100) / 100);

/** The shape as SVG path data. */
function pathOf(element: Element): string {
  const s = element.shape ?? {};
  switch (element.type) {
    case 'rect': {
      // Plain locals, no destructuring: a fresh process runs this interpreted 1,000 times at its first page.
      const x = Number(s.x);
      const y = Number(s.y);
      const w = Number(s.width);
      const h = Number(s.height);
      const r = Math.min(Number(s.r ?? 0) || 0, w / 2, h / 2);
      if (r <= 0) return `M${n(x)} ${n(y)}h${n(w)}v${n(h)}h${n(-w)}Z`;
      const rr = n(r);
      const nr = n(-r);
      const across = n(w - 2 * r);
      const down = n(h - 2 * r);
      const arc = `a${rr} ${rr} 0 0 1 `;
      return `M${n(x + r)} ${n(y)}h${across}${arc}${rr} ${rr}v${down}${arc}${nr} ${rr}h-${across}${arc}${nr} ${nr}v-${down}${arc}${rr} ${nr}Z`;
    }
    case 'circle': {
      const cx = Number(s.cx);
      const r = Number(s.r);
      const rr = n(r);
      return `M${n(cx - r)} ${n(s.cy)}a${rr} ${rr} 0 1 0 ${n(2 * r)} 0a${rr} ${rr} 0 1 0 ${n(-2 * r)} 0Z`;
    }
    case 'line':
      return `M${n(s.x1)} ${n(s.y1)}L${n(s.x2)} ${n(s.y2)}`;
    case 'polygon': {
      const points = s.points as readonly (readonly number[])[] | undefined;
      if (!points || points.length === 0) return '';
      return `M${points.map(([x, y]) => `${n(x)} ${n(y)}`).join('L')}Z`;
    }
    default:
      throw new SvgSeriesError(`a ${String(element.type)} element cannot be drawn as plain SVG`);
  }
}

/** Fill, stroke and stroke width as attributes (a strict CSP governs style="", not these). A path is filled black unless told otherwise; a line or a ring had no fill. */
function paint(style: Record<string, unknown>): string {
  let out = colour('fill', style.fill ?? 'none');
  if (style.stroke !== undefined && style.stroke !== null) {
    out += colour('stroke', style.stroke);
    if (style.lineWidth !== undefined && Number(style.lineWidth) !== 1) out += ` stroke-width="${n(style.lineWidth)}"`;
  }
  for (const k of Object.keys(style))
    if (k !== 'fill' && k !== 'stroke' && k !== 'lineWidth')
      throw new SvgSeriesError(`the style ${k} cannot be drawn as plain SVG`);
  return out;
}

/** `rgba(r, g, b, a)` as a colour and an opacity, as zrender writes it: every SVG reader takes that. */
function colour(name: 'fill' | 'stroke', value: unknown): string {
  const text = String(value);
  const rgba = /^rgba\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*([\d.]+)\s*\)$/.exec(text);
  if (rgba) return ` ${name}="rgb(${rgba[1]},${rgba[2]},${rgba[3]})" ${name}-opacity="${rgba[4]}"`;
  return ` ${name}="${escapeXml(text)}"`;
}

const TEXT_STYLE: ReadonlySet<string> = new Set(['text', 'fill', 'fontSize', 'fontFamily', 'verticalAlign', 'align']);
const ANCHOR: Readonly<Record<string, string>> = { left: 'start', center: 'middle', right: 'end' };

/** A text's y is its middle (verticalAlign 'middle', the only one the timeline uses), as zrender writes it. */
function textOf(element: Element): string {
  const s = element.style ?? {};
  const { text, fill, fontSize, fontFamily, verticalAlign, align } = s;
  for (const k of Object.keys(s))
    if (!TEXT_STYLE.has(k)) throw new SvgSeriesError(`the text style ${k} cannot be drawn as plain SVG`);
  if (verticalAlign !== 'middle') throw new SvgSeriesError('only a text aligned on its middle can be drawn as plain SVG');
  const value = String(text ?? '');
  if (value === '') return '';
  const anchor = ANCHOR[String(align ?? 'left')] ?? 'start';
  const font = `${fontSize !== undefined ? ` font-size="${n(fontSize)}"` : ''}${fontFamily !== undefined ? ` font-family="${escapeXml(String(fontFamily))}"` : ''}`;
  const space = /\s/.test(value) ? ' xml:space="preserve"' : '';
  return `<text x="${n(element.x)}" y="${n(element.y)}" dominant-baseline="central" text-anchor="${anchor}"${font}${colour('fill', fill ?? '#000')}${space}>${escapeXml(value)}</text>`;
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
