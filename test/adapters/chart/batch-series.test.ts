import { renderAsync } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import { describe, expect, it } from 'vitest';
import { batchSeries } from '../../../src/adapters/chart/batch-series.js';
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

/** 40 attacks over 8 hosts: every state, verdict, span kind, a dry run now and then, and every band. */
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
    };
  });
  return {
    day: { date: '2026-01-15', timezone: 'UTC', start: START, end: START + 24 * H },
    hosts: Array.from({ length: 8 }, (_, i) => `host-${i}`),
    bars,
    unhealthy: [{ start: START + 11 * H, end: START + 11.5 * H, label: 'unhealthy' }],
    halts: [{ start: START + 13 * H, end: START + 13.4 * H, label: 'halted' }],
    open: [{ start: START + 10 * H, end: START + 16 * H, label: 'open' }],
  };
}

function svgOf(timeline: Timeline, batched: boolean): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 1200, height: 500 });
  try {
    const option = timelineOption(timeline, 1200);
    chart.setOption(batched ? batchSeries(option) : option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

async function pixels(svg: string) {
  return decodePng(new Uint8Array((await renderAsync(svg, { background: '#ffffff', font: { loadSystemFonts: true } })).asPng()));
}

describe('batched series', () => {
  it('draws the same picture: almost every pixel equal to the one-element-per-shape drawing', async () => {
    const day = busyDay();
    const [one, batched] = await Promise.all([pixels(svgOf(day, false)), pixels(svgOf(day, true))]);
    expect([batched.width, batched.height]).toEqual([one.width, one.height]);
    let differ = 0;
    for (let i = 0; i < one.pixels.length; i += 4) {
      if (Math.abs((one.pixels[i] ?? 0) - (batched.pixels[i] ?? 0)) > 48) differ++;
    }
    // Anti-aliased edges of joined paths may differ by a shade; a missing bar or mark is hundreds of pixels.
    expect(differ).toBeLessThan(150);
  });

  it('joins the shapes of a look into one path: a colour of bars is one element however many bars', () => {
    // Paths only: each bar's name is a text in the bar's colour.
    const count = (svg: string, colour: string) => (svg.match(new RegExp(`<path [^>]*fill="${colour}"`, 'g')) ?? []).length;
    const few = renderTimelineSvg(busyDay(10));
    const many = renderTimelineSvg(busyDay(200));
    // completed bars: one path in the chart, one legend swatch.
    expect(count(many, '#3ba272')).toBe(count(few, '#3ba272'));
    expect(svgOf(busyDay(200), false).split('<path').length).toBeGreaterThan(many.split('<path').length * 3);
  });

  it('keeps the names of the attacks as text', () => {
    const svg = renderTimelineSvg(busyDay());
    for (const label of ['>#3 attack-2 FAILED<', '>#4', '>#1 attack-0']) expect(svg).toContain(label);
  });

  it('leaves an option without custom series, and an empty series, as they were', () => {
    const empty = { ...busyDay(), bars: [], hosts: [] };
    const option = timelineOption(empty);
    const batched = batchSeries(option);
    expect((batched.series as { data?: unknown[] }[]).map((s) => s.data?.length)).toEqual(
      (option.series as { data?: unknown[] }[]).map((s) => s.data?.length),
    );
    expect(batchSeries({ title: { text: 'x' } })).toEqual({ title: { text: 'x' } });
  });
});
