import { isOpen, nextOpening } from '../../domain/business-hours.js';
import { formatDuration } from '../../domain/duration.js';
import { isFinal } from '../../domain/model.js';
import type { Reply } from '../../ports/chat.js';
import { faultText } from '../../words/announcements.js';
import { plural } from '../../words/common.js';
import { attackLine } from '../../words/format.js';
import { askerText } from '../../words/halt-replies.js';
import { sourceLines } from '../../words/inventory.js';
import { haltText } from '../../words/refusals.js';
import { when } from '../../words/tokens.js';
import type { AppContext } from '../context.js';

/** When the scheduler may attack next, and why not earlier. */
export function nextChance(ctx: Pick<AppContext, 'clock' | 'config' | 'hours' | 'latch' | 'runner'>): string {
  const now = ctx.clock.now();
  const state = ctx.latch.state();
  const tz = ctx.config.timezone;
  if (state.halt) return 'never until an admin says `start`';
  const hours = ctx.hours;
  let at = now;
  const why: string[] = [];
  // One at a time: while one is in flight (or awaiting its verdict) the next waits for it, then the cooldown.
  const busy = ctx.runner.inFlightCount;
  if (busy > 0) {
    const cooldown = formatDuration(ctx.config.schedule.cooldown);
    return `after the ${busy === 1 ? 'attack' : `${busy} attacks`} in flight ${busy === 1 ? 'ends' : 'end'} and the cooldown (${cooldown}) passes, if every health check passes`;
  }
  if (state.cooldownUntil !== null && state.cooldownUntil > at) {
    at = state.cooldownUntil;
    why.push(`cooldown until ${when(at, tz)}`);
  }
  if (!isOpen(at, hours)) {
    const opens = nextOpening(at, hours);
    if (opens === null) return 'not in the next two weeks (business hours never open)';
    at = opens;
    why.push('business hours');
  }
  const next = at <= now ? 'at the next tick' : when(at, tz, 'ccc HH:mm');
  return `${next}${why.length ? ` (${why.join(', ')})` : ''}, if every health check passes`;
}

export function status(
  ctx: Pick<AppContext, 'clock' | 'config' | 'ears' | 'faults' | 'gameDays' | 'hosts' | 'hours' | 'latch' | 'runner' | 'store'>,
): Reply {
  const { config } = ctx;
  const tz = config.timezone;
  const state = ctx.latch.state();
  const lines: string[] = [];
  // First of all: where a fault may still be in place, and what to do about it.
  for (const f of ctx.faults.list()) lines.push(faultText(f, tz));
  const halted = state.halt ? haltText(state.halt, tz) : null;
  lines.push(halted ? `*Halted* — ${halted}.` : `*Running* — ${config.dryRun ? 'dry run (hosts are never touched)' : 'live'}.`);
  const flights = ctx.runner.list();
  if (flights.length === 0) lines.push('In flight: nothing.');
  for (const f of flights) {
    const r = f.id === null ? undefined : ctx.runner.records.get(f.id);
    if (!r) {
      lines.push(`Starting: ${askerText(f.request.trigger)} — checking health; nothing touched yet.`);
      continue;
    }
    if (isFinal(r.state)) {
      lines.push(
        `Verifying: ${attackLine(r)} — ${r.state}; its verdict is pending: the probes run until the steady state holds or the recovery window ends (nothing new starts meanwhile).`,
      );
      continue;
    }
    const left = Math.max(0, r.createdAt + r.durationMs - ctx.clock.now());
    const timer = r.dryRun ? '' : `, its on-host timer kills it and runs its rollback by ${when(r.deadlineAt, tz)}`;
    lines.push(`In flight: ${attackLine(r)} — ${r.state}, ${formatDuration(left)} left${timer}.`);
  }
  if (ctx.runner.recovering > 0) {
    lines.push(
      `Recovering: ${plural(ctx.runner.recovering, 'attack')} left by the previous run ${ctx.runner.recovering === 1 ? 'is' : 'are'} being reverted; other commands wait.`,
    );
  }
  if (ctx.runner.records.unsaved > 0) {
    lines.push(
      `The database refuses writes: ${ctx.runner.records.unsaved} kept in memory and retried every few seconds (see the log).`,
    );
  }
  lines.push(
    `Business hours: ${isOpen(ctx.clock.now(), ctx.hours) ? 'open' : 'closed'} (${config.businessHours.days.join(' ')} ${config.businessHours.start}–${config.businessHours.end} ${tz}).`,
  );
  lines.push(`Next attack: ${nextChance(ctx)}.`);
  const gameDay = ctx.gameDays?.nextLine();
  if (gameDay) lines.push(gameDay);
  const sources = ctx.hosts.sources();
  if (sources.length > 0) {
    lines.push(`Hosts: ${ctx.hosts.all().length} (${config.hosts.length} from the config).`);
    for (const line of sourceLines(sources, ctx.clock.now(), tz, 0)) lines.push(`  ${line}`);
  }
  const hearing = ctx.ears.hearing();
  if (!hearing.ok) lines.push(`Cannot hear stop: ${hearing.reason} — no attack starts until it can.`);
  try {
    const skip = ctx.store.lastSkip();
    const last = ctx.store.lastTick();
    if (last) {
      const o = last.outcome;
      const text = o.kind === 'attacked' ? `attacked: #${o.attackId} ${o.attack} on ${o.host}` : `skipped: ${o.reason}`;
      lines.push(`Last tick ${when(last.at, tz)}: ${text}.`);
    }
    if (skip && last && skip.at !== last.at && skip.outcome.kind === 'skipped') {
      lines.push(`Last skip ${when(skip.at, tz)}: ${skip.outcome.reason}.`);
    }
    for (const r of ctx.store.unconfirmedAttacks()) {
      lines.push(`Not confirmed: ${attackLine(r)} — its host was unreachable when it was aborted; the next contact checks it.`);
    }
    const health = ctx.store.lastHealth();
    if (config.health.length === 0) lines.push('Health: no providers configured (passes).');
    else if (!health) lines.push('Health: not checked yet.');
    else {
      lines.push(`Health ${when(health.checkedAt, tz, 'HH:mm:ss')}: ${health.healthy ? 'healthy' : 'UNHEALTHY'}.`);
      for (const r of health.results) lines.push(`  ${r.healthy ? 'ok  ' : 'FAIL'} ${r.name} (${r.kind}): ${r.reason}`);
    }
  } catch (error) {
    lines.push(`The database cannot be read: ${(error as Error).message}`);
  }
  return { text: lines.join('\n') };
}

/** One line of a team for `status` over every team: halted or running, in flight, next chance. */
export function statusLine(ctx: Pick<AppContext, 'clock' | 'config' | 'gameDays' | 'hours' | 'latch' | 'runner'>): string {
  const state = ctx.latch.state();
  const halted = state.halt ? haltText(state.halt, ctx.config.timezone) : null;
  const name = ctx.config.team;
  if (halted) return `${name}: *Halted* — ${halted}.`;
  const flights = ctx.runner.list();
  const inFlight = flights
    .map((f) => {
      const r = f.id === null ? undefined : ctx.runner.records.get(f.id);
      return r ? attackLine(r) : askerText(f.request.trigger);
    })
    .join('; ');
  const mode = ctx.config.dryRun ? 'dry run' : 'live';
  const gameDay = ctx.gameDays?.nextLine();
  return `${name}: *Running* (${mode}) — in flight: ${inFlight || 'nothing'}; next attack: ${nextChance(ctx)}.${gameDay ? ` ${gameDay}` : ''}`;
}
