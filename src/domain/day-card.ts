/** The archive's day cards: what one day held and the colour that says whether it needs a look. Pure. */
import { DateTime } from 'luxon';

/** A day's attacks by outcome, as the store counts them. */
export interface DayCounts {
  readonly total: number;
  readonly completed: number;
  readonly reverted: number;
  readonly failed: number;
  readonly orphaned: number;
  readonly cancelled: number;
  readonly held: number;
  readonly recovered: number;
  readonly notRecovered: number;
  readonly unknown: number;
  /** Attacks whose rollback ran and failed. */
  readonly rollbackFailed: number;
  /** Attacks nobody saw end (host unreachable when aborted). */
  readonly unconfirmed: number;
  /** Live attacks whose steady state deviated and that no alert caught (monitoring gaps). */
  readonly monitoringGaps: number;
  readonly dryRuns: number;
}

/** What the store knows of one day, beyond its attacks. */
export interface DayFacts {
  readonly counts: DayCounts;
  /** Minute ticks recorded: none means the bot was not running. */
  readonly ticks: number;
  /** Ticks skipped because the bot was halted. */
  readonly haltedTicks: number;
  /** `stop` commands that latched (or tried to latch) a halt. */
  readonly stops: number;
}

/**
 * red: something a team must act on (not recovered, failed rollback, failed or orphaned attack);
 * amber: a fault was felt or the bot was held (recovered, unconfirmed, halt); grey: the bot was not
 * running; plain: nothing to see.
 */
export type CardTone = 'red' | 'amber' | 'plain' | 'grey';

export interface DayCard extends DayFacts {
  readonly date: string;
  readonly tone: CardTone;
  /** Why the card has its colour, worst first; empty for plain and grey. */
  readonly reasons: readonly string[];
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function dayCard(date: string, facts: DayFacts): DayCard {
  const c = facts.counts;
  // A gap is amber, or red when the system did not recover either (its verdict already makes it red).
  const gaps = c.monitoringGaps ? count(c.monitoringGaps, 'monitoring gap') : '';
  const red = [
    c.notRecovered ? `${c.notRecovered} not recovered` : '',
    c.rollbackFailed ? count(c.rollbackFailed, 'failed rollback') : '',
    c.failed ? `${c.failed} failed` : '',
    c.orphaned ? `${c.orphaned} orphaned` : '',
  ].filter(Boolean);
  const amber = [
    gaps,
    c.recovered ? `${c.recovered} recovered` : '',
    c.unconfirmed ? `${c.unconfirmed} unconfirmed` : '',
    facts.stops ? count(facts.stops, 'halt') : '',
    facts.haltedTicks && !facts.stops ? `halted ${count(facts.haltedTicks, 'minute')}` : '',
  ].filter(Boolean);
  const tone: CardTone = red.length ? 'red' : amber.length ? 'amber' : facts.ticks === 0 && c.total === 0 ? 'grey' : 'plain';
  return { date, ...facts, tone, reasons: [...red, ...amber] };
}

/** Days per index page. */
export const DAYS_PER_PAGE = 30;

/** The dates of index page `page` (0 = the latest), newest first, ending at `today`. */
export function pageDates(today: string, page: number, size: number = DAYS_PER_PAGE): string[] {
  const last = DateTime.fromISO(today, { zone: 'UTC' }).minus({ days: page * size });
  return Array.from({ length: size }, (_, i) => last.minus({ days: i }).toISODate() ?? '');
}

/** Today's local date at `now`. */
export function todayIn(now: number, timezone: string): string {
  return DateTime.fromMillis(now, { zone: timezone }).toISODate() ?? '';
}
