import { describe, expect, it } from 'vitest';
import { type Box, intersects, textWidth } from '../../../src/adapters/chart/label-placement.js';
import { renderTimelinePng, renderTimelineSvg } from '../../../src/adapters/chart/timeline-chart.js';
import { bodyOf, frameOf, viewName, viewOf } from '../../../src/adapters/chart/timeline-frame.js';
import { timelineLabels } from '../../../src/adapters/chart/timeline-labels.js';
import { timelineOption } from '../../../src/adapters/chart/timeline-option.js';
import type { AttackBar, LocalDay, Timeline } from '../../../src/domain/report.js';
import { localDay } from '../../../src/domain/report.js';
import { decodePng } from './png.js';

const MIN = 60_000;
const TZ = 'Europe/Berlin';
const DAY = localDay('2026-03-03', TZ) as LocalDay;
const at = (hhmm: string) => DAY.start + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * MIN;
const ATTACKS = ['cpu-burn', 'network-latency', 'disk-fill'];
const STATES = ['completed', 'reverted', 'failed', 'completed', 'orphaned'] as const;

/** `count` attacks `every` ms apart from `from`, two minutes each, taking turns on `hosts`; every other one judged. */
function day(count: number, from: string, every: number, hosts: readonly string[]): Timeline {
  const bars: AttackBar[] = Array.from({ length: count }, (_, i) => ({
    id: String(i + 1),
    attack: ATTACKS[i % ATTACKS.length] as string,
    host: hosts[i % hosts.length] as string,
    state: STATES[i % STATES.length] as AttackBar['state'],
    start: at(from) + i * every,
    end: at(from) + i * every + 2 * MIN,
    dryRun: false,
    verdict: i % 2 ? 'held' : null,
    span: null,
  }));
  return {
    day: DAY,
    hosts: [...new Set(bars.map((b) => b.host))].sort(),
    bars,
    unhealthy: [],
    halts: [],
    open: [{ start: at('09:00'), end: at('17:00'), label: 'business hours' }],
  };
}

const SEVEN_IN_TEN_MINUTES = day(7, '10:00', 85_000, ['web-1', 'web-2', 'db-1']);
const FORTY_IN_FIVE_MINUTES = day(40, '11:00', 7_500, ['web-1', 'web-2', 'db-1', 'cache-1']);

interface Drawn extends Box {
  readonly text: string;
}

