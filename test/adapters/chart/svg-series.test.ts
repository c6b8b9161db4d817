import { renderAsync } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import { describe, expect, it } from 'vitest';
import { drawCustomSeries, SvgSeriesError } from '../../../src/adapters/chart/svg-series.js';
import { renderTimelineSvg } from '../../../src/adapters/chart/timeline-chart.js';
import { timelineOption } from '../../../src/adapters/chart/timeline-option.js';
import type { AttackState, VerdictKindStored } from '../../../src/domain/model.js';
import type { Timeline } from '../../../src/domain/report.js';
import { decodePng } from './png.js';

const H = 3_600_000;
const MIN = 60_000;
const START = Date.parse('2026-01-15T00:00:00Z');
const STATES: AttackState[] = ['completed', 'reverted', 'failed', 'orphaned', 'completed'];
const VERDICTS: (VerdictKindStored | null)[] = ['held', 'recovered', 'not-recovered', 'unknown', null];

/** 40 attacks over 8 hosts: every state, verdict, span kind and ending, a dry run now and then, and every band. */
function busyDay(count = 40): Timeline {
  const bars = Array.from({ length: count }, (_, i) => {
    const at = START + 9.5 * H + i * 15 * MIN;
    const verdict = VERDICTS[i % VERDICTS.length] ?? null;
    const spanned = verdict === 'recovered' || verdict === 'not-recovered' || verdict === 'unknown';
    return {
      id: String(i + 1),
      attack: `attack-${i % 3}`,
      host: `host-${i % 8}`,
      state: STATES[i % STATES.length] as AttackState,
      start: at,
      end: at + ((i % 4) + 1) * 6 * MIN,
      dryRun: i % 7 === 0,
      verdict,
      span: spanned ? { start: at + MIN, end: at + 9 * MIN, open: verdict === 'not-recovered' } : null,
      ...(i % 9 === 0 ? { ending: 'stopped' as const } : i % 11 === 0 ? { ending: 'aborted' as const } : {}),
    };
  });
  return {
    day: { date: '2026-01-15', timezone: 'UTC', start: START, end: START + 24 * H },
    hosts: Array.from({ length: 8 }, (_, i) => `host-${i}`),
    bars,
    unhealthy: [{ start: START + 11 * H, end: START + 11.5 * H, label: 'unhealthy' }],
    halts: [{ start: START + 13 * H, end: START + 13.4 * H, label: 'halted' }],
    open: [{ start: START + 10 * H, end: START + 16 * H, label: 'open' }],
    down: [{ start: START + 14 * H, end: START + 14.5 * H, label: 'bot not running' }],
  };
}

/** The reference: ECharts draws every shape and name as an element of its own. */
function echartsSvg(timeline: Timeline): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 1200, height: 500 });
  try {
    chart.setOption(timelineOption(timeline, 1200));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

async function pixels(svg: string) {
  return decodePng(new Uint8Array((await renderAsync(svg, { background: '#ffffff', font: { loadSystemFonts: true } })).asPng()));
}

async function differing(a: string, b: string): Promise<number> {
  const [one, other] = await Promise.all([pixels(a), pixels(b)]);
  expect([other.width, other.height]).toEqual([one.width, one.height]);
  let differ = 0;
  for (let i = 0; i < one.pixels.length; i += 4) {
    if (Math.abs((one.pixels[i] ?? 0) - (other.pixels[i] ?? 0)) > 48) differ++;
  }
  return differ;
}

describe('custom series drawn as plain SVG', () => {
  it('draws the same picture as ECharts: almost every pixel equal, names included', async () => {
    const day = busyDay();
    // Anti-aliased edges of joined paths may differ by a shade; a missing bar, mark or name is hundreds of pixels.
    expect(await differing(echartsSvg(day), renderTimelineSvg(day))).toBeLessThan(150);
  });

  it('would see a shape out of place: names 1 px to the right, or the ending marks missing, change many pixels', async () => {
    const day = busyDay();
    const moved = renderTimelineSvg(day).replace(/<text x="([\d.]+)"/g, (_, x: string) => `<text x="${Number(x) + 1}"`);
    const unmarked = renderTimelineSvg(day).replace(/<path d="[^"]*" fill="#303030"[^\n]*/g, '');
    expect(await differing(echartsSvg(day), moved)).toBeGreaterThan(1_000);
    expect(await differing(echartsSvg(day), unmarked)).toBeGreaterThan(500);
  });

  it('joins the shapes of a look into one path: a colour of bars is one element however many bars', () => {
    // Paths only: each bar's name is a text in the bar's colour.
    const count = (svg: string, colour: string) => (svg.match(new RegExp(`<path [^>]*fill="${colour}"`, 'g')) ?? []).length;
    const few = renderTimelineSvg(busyDay(10));
    const many = renderTimelineSvg(busyDay(200));
    // completed bars: one path in the chart, one legend swatch.
    expect(count(many, '#3ba272')).toBe(count(few, '#3ba272'));
    expect(echartsSvg(busyDay(200)).split('<path').length).toBeGreaterThan(many.split('<path').length * 3);
  });

  it('keeps the names of the attacks as text, escaped', () => {
    const day = busyDay();
    const svg = renderTimelineSvg({ ...day, bars: day.bars.map((b, i) => (i === 1 ? { ...b, attack: '<i>&"x"' } : b)) });
    for (const label of ['>#3 attack-2 FAILED<', '>#4', '>#10 attack-0 stopped<', '>#2 &lt;i&gt;&amp;&quot;x&quot;<']) {
      expect(svg).toContain(label);
    }
    expect(svg).not.toContain('<i>');
  });

  it('leaves an option without custom series, and an empty series, as they were', () => {
    const empty = { ...busyDay(), bars: [], hosts: [] };
    const option = timelineOption(empty);
    const own = drawCustomSeries(option);
    expect((own.option.series as { data?: unknown[] }[]).map((s) => s.data?.length)).toEqual(
      (option.series as { data?: unknown[] }[]).map((s) => s.data?.length),
    );
    expect(own.finish('<svg></svg>')).toBe('<svg></svg>');
    expect(drawCustomSeries({ title: { text: 'x' } }).option).toEqual({ title: { text: 'x' } });
  });

  it('refuses an element it cannot draw rather than leave it out', () => {
    const own = drawCustomSeries({
      xAxis: { type: 'value' },
      yAxis: { type: 'value' },
      series: [{ type: 'custom', data: [[1, 1]], renderItem: () => ({ type: 'image', style: { image: 'x.png' } }) }],
    });
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 200, height: 100 });
    try {
      expect(() => chart.setOption(own.option)).toThrow(SvgSeriesError);
    } finally {
      chart.dispose();
    }
  });
});
