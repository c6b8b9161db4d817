import { isOpen, nextOpening } from '../../domain/business-hours.js';
import type { Reply } from '../../ports/chat.js';
import { errorMessage } from '../../ports/errors.js';
import type { InFlight } from '../../words/halt-replies.js';
import {
  type NextChance,
  nextChanceText,
  type StatusRecords,
  statusText,
  type TeamGlance,
  teamLineText,
} from '../../words/status.js';
import type { AppContext } from '../context.js';

/** When the scheduler may attack next, and why not earlier, as data. */
export function nextChanceOf(ctx: Pick<AppContext, 'clock' | 'config' | 'hours' | 'latch' | 'runner'>): NextChance {
  const now = ctx.clock.now();
  const state = ctx.latch.state();
  if (state.halt) return { kind: 'halted' };
  // One at a time: while one is in flight (or awaiting its verdict) the next waits for it, then the cooldown.
  const busy = ctx.runner.inFlightCount;
  if (busy > 0) return { kind: 'busy', inFlight: busy, cooldownMs: ctx.config.schedule.cooldown };
  let at = now;
  let cooldownUntil: number | null = null;
  if (state.cooldownUntil !== null && state.cooldownUntil > at) {
    at = state.cooldownUntil;
    cooldownUntil = at;
  }
  const closed = !isOpen(at, ctx.hours);
  if (closed) {
    const opens = nextOpening(at, ctx.hours);
    if (opens === null) return { kind: 'never-open' };
    at = opens;
  }
  return { kind: 'at', at: at <= now ? null : at, cooldownUntil, closed };
}

/** When the scheduler may attack next, and why not earlier. */
export function nextChance(ctx: Pick<AppContext, 'clock' | 'config' | 'hours' | 'latch' | 'runner'>): string {
  return nextChanceText(nextChanceOf(ctx), ctx.config.timezone);
}

/** What is in flight: each attack with its row, or the reservation still checking health. */
export function inFlightOf(ctx: Pick<AppContext, 'runner'>): InFlight[] {
  return ctx.runner.list().map((f): InFlight => {
    const r = f.id === null ? undefined : ctx.runner.records.get(f.id);
    return r ? { kind: 'recorded', record: r } : { kind: 'reserved', trigger: f.request.trigger };
  });
}

/** What every view of the team starts from: the halt, the mode, what is in flight, when next. */
export function glanceOf(ctx: Pick<AppContext, 'clock' | 'config' | 'hours' | 'latch' | 'runner'>): TeamGlance {
  return {
    timezone: ctx.config.timezone,
    halt: ctx.latch.state().halt,
    dryRun: ctx.config.dryRun,
    inFlight: inFlightOf(ctx),
    next: nextChanceOf(ctx),
  };
}

/** What the database says for `status`, read in order; a failed read stops the rest. */
function recordsOf(ctx: Pick<AppContext, 'config' | 'store'>): StatusRecords {
  let ticks: StatusRecords['ticks'] = null;
  let unconfirmed: StatusRecords['unconfirmed'] = null;
  try {
    const skip = ctx.store.lastSkip() ?? null;
    const last = ctx.store.lastTick() ?? null;
    ticks = { last, skip };
    unconfirmed = ctx.store.unconfirmedAttacks();
    const report = ctx.store.lastHealth();
    const health: StatusRecords['health'] =
      ctx.config.health.length === 0 ? { kind: 'unconfigured' } : report ? { kind: 'checked', report } : { kind: 'unchecked' };
    return { ticks, unconfirmed, health, readError: null };
  } catch (error) {
    return { ticks, unconfirmed, health: null, readError: errorMessage(error) };
  }
}

export function status(
  ctx: Pick<AppContext, 'clock' | 'config' | 'ears' | 'faults' | 'gameDays' | 'hosts' | 'hours' | 'latch' | 'runner' | 'store'>,
): Reply {
  const { config } = ctx;
  const now = ctx.clock.now();
  const { days, start, end } = config.businessHours;
  const text = statusText({
    ...glanceOf(ctx),
    now,
    faults: ctx.faults.list(),
    recovering: ctx.runner.recovering,
    unsaved: ctx.runner.records.unsaved,
    hours: { open: isOpen(now, ctx.hours), days, start, end },
    gameDay: ctx.gameDays?.nextLine() ?? null,
    hosts: { total: ctx.hosts.all().length, fromConfig: config.hosts.length, sources: ctx.hosts.sources() },
    hearing: ctx.ears.hearing(),
    records: recordsOf(ctx),
  });
  return { text };
}

/** One line of a team for `status` over every team: halted or running, in flight, next chance. */
export function statusLine(ctx: Pick<AppContext, 'clock' | 'config' | 'gameDays' | 'hours' | 'latch' | 'runner'>): string {
  return teamLineText({
    ...glanceOf(ctx),
    team: ctx.config.team,
    gameDay: ctx.gameDays?.nextLine() ?? null,
  });
}
