import { DateTime } from 'luxon';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface BusinessHours {
  readonly timezone: string;
  readonly days: readonly Weekday[];
  /** "HH:MM" local time. */
  readonly start: string;
  /** "HH:MM"; before `start` means the window runs over midnight into the next day. */
  readonly end: string;
  /** "YYYY-MM-DD" local dates on which nothing is open, all day. */
  readonly holidays: readonly string[];
}

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const SEARCH_DAYS = 15;

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

function weekdayOf(local: DateTime): Weekday {
  return WEEKDAYS[local.weekday - 1] ?? 'mon';
}

/**
 * Whether the instant lies in business hours. A window over midnight belongs to the day it starts
 * on (Friday 22:00–02:00 covers early Saturday). A holiday closes every minute of its local date.
 */
export function isOpen(now: number, hours: BusinessHours): boolean {
  const local = DateTime.fromMillis(now, { zone: hours.timezone });
  if (hours.holidays.includes(local.toISODate() ?? '')) return false;
  const minute = local.hour * 60 + local.minute;
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  const today = weekdayOf(local);
  if (start < end) return hours.days.includes(today) && minute >= start && minute < end;
  const yesterday = weekdayOf(local.minus({ days: 1 }));
  return (hours.days.includes(today) && minute >= start) || (hours.days.includes(yesterday) && minute < end);
}

/** The next instant after `now` at which business hours open, or null if none in the next two weeks. */
export function nextOpening(now: number, hours: BusinessHours): number | null {
  const local = DateTime.fromMillis(now, { zone: hours.timezone }).startOf('day');
  const start = minutesOf(hours.start);
  let best: number | null = null;
  for (let d = 0; d <= SEARCH_DAYS; d++) {
    const day = local.plus({ days: d });
    // Candidates: the window's start, and midnight (a holiday ending mid-window reopens it).
    const candidates = [day.set({ hour: Math.floor(start / 60), minute: start % 60 }), day];
    for (const c of candidates) {
      const at = c.toMillis();
      if (at > now && isOpen(at, hours) && !isOpen(at - 60_000, hours) && (best === null || at < best)) best = at;
    }
    if (best !== null) return best;
  }
  return best;
}

/** "Mon 10:00" in the zone, for status lines. */
export function formatLocal(at: number, timezone: string, withDay = true): string {
  const local = DateTime.fromMillis(at, { zone: timezone });
  return local.toFormat(withDay ? 'ccc HH:mm' : 'HH:mm');
}

/** Whether the timezone is a valid IANA zone. */
export function isValidZone(timezone: string): boolean {
  return DateTime.now().setZone(timezone).isValid;
}
