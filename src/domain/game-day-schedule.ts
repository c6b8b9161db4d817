import { DateTime } from 'luxon';

/**
 * A game day's `at:` as sets of allowed values, as node-cron expands it (config/game-days.ts does the
 * parsing): minute 0-59, hour 0-23, day of month 1-31, month 1-12, weekday 0-6 (0 = Sunday). Day of
 * month and weekday must both match (node-cron's rule, not classic cron's "either").
 */
export interface CronFields {
  readonly minute: readonly number[];
  readonly hour: readonly number[];
  readonly dayOfMonth: readonly number[];
  readonly month: readonly number[];
  readonly weekday: readonly number[];
}

/** DST shifts are an hour, or half an hour in a few zones. */
const SHIFTS_MS = [3_600_000, 1_800_000];

/** A wall-clock time that happens twice (the autumn change): the first time. Luxon gives the second. */
function firstOf(at: DateTime): number {
  const ms = at.toMillis();
  for (const shift of SHIFTS_MS) {
    const earlier = DateTime.fromMillis(ms - shift, { zone: at.zone });
    if (earlier.hour === at.hour && earlier.minute === at.minute && earlier.day === at.day) return earlier.toMillis();
  }
  return ms;
}

/** How far ahead the next occurrence is searched: an `at:` that matches no day in 5 years has none. */
const MAX_DAYS = 366 * 5;

/**
 * The first occurrence strictly after `after` (epoch ms), in the zone's wall-clock time; null when
 * none within five years. A local time skipped by a DST change (02:30 on the spring-forward day)
 * happens at the same wall-clock offset after the gap (03:30), as node-cron does; a time that
 * happens twice (the autumn hour) happens once, the first time. Pure.
 */
export function nextOccurrence(fields: CronFields, after: number, zone: string): number | null {
  const start = DateTime.fromMillis(after, { zone });
  if (!start.isValid) return null;
  const minutes = [...fields.minute].sort((a, b) => a - b);
  const hours = [...fields.hour].sort((a, b) => a - b);
  let day = start.startOf('day');
  for (let i = 0; i < MAX_DAYS; i++) {
    const weekday = day.weekday % 7; // luxon: 1 = Monday … 7 = Sunday
    if (fields.month.includes(day.month) && fields.dayOfMonth.includes(day.day) && fields.weekday.includes(weekday)) {
      for (const hour of hours) {
        for (const minute of minutes) {
          const at = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour, minute }, { zone });
          const ms = firstOf(at);
          if (ms > after) return ms;
        }
      }
    }
    day = day.plus({ days: 1 }).startOf('day');
  }
  return null;
}
