import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { type BusinessHours, isOpen, nextOpening } from '../../src/domain/business-hours.js';

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
});
