/** One attack's probe samples as a small step chart, with the fault and its time to detect and recover marked. */
import type { EChartsOption } from 'echarts';
import { DateTime } from 'luxon';
import { formatDuration } from '../../domain/duration.js';
import type { AttackRecord, ProbeRecord } from '../../domain/model.js';
import { echarts } from './echarts.js';
import { FONT_FAMILY } from './font.js';
import { VERDICT_STYLE } from './verdict-series.js';

export const PROBE_SIZE = { width: 900, height: 260 } as const;

interface Mark {
  readonly at: number;
  readonly label: string;
  readonly color: string;
}

/** Fault start and end, and when the probes first failed and held again (from the verdict's figures). */
export function probeMarks(r: AttackRecord): Mark[] {
  const marks: Mark[] = [];
  if (r.startedAt !== null) marks.push({ at: r.startedAt, label: 'fault start', color: '#555' });
  if (r.startedAt !== null && r.endedAt !== null) marks.push({ at: r.endedAt, label: 'fault end', color: '#555' });
  return [...marks, ...verdictMarks(r)];
}

/** When the steady state was first seen failing and held again, from the verdict's figures. */
export function verdictMarks(r: AttackRecord): Mark[] {
  const marks: Mark[] = [];
  if (r.startedAt !== null && r.ttdMs !== null) {
    const detected = r.startedAt + r.ttdMs;
    marks.push({ at: detected, label: `detected (${formatDuration(r.ttdMs)})`, color: VERDICT_STYLE['not-recovered'].color });
    if (r.ttrMs !== null)
      marks.push({
        at: detected + r.ttrMs,
        label: `recovered (${formatDuration(r.ttrMs)})`,
        color: VERDICT_STYLE.recovered.color,
      });
  }
  return marks;
}

export function probeOption(r: AttackRecord, samples: readonly ProbeRecord[], timezone: string, width: number): EChartsOption {
  const marks = probeMarks(r);
  const times = [...samples.map((s) => s.at), ...marks.map((m) => m.at)];
  const origin = Math.min(...times);
  const span = Math.max(1000, Math.max(...times) - origin);
  const label = (value: number) => DateTime.fromMillis(origin + value, { zone: timezone }).toFormat('HH:mm:ss');
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: FONT_FAMILY },
    grid: { left: 70, right: 30, top: 40, bottom: 36 },
    xAxis: {
      type: 'value',
      min: 0,
      max: span,
      splitNumber: Math.max(2, Math.floor(width / 160)),
      axisLabel: { fontFamily: FONT_FAMILY, fontSize: 11, formatter: label },
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: 1,
      interval: 1,
      axisLabel: { fontFamily: FONT_FAMILY, fontSize: 11, formatter: (v: number) => (v === 1 ? 'healthy' : 'failing') },
    },
    series: [
      {
        type: 'line',
        step: 'end',
        name: 'steady state',
        symbolSize: 6,
        lineStyle: { color: '#5470c6' },
        itemStyle: { color: '#5470c6' },
        data: samples.map((s) => ({
          value: [s.at - origin, s.healthy ? 1 : 0],
          itemStyle: { color: s.healthy ? VERDICT_STYLE.held.color : VERDICT_STYLE['not-recovered'].color },
        })),
        markLine: {
          silent: true,
          symbol: 'none',
          data: marks.map((m, i) => ({
            xAxis: m.at - origin,
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

/** The probe chart as SVG (ECharts' server-side renderer). */
export function renderProbeSvg(r: AttackRecord, samples: readonly ProbeRecord[], timezone: string): string {
  const { width, height } = PROBE_SIZE;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(probeOption(r, samples, timezone, width));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
