import { renderAsync } from '@resvg/resvg-js';
import type { Timeline } from '../../domain/report.js';
import { CodedError, errorMessage } from '../../ports/errors.js';
import { echarts } from './echarts.js';
import { drawCustomSeries } from './svg-series.js';
import { timelineOption } from './timeline-option.js';

export interface ChartOptions {
  /** Logical pixels, the layout's and the SVG's size; default 1200 × 500. */
  readonly width?: number;
  readonly height?: number;
  /** Device pixels per logical pixel in the PNG; default 2, so text stays sharp on a high-density screen. */
  readonly density?: number;
  /** Extra font files; system fonts are always tried. Without any font the chart has no text, nothing worse. */
  readonly fontFiles?: readonly string[];
}

/** Errors of the chart adapter carry a stable code; the cause is the library's error. */
export class ChartError extends CodedError<'CHART_RENDER'> {
  constructor(message: string, options: { readonly cause?: unknown } = {}) {
    super('CHART_RENDER', message, options);
  }
}

export const DEFAULT_SIZE = { width: 1200, height: 500 } as const;
export const DEFAULT_DENSITY = 2;

/** The timeline as SVG, with ECharts' server-side renderer. Synchronous. */
export function renderTimelineSvg(timeline: Timeline, options: ChartOptions = {}): string {
  const width = options.width ?? DEFAULT_SIZE.width;
  const height = options.height ?? DEFAULT_SIZE.height;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    // ECharts lays out and draws the frame (axes, grid, title, legend); the bars, marks, spans and
    // names are drawn as plain SVG from the same option and coordinates (svg-series.ts).
    const own = drawCustomSeries(timelineOption(timeline, width, height));
    chart.setOption(own.option);
    return own.finish(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
}

/**
 * The timeline as a PNG: ECharts SVG, rasterised by resvg off the main thread so a `stop` is never
 * kept waiting, at `density` device pixels per layout pixel (2400 × 1000 by default). Rejects with a
 * ChartError.
 */
export async function renderTimelinePng(timeline: Timeline, options: ChartOptions = {}): Promise<Uint8Array> {
  let svg: string;
  try {
    svg = renderTimelineSvg(timeline, options);
  } catch (error) {
    throw new ChartError(`cannot lay out the chart: ${errorMessage(error)}`, { cause: error });
  }
  try {
    const image = await renderAsync(svg, {
      background: '#ffffff',
      fitTo: { mode: 'zoom', value: options.density ?? DEFAULT_DENSITY },
      font: { loadSystemFonts: true, fontFiles: [...(options.fontFiles ?? [])] },
    });
    return new Uint8Array(image.asPng());
  } catch (error) {
    throw new ChartError(`cannot rasterise the chart: ${errorMessage(error)}`, { cause: error });
  }
}

/** A ChartRenderer (see src/app/report.ts) with fixed options. */
export function createChartRenderer(options: ChartOptions = {}): (timeline: Timeline) => Promise<Uint8Array> {
  return (timeline) => renderTimelinePng(timeline, options);
}
