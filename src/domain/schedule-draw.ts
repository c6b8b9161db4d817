import { type BusinessHours, isOpen, nextOpening } from './business-hours.js';

/**
 * The scheduler's yielding to people and its cadence, pure: the quiet period an approved game day
 * reserves before its start, and the next attack time drawn around a mean (`schedule.meanInterval`).
 */

/** An upcoming game day occurrence as the schedule sees it. */
export interface UpcomingDrill {
  readonly name: string;
  /** Epoch ms of the start. */
  readonly at: number;
  /** Enough admins approved it (a game day that needs no approval is approved). */
  readonly approved: boolean;
  /** How long before the start no scheduled attack starts. */
  readonly quietBeforeMs: number;
}

/**
 * The approved game day whose quiet period [start - quietBefore, start) meets the span [from, to]
 * (the earliest start when several do); null when none. `to` defaults to `from`: is `from` quiet?
 */
export function quietFor(drills: readonly UpcomingDrill[], from: number, to = from): { name: string; at: number } | null {
  let best: UpcomingDrill | null = null;
  for (const d of drills) {
    if (!d.approved || from >= d.at || to < d.at - d.quietBeforeMs) continue;
    if (!best || d.at < best.at) best = d;
  }
  return best ? { name: best.name, at: best.at } : null;
}

/** The draw never waits less than this share of the mean, nor more than this many means. */
export const MIN_SHARE = 0.1;
export const MAX_MEANS = 4;
const MINUTE = 60_000;
/** A draw that finds no open minute within this span gives up (no business hours configured that soon). */
const MAX_SPAN_MS = 28 * 24 * 3_600_000;

/**
 * The next scheduled attack time: an exponential wait with the given mean (as Chaos Monkey's mean
 * time between terminations), bounded to [0.1, 4] means so that neither a burst nor a month of
 * silence comes of it, counted in open business-hours minutes only (the clock stops while closed).
 * `r` is one uniform draw in [0, 1). Null when no open minute is found within 28 days.
 */
export function drawNext(now: number, meanMs: number, hours: BusinessHours, r: number): number | null {
  const raw = -meanMs * Math.log(1 - Math.min(Math.max(r, 0), 0.999_999_999));
  const wait = Math.min(Math.max(raw, meanMs * MIN_SHARE), meanMs * MAX_MEANS);
  let left = Math.ceil(wait / MINUTE);
  let at = now;
  while (left > 0) {
    if (at - now > MAX_SPAN_MS) return null;
    if (isOpen(at, hours)) {
      at += MINUTE;
      left--;
    } else {
      const opens = nextOpening(at, hours);
      if (opens === null || opens <= at) return null;
      at = opens;
    }
  }
  if (!isOpen(at, hours)) {
    const opens = nextOpening(at, hours);
    return opens === null || opens - now > MAX_SPAN_MS ? null : opens;
  }
  return at;
}
