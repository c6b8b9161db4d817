/** One attack's evidence as a line chart: the fault shaded, and the detect and recover marks of its verdict. */
import { renderAsync } from '@resvg/resvg-js';
import type { EChartsOption } from 'echarts';
import { DateTime } from 'luxon';
import type { EvidenceSeries } from '../../domain/evidence.js';
import type { AttackRecord } from '../../domain/model.js';
import { errorMessage } from '../../ports/errors.js';
import { valueText } from '../../words/evidence.js';
import { echarts } from './echarts.js';
import { FONT_FAMILY } from './font.js';
import { verdictMarks } from './probe-chart.js';
import { ChartError } from './timeline-chart.js';

export const EVIDENCE_SIZE = { width: 900, height: 300 } as const;

function evidenceOption(r: AttackRecord, s: EvidenceSeries, timezone: string, width: number): EChartsOption {
  const start = r.startedAt ?? s.points[0]?.[0] ?? 0;
  const end = r.endedAt ?? start;
  // The verdict's marks, as on the probe chart; the fault itself is the shaded area.
  const marks = verdictMarks(r);
  const label = (at: number) => DateTime.fromMillis(at, { zone: timezone }).toFormat('HH:mm');
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: FONT_FAMILY },
    title: {
      text: `${s.title}${s.unit ? ` (${s.unit})` : ''}`,
      left: 70,
      top: 8,
      textStyle: { fontSize: 13, fontFamily: FONT_FAMILY },
    },
    grid: { left: 70, right: 30, top: 44, bottom: 36 },
    xAxis: {
      type: 'time',
      splitNumber: Math.max(2, Math.floor(width / 150)),
      axisLabel: { fontFamily: FONT_FAMILY, fontSize: 11, formatter: (v: number) => label(v) },
    },
    yAxis: {
      type: 'value',
      scale: true,
      axisLabel: { fontFamily: FONT_FAMILY, fontSize: 11, formatter: (v: number) => valueText(v, '') },
    },
    series: [
      {
        type: 'line',
        name: s.title,
        showSymbol: false,
        lineStyle: { color: '#5470c6', width: 2 },
        data: s.points.map(([t, v]) => [t, v]),
        markArea: {
          silent: true,
          itemStyle: { color: 'rgba(238, 102, 102, 0.12)' },
          label: { show: true, position: 'insideTop', formatter: 'fault', color: '#a33', fontFamily: FONT_FAMILY, fontSize: 11 },
          data: [[{ xAxis: start }, { xAxis: end }]],
        },
        markLine: {
          silent: true,
          symbol: 'none',
          data: marks.map((m, i) => ({
            xAxis: m.at,
            lineStyle: { color: m.color, type: 'dashed' as const },
            label: {
              formatter: m.label,
              color: m.color,
              fontFamily: FONT_FAMILY,
              fontSize: 11,
              position: i % 2 === 0 ? ('insideEndTop' as const) : ('insideStartTop' as const),
            },
          })),
        },
      },
    ],
  };
}

/** The evidence chart as SVG (ECharts' server-side renderer). */
export function renderEvidenceSvg(r: AttackRecord, s: EvidenceSeries, timezone: string): string {
  const { width, height } = EVIDENCE_SIZE;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(evidenceOption(r, s, timezone, width));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The same as a PNG at twice the size (sharp on a phone), rasterised off the main thread. Rejects with a ChartError. */
export async function renderEvidencePng(r: AttackRecord, s: EvidenceSeries, timezone: string): Promise<Uint8Array> {
  let svg: string;
  try {
    svg = renderEvidenceSvg(r, s, timezone);
  } catch (error) {
    throw new ChartError(`cannot lay out the evidence chart: ${errorMessage(error)}`, { cause: error });
  }
  try {
    const image = await renderAsync(svg, {
      background: '#ffffff',
      fitTo: { mode: 'zoom', value: 2 },
      font: { loadSystemFonts: true },
    });
    return new Uint8Array(image.asPng());
  } catch (error) {
    throw new ChartError(`cannot rasterise the evidence chart: ${errorMessage(error)}`, { cause: error });
  }
}
