import { DateTime } from 'luxon';
import type { TickOutcome } from './model.js';

/** The day a report covers and the rows it reads, as the store keeps them. */

/** One local calendar day in a zone: [start, end) in epoch ms; 23 or 25 hours long on DST days. */
export interface LocalDay {
  readonly date: string;
  readonly timezone: string;
  readonly start: number;
  readonly end: number;
}

/** The day `date` (YYYY-MM-DD) in the zone, or null when it is not a real date. */
export function localDay(date: string, timezone: string): LocalDay | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const start = DateTime.fromISO(date, { zone: timezone });
  if (!start.isValid) return null;
  return { date, timezone, start: start.toMillis(), end: start.plus({ days: 1 }).toMillis() };
}

/** Yesterday's local date at `now`. */
export function previousDate(now: number, timezone: string): string {
  return DateTime.fromMillis(now, { zone: timezone }).minus({ days: 1 }).toISODate() ?? '';
}

/** A tick as the store keeps it. */
export interface ReportTick {
  readonly at: number;
  readonly outcome: TickOutcome;
}

/** An audit row as the store keeps it. */
export interface ReportAudit {
  readonly at: number;
  readonly actor: string;
  readonly command: string;
  readonly text: string;
  readonly outcome: string;
  readonly detail: string;
  /** 'halted' / 'resumed' / 'none' for a stop or start; null or absent on rows from before it was kept. */
  readonly action?: string | null;
}

export interface Band {
  readonly start: number;
  readonly end: number;
  readonly label: string;
  /** Who halted, for a halt from a `stop`: the text report names them as the transport shows people. */
  readonly by?: string;
}