/** The names as drawn: "#id …" texts, each with the box its estimated width and its font's line take. */
function drawnNames(svg: string): Drawn[] {
  const texts = svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*font-size="([\d.]+)"[^>]*>(#\d+[^<]*)<\/text>/g);
  return [...texts].map(([, x, y, size, text = '']) => {
    const fontSize = Number(size);
    return { text, x: Number(x), y: Number(y) - 0.6 * fontSize, width: textWidth(text, fontSize), height: 1.2 * fontSize };
  });
}

/** The ids in the line under the chart, and how many it counts without naming them. */
function notLabelled(svg: string): { ids: string[]; more: number } {
  const line = /Not labelled \(no room\): ([^<]*)</.exec(svg)?.[1] ?? '';
  return { ids: [...line.matchAll(/#(\d+)/g)].map((m) => m[1] as string), more: Number(/\+(\d+) more/.exec(line)?.[1] ?? 0) };
}

/** Drawn names do not meet, and every attack is named once or listed under the chart (or counted there). */
function expectReadable(t: Timeline): { named: string[]; listed: string[]; more: number } {
  const svg = renderTimelineSvg(t);
  const names = drawnNames(svg);
  for (const [i, a] of names.entries()) {
    for (const b of names.slice(i + 1)) expect(intersects(a, b), `"${a.text}" over "${b.text}"`).toBe(false);
    expect(a.x + a.width).toBeLessThanOrEqual(1200);
  }
  const named = names.map((n) => /^#(\d+)/.exec(n.text)?.[1] as string);
  const { ids: listed, more } = notLabelled(svg);
  expect(new Set([...named, ...listed]).size).toBe(named.length + listed.length);
  expect(named.length + listed.length + more).toBe(t.bars.length);
  if (more === 0) expect([...named, ...listed].sort()).toEqual(t.bars.map((b) => b.id).sort());
  return { named, listed, more };
}

/** The frame and names as the placement sees them, on a frame like the chart's. */
function placed(t: Timeline) {
  const frame = frameOf({ left: 90, right: 30, top: 72, bottom: 78 }, { width: 1200, height: 500 }, viewOf(t), t.hosts.length);
  const row = new Map(t.hosts.map((h, i) => [h, i]));
  return { frame, row, labels: timelineLabels(t, frame, row) };
}

describe('the names on the timeline', () => {
  it('on a day with 7 attacks within 10 minutes, places names whose boxes do not meet, nor cover a bar', () => {
    const { frame, row, labels } = placed(SEVEN_IN_TEN_MINUTES);
    const bodies = SEVEN_IN_TEN_MINUTES.bars.map((b) => bodyOf(frame, b, row.get(b.host) ?? 0));
    for (const [i, a] of labels.placed.entries()) {
      for (const b of labels.placed.slice(i + 1)) expect(intersects(a, b), `${a.text} over ${b.text}`).toBe(false);
      for (const body of bodies) expect(intersects(a, body), `${a.text} over a bar`).toBe(false);
    }
    expect(labels.placed.length + labels.dropped.length).toBe(7);
  });

  it('on a day with 7 attacks within 10 minutes, draws every name apart: none over another', () => {
    const { named } = expectReadable(SEVEN_IN_TEN_MINUTES);
    expect(named).toHaveLength(7);
  });

  it('with 40 attacks in 5 minutes, leaves names out and lists them under the chart, bounded with "+N more"', () => {
    const { named, listed, more } = expectReadable(FORTY_IN_FIVE_MINUTES);
    expect(named.length).toBeGreaterThan(4);
    expect(listed.length).toBeGreaterThan(0);
    expect(more).toBeGreaterThan(0);
    const { labels } = placed(FORTY_IN_FIVE_MINUTES);
    expect(labels.dropped.length).toBeGreaterThan(0);
  });

  it('keeps the list of names left out on the image, under the hour axis', async () => {
    const svg = renderTimelineSvg(FORTY_IN_FIVE_MINUTES);
    const line = /<text [^>]*transform="translate\(([\d.]+) ([\d.]+)\)"[^>]*>Not labelled[^<]*</.exec(svg);
    expect(line).not.toBeNull();
    const [, x, y] = line ?? [];
    expect(Number(y)).toBeGreaterThan(470);
    expect(Number(y)).toBeLessThan(500);
    const text = /Not labelled[^<]*/.exec(svg)?.[0] ?? '';
    expect(Number(x) + textWidth(text, 12)).toBeLessThanOrEqual(1200);
    const png = decodePng(await renderTimelinePng(FORTY_IN_FIVE_MINUTES));
    expect([png.width, png.height]).toEqual([2400, 1000]);
  });

  it('draws no such list when every attack has its name', () => {
    expect(renderTimelineSvg(SEVEN_IN_TEN_MINUTES)).not.toContain('Not labelled');
  });

  it('puts a name beside its bar where ECharts draws the bar: the placement and the axes agree', () => {
    const one = day(1, '12:00', 0, ['web-1']);
    const svg = renderTimelineSvg(one);
    const bar = svg.split('\n').find((l) => l.startsWith('<path d="M') && l.includes('fill="#3ba272"') && !l.includes('legend'));
    const [, x, y, straight, r] = bar?.match(/^<path d="M([\d.]+) ([\d.]+)h([\d.]+)a([\d.]+) /) ?? [];
    const left = Number(x) - Number(r);
    const right = left + Number(straight) + 2 * Number(r);
    const [name] = drawnNames(svg);
    expect(name?.text).toBe('#1 cpu-burn');
    expect(name?.x).toBeGreaterThan(right);
    expect(name?.x).toBeLessThan(right + 12);
    // The bar is 26 px tall; the name sits on its middle.
    expect((name?.y ?? 0) + (name?.height ?? 0) / 2).toBeCloseTo(Number(y) + 13, 0);
  });

  it('draws a halt the verdict latched at 17:46 from 17:46, inside the frame', () => {
    const halted: Timeline = {
      ...day(3, '09:40', 3 * 60 * MIN, ['web-1', 'web-2', 'db-1']),
      halts: [{ start: at('17:46'), end: DAY.end, label: 'halted' }],
    };
    const option = timelineOption(halted);
    const band = (option.series as { name?: string; data: number[][] }[]).find((s) => s.name === 'halted');
    const origin = viewOf(halted).start;
    expect((band?.data[0]?.[0] ?? 0) + origin).toBe(at('17:46'));
    expect(viewOf(halted).end).toBeGreaterThan(at('17:46'));
  });

  it('says what the hour axis spans: business hours and the attacks, in the zone', () => {
    const svg = renderTimelineSvg(SEVEN_IN_TEN_MINUTES);
    expect(svg).toContain('business hours 09:00–17:00 (Europe/Berlin) and the attacks, an hour either side');
    expect(viewName({ ...SEVEN_IN_TEN_MINUTES, open: [] })).toBe(
      'the attacks, an hour either side (no business hours on this day)',
    );
    expect(viewName({ ...SEVEN_IN_TEN_MINUTES, open: [], bars: [] })).toBe('the whole day');
  });
});
