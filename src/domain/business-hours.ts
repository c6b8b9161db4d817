import { DateTime, Info } from 'luxon';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface BusinessHours {
  readonly timezone: string;
  readonly days: readonly Weekday[];
  /** "HH:MM" local time. */
  readonly start: string;
  /** "HH:MM"; before `start` means the window runs over midnight into the next day. */
  readonly end: string;
  /** "YYYY-MM-DD" local dates: closed all day, and the window that starts on them is closed to its end. */
  readonly holidays: readonly string[];
}

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const SEARCH_DAYS = 15;

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** A calendar date, free of any zone: the day a window belongs to. */
interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Days since 1970-01-01 of a calendar date (proleptic Gregorian; H. Hinnant's days_from_civil). */
function daysOf({ year, month, day }: LocalDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

function dateOf(days: number): LocalDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day: doy - Math.floor((153 * mp + 2) / 5) + 1 };
}

function addDays(date: LocalDate, days: number): LocalDate {
  return dateOf(daysOf(date) + days);
}

function isoOf(date: LocalDate): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

function weekdayOf(date: LocalDate): Weekday {
  // 1970-01-01 was a Thursday.
  return WEEKDAYS[(((daysOf(date) + 3) % 7) + 7) % 7] ?? 'mon';
}

function offsetMs(at: number, zone: string): number {
  return DateTime.fromMillis(at, { zone }).offset * MINUTE_MS;
}

/**
 * The first instant at which the zone's clocks read `minutes` past midnight of `date` or later.
 * A time that does not exist (skipped by spring forward) gives the instant the clocks jump, so a
 * 02:30 start opens at 03:00; a time that exists twice (fall back) gives its first pass, so a window
 * starting or ending in the repeated hour opens or closes once. (Luxon alone would give 03:30 and
 * the second pass.)
 */
function firstInstantAt(date: LocalDate, minutes: number, zone: string): number {
  const wall = daysOf(date) * DAY_MS + minutes * MINUTE_MS;
  const before = offsetMs(wall - DAY_MS / 2, zone);
  const after = offsetMs(wall + DAY_MS / 2, zone);
  const readsWall = (t: number, offset: number) => offsetMs(t, zone) === offset;
  const exact = [before, after]
    .filter((offset) => readsWall(wall - offset, offset))
    .map((offset) => wall - offset)
    .sort((a, b) => a - b);
  if (exact[0] !== undefined) return exact[0];
  // In the gap: the clocks read before `wall` at `lo` and after it at `hi`; find the jump.
  let lo = wall - Math.max(before, after);
  let hi = wall - Math.min(before, after);
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
    if (mid + offsetMs(mid, zone) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

export interface Span {
  readonly open: number;
  readonly close: number;
}

/**
 * Computed windows: zone lookups cost tens of microseconds and the report asks for every minute of
 * a day. A pure function's results, so the cache changes no answer; bounded so it cannot grow.
 */
const spans = new Map<string, Span>();
const MAX_SPANS = 1024;

/** The real-time span of the window that belongs to `date`: [open, close). */
function windowOf(date: LocalDate, hours: BusinessHours): Span {
  const key = `${hours.timezone}|${isoOf(date)}|${hours.start}|${hours.end}`;
  const known = spans.get(key);
  if (known) return known;
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  const open = firstInstantAt(date, start, hours.timezone);
  const close = firstInstantAt(end > start ? date : addDays(date, 1), end, hours.timezone);
  if (spans.size >= MAX_SPANS) spans.clear();
  const span = { open, close };
  spans.set(key, span);
  return span;
}

/** Whether a window belongs to the date: one of the days, and not a holiday. */
function hasWindow(date: LocalDate, hours: BusinessHours): boolean {
  return hours.days.includes(weekdayOf(date)) && !hours.holidays.includes(isoOf(date));
}

function localDateOf(at: number, timezone: string): LocalDate {
  const local = DateTime.fromMillis(at, { zone: timezone });
  return { year: local.year, month: local.month, day: local.day };
}

/**
 * Whether the instant lies in business hours. A window over midnight belongs to the day it starts
 * on (Friday 22:00–02:00 covers early Saturday). A holiday closes the whole window of its day, the
 * part after midnight included, and every minute of its own date (when unsure, closed).
 */
export function isOpen(now: number, hours: BusinessHours): boolean {
  return spansOn(localDateOf(now, hours.timezone), hours).some((s) => now >= s.open && now < s.close);
}

/**
 * The windows that can hold an instant of the local date `date`: isOpen(t) for a t on that date is
 * exactly "t lies in one of them". Yesterday's window may run over midnight; tomorrow's only where
 * clocks fall back over midnight. None on a holiday.
 */
function spansOn(date: LocalDate, hours: BusinessHours): Span[] {
  if (hours.holidays.includes(isoOf(date))) return [];
  const out: Span[] = [];
  for (const d of [-1, 0, 1]) {
    const day = addDays(date, d);
    if (hasWindow(day, hours)) out.push(windowOf(day, hours));
  }
  return out;
}

/**
 * isOpen for every instant of one local date (YYYY-MM-DD in hours.timezone) at once: the [open, close)
 * spans that hold its open instants. The report asks about each minute of a day; one zone lookup
 * per minute was most of its cost. Empty for a date that is not one.
 */
export function openSpansOn(date: string, hours: BusinessHours): readonly Span[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return [];
  return spansOn({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, hours);
}

/** The next instant after `now` at which business hours open, or null if none in the next two weeks. */
export function nextOpening(now: number, hours: BusinessHours): number | null {
  const today = localDateOf(now, hours.timezone);
  for (let d = -1; d <= SEARCH_DAYS; d++) {
    const date = addDays(today, d);
    if (!hasWindow(date, hours)) continue;
    const { open } = windowOf(date, hours);
    if (open > now && isOpen(open, hours) && !isOpen(open - MINUTE_MS, hours)) return open;
  }
  return null;
}

/** "Mon 10:00" in the zone, for status lines. */
export function formatLocal(at: number, timezone: string, withDay = true): string {
  const local = DateTime.fromMillis(at, { zone: timezone });
  return local.toFormat(withDay ? 'ccc HH:mm' : 'HH:mm');
}

/**
 * Whether luxon accepts the zone (an IANA name, or "UTC", "UTC+3"…): the same answer as
 * `DateTime.now().setZone(timezone).isValid`, without making a DateTime. Making one asks ICU for the
 * system's locale, about 20 ms of the bot's start (issue 14); "UTC" needs no ICU at all this way.
 */
export function isValidZone(timezone: string): boolean {
  return Info.normalizeZone(timezone)?.isValid ?? false;
}
