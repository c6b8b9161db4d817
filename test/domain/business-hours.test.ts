import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  type BusinessHours,
  formatLocal,
  isOpen,
  isValidZone,
  nextOpening,
  openSpansOn,
} from '../../src/domain/business-hours.js';

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const la: BusinessHours = {
  timezone: 'America/Los_Angeles',
  days: weekdays,
  start: '10:00',
  end: '16:00',
  holidays: ['2026-12-25'],
};
const at = (local: string, zone: string) => DateTime.fromISO(local, { zone }).toMillis();

describe('business hours', () => {
  it('00:00–24:00 is the whole day: its last minute is open, and so is the next day’s first', () => {
    const always: BusinessHours = {
      timezone: 'UTC',
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      start: '00:00',
      end: '24:00',
      holidays: [],
    };
    for (const local of ['2026-12-05T23:59:30', '2026-12-06T00:00', '2026-12-06T12:00', '2026-12-06T23:59:59'])
      expect(isOpen(at(local, 'UTC'), always)).toBe(true);
    // 23:59 as the end leaves its last minute closed: the gap 24:00 closes.
    expect(isOpen(at('2026-12-05T23:59:30', 'UTC'), { ...always, end: '23:59' })).toBe(false);
  });

  it.each([
    ['weekday midday', '2026-11-24T12:00', true],
    ['first business minute', '2026-11-24T10:00', true],
    ['a minute before opening', '2026-11-24T09:59', false],
    ['last business minute', '2026-11-24T15:59', true],
    ['the closing minute', '2026-11-24T16:00', false],
    ['Saturday', '2026-11-28T12:00', false],
    ['Sunday', '2026-11-29T12:00', false],
    ['a holiday on a weekday', '2026-12-25T12:00', false],
    ['the day after the holiday', '2026-12-28T12:00', true],
  ])('%s (%s) → open %s', (_name, local, open) => {
    expect(isOpen(at(local, la.timezone), la)).toBe(open);
  });

  describe.each([
    ['America/New_York', '2026-03-08', '2026-11-01'],
    ['Europe/Berlin', '2026-03-29', '2026-10-25'],
  ])('DST in %s', (zone, springForward, fallBack) => {
    const allWeek: BusinessHours = {
      timezone: zone,
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      start: '00:30',
      end: '04:00',
      holidays: [],
    };
    it('spring forward: the skipped hour never opens, local 03:00 is open', () => {
      const local = DateTime.fromISO(`${springForward}T03:00`, { zone });
      expect(local.isValid).toBe(true);
      expect(isOpen(local.toMillis(), allWeek)).toBe(true);
      // One real minute before local 03:00 is local 01:59 (the clock jumped), still open.
      expect(isOpen(local.toMillis() - 60_000, allWeek)).toBe(true);
      // The window is an hour shorter in real time: 00:30 → 04:00 local is 2.5 h.
      const open = DateTime.fromISO(`${springForward}T00:30`, { zone }).toMillis();
      const close = DateTime.fromISO(`${springForward}T04:00`, { zone }).toMillis();
      expect((close - open) / 3_600_000).toBe(2.5);
      expect(isOpen(close - 60_000, allWeek)).toBe(true);
      expect(isOpen(close, allWeek)).toBe(false);
    });
    it('fall back: both passes of the repeated hour are open, closes at local 04:00', () => {
      // The repeated hour: 01:xx in New York, 02:xx in Berlin.
      const repeated = zone === 'Europe/Berlin' ? '02:30' : '01:30';
      const firstUtc = zone === 'Europe/Berlin' ? '2026-10-25T00:30:00Z' : '2026-11-01T05:30:00Z';
      const first = DateTime.fromISO(firstUtc).setZone(zone);
      const second = first.plus({ hours: 1 });
      expect(first.toFormat('HH:mm')).toBe(repeated);
      expect(second.toFormat('HH:mm')).toBe(repeated);
      expect(isOpen(first.toMillis(), allWeek)).toBe(true);
      expect(isOpen(second.toMillis(), allWeek)).toBe(true);
      const close = DateTime.fromISO(`${fallBack}T04:00`, { zone }).toMillis();
      expect(isOpen(close, allWeek)).toBe(false);
      expect(isOpen(close - 60_000, allWeek)).toBe(true);
    });
    it('the 10:00 opening on the DST Monday is at local 10:00', () => {
      const office: BusinessHours = { timezone: zone, days: weekdays, start: '10:00', end: '16:00', holidays: [] };
      const sunday = DateTime.fromISO(`${springForward}T12:00`, { zone });
      const next = nextOpening(sunday.toMillis(), office);
      expect(next).not.toBeNull();
      expect(DateTime.fromMillis(next as number, { zone }).toFormat('ccc HH:mm')).toBe('Mon 10:00');
    });
  });

  describe('a window over midnight (Fri 22:00–02:00 belongs to Friday)', () => {
    const night: BusinessHours = { timezone: 'Europe/Berlin', days: ['fri'], start: '22:00', end: '02:00', holidays: [] };
    it.each([
      ['Friday 21:59', '2026-11-27T21:59', false],
      ['Friday 22:00', '2026-11-27T22:00', true],
      ['Friday 23:59', '2026-11-27T23:59', true],
      ['Saturday 00:00', '2026-11-28T00:00', true],
      ['Saturday 01:59', '2026-11-28T01:59', true],
      ['Saturday 02:00', '2026-11-28T02:00', false],
      ['Saturday 22:30', '2026-11-28T22:30', false],
      ['Friday 01:00 (Thursday night is not a window)', '2026-11-27T01:00', false],
    ])('%s → open %s', (_n, local, open) => {
      expect(isOpen(at(local, night.timezone), night)).toBe(open);
    });
    it('next opening from Saturday morning is Friday 22:00', () => {
      const next = nextOpening(at('2026-11-28T03:00', night.timezone), night);
      expect(DateTime.fromMillis(next as number, { zone: night.timezone }).toISO()).toContain('2026-12-04T22:00');
    });
  });

  it('next opening skips the weekend and the holiday', () => {
    const thursdayEvening = at('2026-12-24T17:00', la.timezone);
    const next = nextOpening(thursdayEvening, la);
    expect(DateTime.fromMillis(next as number, { zone: la.timezone }).toFormat('yyyy-MM-dd HH:mm')).toBe('2026-12-28 10:00');
  });

  it('next opening is null when every open day of the next two weeks is a holiday', () => {
    const blocked: BusinessHours = { ...la, days: ['mon'], holidays: ['2026-11-30', '2026-12-07'] };
    expect(nextOpening(at('2026-11-24T12:00', la.timezone), blocked)).toBeNull();
    const oneFree: BusinessHours = { ...la, days: ['mon'], holidays: ['2026-11-30'] };
    expect(nextOpening(at('2026-11-24T12:00', la.timezone), oneFree)).toBe(at('2026-12-07T10:00', la.timezone));
  });

  describe('DST edges: each window opens once and closes once, at the first instant its time is reached', () => {
    const everyDay = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
    /** Every change of isOpen, minute by minute, between two UTC instants. */
    function changes(hours: BusinessHours, from: string, to: string) {
      const start = Date.parse(`${from}Z`);
      const openings: string[] = [];
      const closings: string[] = [];
      let was = isOpen(start, hours);
      for (let t = start + 60_000; t <= Date.parse(`${to}Z`); t += 60_000) {
        const open = isOpen(t, hours);
        if (open !== was) (open ? openings : closings).push(new Date(t).toISOString().slice(0, 16));
        was = open;
      }
      return { openings, closings };
    }
    it.each([
      // zone, start, end, scanned from/to (UTC), opening, closing (UTC)
      [
        'spring forward, start in the skipped hour: opens at 03:00',
        'America/New_York',
        '02:30',
        '05:00',
        '2026-03-08T05:00',
        '2026-03-08T11:00',
        '2026-03-08T07:00',
        '2026-03-08T09:00',
      ],
      [
        'spring forward, end in the skipped hour: closes at 03:00',
        'America/New_York',
        '01:00',
        '02:30',
        '2026-03-08T04:00',
        '2026-03-08T10:00',
        '2026-03-08T06:00',
        '2026-03-08T07:00',
      ],
      [
        'spring forward in Berlin, start in the skipped hour',
        'Europe/Berlin',
        '02:30',
        '05:00',
        '2026-03-28T23:00',
        '2026-03-29T05:00',
        '2026-03-29T01:00',
        '2026-03-29T03:00',
      ],
      [
        'fall back, start in the repeated hour: opens on its first pass',
        'America/New_York',
        '01:30',
        '03:00',
        '2026-11-01T03:00',
        '2026-11-01T10:00',
        '2026-11-01T05:30',
        '2026-11-01T08:00',
      ],
      [
        'fall back, end in the repeated hour: closes on its first pass',
        'America/New_York',
        '00:00',
        '01:30',
        '2026-11-01T02:00',
        '2026-11-01T09:00',
        '2026-11-01T04:00',
        '2026-11-01T05:30',
      ],
      [
        'fall back in Berlin, start in the repeated hour',
        'Europe/Berlin',
        '02:30',
        '04:00',
        '2026-10-24T22:00',
        '2026-10-25T05:00',
        '2026-10-25T00:30',
        '2026-10-25T03:00',
      ],
      [
        'fall back in Berlin, end in the repeated hour',
        'Europe/Berlin',
        '01:00',
        '02:30',
        '2026-10-24T21:00',
        '2026-10-25T04:00',
        '2026-10-24T23:00',
        '2026-10-25T00:30',
      ],
      [
        'fall back, a window over midnight ending in the repeated hour',
        'America/New_York',
        '22:00',
        '01:30',
        '2026-11-01T00:00',
        '2026-11-01T09:00',
        '2026-11-01T02:00',
        '2026-11-01T05:30',
      ],
    ])('%s (%s %s–%s)', (_name, zone, start, end, from, to, opening, closing) => {
      const hours: BusinessHours = { timezone: zone, days: everyDay, start, end, holidays: [] };
      expect(changes(hours, from, to)).toEqual({ openings: [opening], closings: [closing] });
    });

    it.each([
      ['America/New_York', '2026-03-08', '2026-03-08T01:00', 'Sun 03:00'],
      ['Europe/Berlin', '2026-03-29', '2026-03-29T01:00', 'Sun 03:00'],
    ])('a 02:30 start on the spring-forward day in %s: the next opening is that day at 03:00, not the next day', (zone, _day, from, shown) => {
      const hours: BusinessHours = { timezone: zone, days: everyDay, start: '02:30', end: '05:00', holidays: [] };
      const next = nextOpening(at(from, zone), hours);
      expect(next).not.toBeNull();
      // The words status and the skip reason use.
      expect(formatLocal(next as number, zone)).toBe(shown);
      expect(isOpen(next as number, hours)).toBe(true);
      expect(isOpen((next as number) - 60_000, hours)).toBe(false);
    });

    it('fall back: the next opening of a window starting in the repeated hour is its first pass', () => {
      const hours: BusinessHours = { timezone: 'America/New_York', days: everyDay, start: '01:30', end: '03:00', holidays: [] };
      const next = nextOpening(at('2026-11-01T00:00', hours.timezone), hours);
      expect(new Date(next as number).toISOString()).toBe('2026-11-01T05:30:00.000Z');
      expect(DateTime.fromMillis(next as number, { zone: hours.timezone }).offset).toBe(-240);
    });
  });

  describe('holidays cover the whole window of their day (Fri 22:00–02:00)', () => {
    const night = (holidays: string[]): BusinessHours => ({
      timezone: 'Europe/Berlin',
      days: ['fri'],
      start: '22:00',
      end: '02:00',
      holidays,
    });
    it.each([
      ['Friday holiday: Friday 23:00', false, ['2026-11-27'], '2026-11-27T23:00'],
      ['Friday holiday: the Saturday-morning part, 00:30', false, ['2026-11-27'], '2026-11-28T00:30'],
      ['Friday holiday: Saturday 01:59', false, ['2026-11-27'], '2026-11-28T01:59'],
      ['Saturday holiday: Friday 23:00 still open', true, ['2026-11-28'], '2026-11-27T23:00'],
      ['Saturday holiday: its own date is closed, 00:30', false, ['2026-11-28'], '2026-11-28T00:30'],
      ['holiday the Friday before: this Friday 23:00 open', true, ['2026-11-20'], '2026-11-27T23:00'],
      ['holiday the Friday before: this Saturday 00:30 open', true, ['2026-11-20'], '2026-11-28T00:30'],
    ])('%s → open %s', (_name, open, holidays, local) => {
      const hours = night(holidays);
      expect(isOpen(at(local, hours.timezone), hours)).toBe(open);
    });
    it('from a Friday holiday evening, the next opening is the next Friday 22:00, not Saturday midnight', () => {
      const hours = night(['2026-11-27']);
      const next = nextOpening(at('2026-11-27T21:00', hours.timezone), hours);
      expect(DateTime.fromMillis(next as number, { zone: hours.timezone }).toFormat('yyyy-MM-dd HH:mm')).toBe('2026-12-04 22:00');
    });
  });

  describe('the open spans of a whole date agree with isOpen at every minute of it', () => {
    const hours = (timezone: string, start: string, end: string, holidays: string[] = []): BusinessHours => ({
      timezone,
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
      start,
      end,
      holidays,
    });
    it.each([
      ['a plain weekday', hours('America/Los_Angeles', '10:00', '16:00'), '2026-11-24'],
      ['a Sunday after an over-midnight Saturday window', hours('Europe/Berlin', '22:00', '02:00'), '2026-11-29'],
      ['a holiday, after an over-midnight window', hours('Europe/Berlin', '22:00', '02:00', ['2026-11-28']), '2026-11-28'],
      ['the day after a holiday', hours('Europe/Berlin', '22:00', '02:00', ['2026-11-27']), '2026-11-28'],
      ['spring forward, a window in the skipped hour', hours('America/New_York', '02:30', '04:00'), '2026-03-09'],
      ['spring forward day itself', hours('Europe/Berlin', '00:30', '04:00'), '2026-03-28'],
      ['fall back, a window over the repeated hour', hours('Europe/Berlin', '01:30', '03:30'), '2026-10-24'],
      ['fall back over midnight', hours('America/Sao_Paulo', '23:00', '01:00'), '2026-11-24'],
      ['a half-hour zone', hours('Asia/Kolkata', '09:30', '18:00'), '2026-11-24'],
    ])('%s', (_name, h, date) => {
      const start = DateTime.fromISO(date, { zone: h.timezone }).startOf('day').toMillis();
      const end = DateTime.fromISO(date, { zone: h.timezone }).plus({ days: 1 }).startOf('day').toMillis();
      const spans = openSpansOn(date, h);
      let open = 0;
      for (let m = start; m < end; m += 60_000) {
        const inSpan = spans.some((s) => m >= s.open && m < s.close);
        expect(inSpan, DateTime.fromMillis(m, { zone: h.timezone }).toISO() ?? '').toBe(isOpen(m, h));
        if (inSpan) open++;
      }
      // Not vacuous: every case but the holiday has open minutes.
      expect(open > 0).toBe(h.holidays[0] !== date);
    });
  });

  describe('isValidZone accepts what luxon accepts, as DateTime.setZone does', () => {
    it.each([
      ['UTC', true],
      ['utc', true],
      ['America/Los_Angeles', true],
      ['america/los_angeles', true],
      ['Asia/Calcutta', true],
      ['US/Pacific', true],
      ['UTC+3', true],
      ['Etc/GMT+5', true],
      ['Mars/Olympus', false],
      ['America/Los Angeles', false],
      ['', false],
      ['+25', false],
    ])('%s → %s', (zone, valid) => {
      expect(isValidZone(zone)).toBe(valid);
      expect(DateTime.now().setZone(zone).isValid).toBe(valid);
    });
  });
});
