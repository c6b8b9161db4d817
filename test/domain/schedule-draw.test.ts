import { describe, expect, it } from 'vitest';
import { type BusinessHours, isOpen } from '../../src/domain/business-hours.js';
import { drawNext, MAX_MEANS, MIN_SHARE, quietFor, type UpcomingDrill } from '../../src/domain/schedule-draw.js';
import { SeededRandom } from '../support/fakes.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const START = Date.parse('2026-11-24T22:00:00Z'); // Tue 14:00 in Los Angeles
const drill = (over: Partial<UpcomingDrill> = {}): UpcomingDrill => ({
  name: 'drill',
  at: START,
  approved: true,
  quietBeforeMs: 10 * MINUTE,
  ...over,
});

describe('quietFor', () => {
  it.each([
    ['before the quiet period', [drill()], START - 11 * MINUTE, undefined, null],
    ['at its first minute', [drill()], START - 10 * MINUTE, undefined, 'drill'],
    ['a minute before the start', [drill()], START - MINUTE, undefined, 'drill'],
    ['at the start (the drill itself)', [drill()], START, undefined, null],
    ['not approved', [drill({ approved: false })], START - MINUTE, undefined, null],
    ['a span that reaches into it', [drill()], START - HOUR, START - 5 * MINUTE, 'drill'],
    ['a span that ends before it', [drill()], START - HOUR, START - 11 * MINUTE, null],
    ['the earlier of two', [drill({ name: 'late', at: START + 5 * MINUTE }), drill()], START - MINUTE, undefined, 'drill'],
  ] as const)('%s', (_what, drills, from, to, expected) => {
    const found = quietFor(drills, from, to);
    expect(found?.name ?? null).toBe(expected);
  });
});

const hours: BusinessHours = {
  timezone: 'America/Los_Angeles',
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '10:00',
  end: '16:00',
  holidays: [],
};

describe('drawNext', () => {
  it.each([
    ['r = 0: the lower bound, 12 min', 0, '2026-11-24T20:12:00Z'],
    ['r = 0.5: the median, ln 2 means (84 min)', 0.5, '2026-11-24T21:24:00Z'],
    ['r near 1: the upper bound, 8 open hours (Tue 12–16, Wed 10–14)', 0.999_999, '2026-11-25T22:00:00Z'],
  ])('%s', (_what, r, expected) => {
    // Tue 12:00, mean 2 h: the wait in open minutes, bounded to [0.1, 4] means.
    expect(drawNext(START - 2 * HOUR, 2 * HOUR, hours, r)).toBe(Date.parse(expected));
  });

  it('counts only open minutes: a wait past 16:00 goes on at 10:00 the next day', () => {
    // Tue 15:00 + 2 h open: one hour on Tuesday, one on Wednesday from 10:00.
    const wed11 = Date.parse('2026-11-25T19:00:00Z');
    expect(drawNext(START + HOUR, 2 * HOUR, hours, 1 - Math.exp(-1))).toBe(wed11);
  });

  it('gives a spread around the mean, always inside business hours (seeded)', () => {
    const random = new SeededRandom(2026);
    const mean = HOUR;
    const waits: number[] = [];
    let now = START - 2 * HOUR;
    for (let i = 0; i < 500; i++) {
      const at = drawNext(now, mean, hours, random.next());
      expect(at).not.toBeNull();
      expect(isOpen(at as number, hours)).toBe(true);
      waits.push(at as number);
      now = at as number;
    }
    const gaps = waits.map((w, i) => w - (i === 0 ? START - 2 * HOUR : (waits[i - 1] as number)));
    const distinct = new Set(gaps.map((g) => Math.round(g / MINUTE)));
    expect(distinct.size).toBeGreaterThan(50);
    // The quartiles of an exponential wait, in open time: ln(4/3) ≈ 0.29 and ln 4 ≈ 1.39 means.
    const openMinutes = (gap: number) => gap / MINUTE; // within one day's open hours, most gaps
    const sameDay = gaps
      .filter((g) => g <= 6 * HOUR)
      .map(openMinutes)
      .sort((a, b) => a - b);
    expect(sameDay.length).toBeGreaterThan(300);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(MIN_SHARE * mean);
    expect(sameDay.every((m) => m <= MAX_MEANS * 60)).toBe(true);
    const q1 = sameDay[Math.floor(sameDay.length / 4)] as number;
    const q3 = sameDay[Math.floor((3 * sameDay.length) / 4)] as number;
    expect(q3 - q1).toBeGreaterThan(30);
  });
});
