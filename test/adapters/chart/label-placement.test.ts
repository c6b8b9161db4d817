import { Resvg } from '@resvg/resvg-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FONT_FAMILY } from '../../../src/adapters/chart/font.js';
import {
  type Box,
  intersects,
  LABEL_STYLE,
  type LabelBar,
  type Placement,
  placeLabels,
  textWidth,
} from '../../../src/adapters/chart/label-placement.js';

const AREA = { x: 100, width: 1000 };
/** Rows 100 px tall from y = 0: room for a lane or three above a 26 px bar. */
const ROW = 100;
const BAR = 26;

/** A bar on `row` from x to x + width, named "#id attack". */
function bar(id: number, x: number, width = 8, row = 0, attack = 'cpu-burn', rowHeight = ROW): LabelBar {
  const middle = row * rowHeight + rowHeight / 2;
  return {
    id: String(id),
    long: `#${id} ${attack}`,
    short: `#${id}`,
    body: { x, y: middle - BAR / 2, width, height: BAR },
    barTop: middle - BAR / 2,
    middle,
    rowTop: row * rowHeight,
    row,
  };
}

/** No two names meet, no name covers a bar, every name stays in the plot, and every bar is named or dropped once. */
function expectSound(bars: readonly LabelBar[], placement: Placement): void {
  const { placed, dropped } = placement;
  for (const [i, a] of placed.entries()) {
    for (const b of placed.slice(i + 1)) expect(intersects(a, b), `${a.text} and ${b.text}`).toBe(false);
    for (const b of bars) expect(intersects(a, b.body), `${a.text} over the bar of #${b.id}`).toBe(false);
    expect(a.x).toBeGreaterThanOrEqual(AREA.x);
    expect(a.x + a.width).toBeLessThanOrEqual(AREA.x + AREA.width);
  }
  const ids = [...placed.map((p) => p.id), ...dropped.map((d) => d.id)].sort();
  expect(ids).toEqual(bars.map((b) => b.id).sort());
}

describe('placing the names of the attacks', () => {
  it('puts a name beside its bar when nothing is in the way', () => {
    const one = bar(1, 300, 40);
    const { placed, dropped } = placeLabels([one], AREA);
    expect(dropped).toEqual([]);
    expect(placed).toMatchObject([{ id: '1', text: '#1 cpu-burn', textY: one.middle }]);
    expect(placed[0]?.textX).toBeGreaterThan(340);
  });

  it('lifts a name into a lane above its bar rather than let it run into the next bar on the row', () => {
    const bars = [bar(1, 300), bar(2, 330)];
    const { placed } = placeLabels(bars, AREA);
    const first = placed.find((p) => p.id === '1');
    expect(first?.text).toBe('#1 cpu-burn');
    expect((first?.y ?? 0) + (first?.height ?? 0)).toBeLessThanOrEqual(bars[0]?.barTop ?? 0);
    expectSound(bars, { placed, dropped: [] });
  });

  it('does not put a name beside a bar another bar is drawn over, where it would read as the name of the other', () => {
    // #2 starts inside #1's bar and ends before it: beside #1's end, "#1" would sit next to #2.
    const bars = [bar(1, 300, 30), bar(2, 310, 8)];
    const { placed } = placeLabels(bars, AREA);
    const first = placed.find((p) => p.id === '1');
    expect(first?.textY).toBeLessThan(bars[0]?.barTop ?? 0);
  });

  it('shortens a name to its number when the full name fits neither beside nor above', () => {
    // A row only tall enough for one lane above the bar, and the next bar 40 px on.
    const bars = [bar(1, 300, 8, 0, 'cpu-burn', 60), bar(2, 340, 8, 0, 'cpu-burn', 60), bar(3, 342, 8, 0, 'cpu-burn', 60)];
    const placement = placeLabels(bars, AREA);
    expect(placement.placed.map((p) => p.text)).toContain('#1');
    expectSound(bars, placement);
  });

  it('leaves names out when not even the numbers fit, earliest bars served first', () => {
    const bars = Array.from({ length: 30 }, (_, i) => bar(i + 1, 300 + i));
    const placement = placeLabels(bars, AREA);
    expect(placement.dropped.length).toBeGreaterThan(0);
    expect(placement.placed.map((p) => p.id)).toContain('1');
    expectSound(bars, placement);
  });

  it('keeps a name near the right edge inside the plot', () => {
    const edge = bar(1, AREA.x + AREA.width - 10);
    const placement = placeLabels([edge], AREA);
    expect(placement.placed).toHaveLength(1);
    expectSound([edge], placement);
  });

  it('never lets two names or a name and a bar overlap, however the bars fall (seeded)', () => {
    const arbitraryBar = fc.record({
      x: fc.integer({ min: AREA.x, max: AREA.x + AREA.width - 8 }),
      width: fc.integer({ min: 8, max: 120 }),
      row: fc.integer({ min: 0, max: 5 }),
      attack: fc.constantFrom('cpu-burn', 'network-latency ORPHANED', 'disk-fill (dry) stopped', 'x'),
    });
    fc.assert(
      fc.property(fc.array(arbitraryBar, { maxLength: 80 }), fc.integer({ min: 30, max: 160 }), (drawn, rowHeight) => {
        const bars = drawn.map((b, i) => bar(i + 1, b.x, b.width, b.row, b.attack, rowHeight));
        expectSound(bars, placeLabels(bars, AREA));
      }),
      { numRuns: 200, seed: 26 },
    );
  });
});

describe('estimating the width of a name', () => {
  /** Where resvg draws `text` at (10, 20), middle-aligned as the chart's names are. */
  function inked(text: string, fontSize: number): Box {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="40"><text x="10" y="20" font-size="${fontSize}" font-family="${FONT_FAMILY}" dominant-baseline="central">${text}</text></svg>`;
    const box = new Resvg(svg, { font: { loadSystemFonts: true } }).getBBox();
    if (!box) throw new Error(`resvg drew nothing for ${text}: no font installed?`);
    return { x: box.x, y: box.y, width: box.width, height: box.height };
  }

  it.each([
    '#6 cpu-burn',
    '#123 network-latency ORPHANED',
    '#4 disk-fill (dry) stopped',
    'WWW MMM mmm www @@@ %%%',
    '#99 iiii llll',
    'Ågjpqy|()[]{}',
    'Not labelled (no room): #17 network-latency 11:02, +11 more',
  ])('never runs short of the drawn text, nor does a lane of the drawn height: %s', (text) => {
    const ink = inked(text, LABEL_STYLE.fontSize);
    expect(ink.x + ink.width).toBeLessThanOrEqual(10 + textWidth(text, LABEL_STYLE.fontSize));
    expect(ink.x).toBeGreaterThanOrEqual(10);
    expect(ink.y).toBeGreaterThanOrEqual(20 - LABEL_STYLE.lane / 2);
    expect(ink.y + ink.height).toBeLessThanOrEqual(20 + LABEL_STYLE.lane / 2);
  });

  it('counts a character it does not know as a full em', () => {
    expect(textWidth('→', 10)).toBe(10);
    expect(textWidth('', 10)).toBe(0);
  });
});
