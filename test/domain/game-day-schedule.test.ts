import { describe, expect, it } from 'vitest';
import { cronFields } from '../../src/config/game-days.js';
import { type CronFields, nextOccurrence } from '../../src/domain/game-day-schedule.js';

const fields = (at: string): CronFields => {
  const f = cronFields(at);
  if (typeof f === 'string') throw new Error(f);
  return f;
};
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('nextOccurrence: the next start of a game day in its zone', () => {
  it.each([
    // [rule, at, zone, after (UTC), next (UTC)]
    [
      'the coming Friday 14:00 in Los Angeles (PST)',
      '0 14 * * fri',
      'America/Los_Angeles',
      '2026-11-24T20:00:00Z',
      '2026-11-27T22:00:00.000Z',
    ],
    [
      'strictly after: at the start itself, the week after',
      '0 14 * * fri',
      'America/Los_Angeles',
      '2026-11-27T22:00:00Z',
      '2026-12-04T22:00:00.000Z',
    ],
    [
      'a minute before the start, the same day',
      '0 14 * * fri',
      'America/Los_Angeles',
      '2026-11-27T21:59:00Z',
      '2026-11-27T22:00:00.000Z',
    ],
    [
      'Friday 14:00 in Tokyo is Friday 05:00 UTC',
      '0 14 * * fri',
      'Asia/Tokyo',
      '2026-11-24T20:00:00Z',
      '2026-11-27T05:00:00.000Z',
    ],
    [
      'the local day, not the UTC day, decides the weekday (Mon 23:30 PST is Tue in UTC)',
      '30 23 * * mon',
      'America/Los_Angeles',
      '2026-11-24T00:00:00Z',
      '2026-11-24T07:30:00.000Z',
    ],
    [
      'summer time (PDT, UTC-7) before the autumn change',
      '0 14 * * fri',
      'America/Los_Angeles',
      '2026-10-26T00:00:00Z',
      '2026-10-30T21:00:00.000Z',
    ],
    [
      'winter time (PST, UTC-8) after the autumn change',
      '0 14 * * fri',
      'America/Los_Angeles',
      '2026-10-31T00:00:00Z',
      '2026-11-06T22:00:00.000Z',
    ],
    [
      'a time skipped by the spring change happens after the gap',
      '30 2 8 3 *',
      'America/Los_Angeles',
      '2026-03-01T00:00:00Z',
      '2026-03-08T10:30:00.000Z',
    ],
    [
      'a time repeated by the autumn change happens once, the first time',
      '30 1 1 11 *',
      'America/Los_Angeles',
      '2026-10-31T00:00:00Z',
      '2026-11-01T08:30:00.000Z',
    ],
    ['…and not again an hour later', '30 1 1 11 *', 'America/Los_Angeles', '2026-11-01T08:30:00Z', '2027-11-01T08:30:00.000Z'],
    [
      'day of month and weekday must both match (node-cron)',
      '0 9 13 * fri',
      'UTC',
      '2026-01-01T00:00:00Z',
      '2026-02-13T09:00:00.000Z',
    ],
    ['the 29th of February', '0 12 29 2 *', 'UTC', '2026-03-01T00:00:00Z', '2028-02-29T12:00:00.000Z'],
    ['steps and ranges', '*/20 9-10 * * mon-fri', 'UTC', '2026-11-27T10:40:00Z', '2026-11-30T09:00:00.000Z'],
    ['weekday 7 is Sunday', '0 10 * * 7', 'UTC', '2026-11-24T00:00:00Z', '2026-11-29T10:00:00.000Z'],
  ])('%s', (_rule, at, zone, after, next) => {
    expect(iso(nextOccurrence(fields(at), Date.parse(after), zone))).toBe(next);
  });

  it('has none for a date that never comes (31 February) and none in an unknown zone', () => {
    const never: CronFields = { minute: [0], hour: [0], dayOfMonth: [31], month: [2], weekday: [0, 1, 2, 3, 4, 5, 6] };
    expect(nextOccurrence(never, Date.parse('2026-01-01T00:00:00Z'), 'UTC')).toBeNull();
    expect(nextOccurrence(fields('0 14 * * fri'), 0, 'Mars/Olympus')).toBeNull();
  });
});
