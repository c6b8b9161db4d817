/**
 * The `status` reply, a team's line in `status` over every team, and the overview's lines, from
 * what app/commands/status.ts and overview.ts gather: the halt, what is in flight, what the
 * database says of the last ticks and health, and when the scheduler may attack next.
 */
import { formatDuration } from '../domain/duration.js';
import type { Fault } from '../domain/fault.js';
import { type AttackRecord, type Halt, type HealthReport, isFinal } from '../domain/model.js';
import type { Hearing } from '../domain/policy.js';
import type { TeamOverview } from '../ports/chat.js';
import type { SourceStatus } from '../ports/host-directory.js';
import type { TickRow } from '../ports/store.js';
import { faultText, verdictLine } from './announcements.js';
import { plural } from './common.js';
import { attackLine } from './format.js';
import { askerText, type InFlight } from './halt-replies.js';
import { sourceLines } from './inventory.js';
import { haltText } from './refusals.js';
import { when } from './tokens.js';

/** When the scheduler may attack next, and why not earlier. */
export type NextChance =
  | { readonly kind: 'halted' }
  /** Attacks in flight (or awaiting their verdict): the next waits for them, then the cooldown. */
  | { readonly kind: 'busy'; readonly inFlight: number; readonly cooldownMs: number }
  /** Business hours do not open in the next two weeks. */
  | { readonly kind: 'never-open' }
  | {
      readonly kind: 'at';
      /** Null: at the next tick. */
      readonly at: number | null;
      /** The cooldown it waits for, if it waits for one. */
      readonly cooldownUntil: number | null;
      /** Whether it waits for business hours to open. */
      readonly closed: boolean;
    };

export function nextChanceText(n: NextChance, timezone: string): string {
  switch (n.kind) {
    case 'halted':
      return 'never until an admin says `start`';
    case 'busy': {
      const one = n.inFlight === 1;
      const cooldown = formatDuration(n.cooldownMs);
      return `after the ${one ? 'attack' : `${n.inFlight} attacks`} in flight ${one ? 'ends' : 'end'} and the cooldown (${cooldown}) passes, if every health check passes`;
    }
    case 'never-open':
      return 'not in the next two weeks (business hours never open)';
    case 'at': {
      const why: string[] = [];
      if (n.cooldownUntil !== null) why.push(`cooldown until ${when(n.cooldownUntil, timezone)}`);
      if (n.closed) why.push('business hours');
      const next = n.at === null ? 'at the next tick' : when(n.at, timezone, 'ccc HH:mm');
      return `${next}${why.length ? ` (${why.join(', ')})` : ''}, if every health check passes`;
    }
  }
}

/** The last health check as `status` tells it. */
export type StatusHealth =
  | { readonly kind: 'unconfigured' }
  | { readonly kind: 'unchecked' }
  | { readonly kind: 'checked'; readonly report: HealthReport };

/**
 * What the database said, read in this order; a read that failed leaves itself and every later
 * one null, and `readError` says why.
 */
export interface StatusRecords {
  readonly ticks: { readonly last: TickRow | null; readonly skip: TickRow | null } | null;
  /** Aborted attacks whose host was unreachable: their rollback is not confirmed. */
  readonly unconfirmed: readonly AttackRecord[] | null;
  readonly health: StatusHealth | null;
  readonly readError: string | null;
}

/** What every view of a team starts from: halted or running, what is in flight, when next. */
export interface TeamGlance {
  readonly timezone: string;
  readonly halt: Halt | null;
  readonly dryRun: boolean;
  readonly inFlight: readonly InFlight[];
  readonly next: NextChance;
}

/** Everything `status` says of one team, as data. */
export interface StatusView extends TeamGlance {
  readonly now: number;
  /** Where a fault may still be in place: said first. */
  readonly faults: readonly Fault[];
  /** Attacks left by the previous run that start-up recovery is reverting. */
  readonly recovering: number;
  /** Rows the database refused, kept in memory and retried. */
  readonly unsaved: number;
  readonly hours: { readonly open: boolean; readonly days: readonly string[]; readonly start: string; readonly end: string };
  /** The next game day's line (words/game-day.ts), if one is coming. */
  readonly gameDay: string | null;
  /** Known hosts, and the inventories they come from (none: the config alone). */
  readonly hosts: { readonly total: number; readonly fromConfig: number; readonly sources: readonly SourceStatus[] };
  readonly hearing: Hearing;
  readonly records: StatusRecords;
}

function flightLine(f: InFlight, now: number, timezone: string): string {
  if (f.kind === 'reserved') return `Starting: ${askerText(f.trigger)} — checking health; nothing touched yet.`;
  const r = f.record;
  if (isFinal(r.state)) {
    return `Verifying: ${attackLine(r)} — ${r.state}; its verdict is pending: the probes run until the steady state holds or the recovery window ends (nothing new starts meanwhile).`;
  }
  const left = Math.max(0, r.createdAt + r.durationMs - now);
  const timer = r.dryRun ? '' : `, its on-host timer kills it and runs its rollback by ${when(r.deadlineAt, timezone)}`;
  return `In flight: ${attackLine(r)} — ${r.state}, ${formatDuration(left)} left${timer}.`;
}

function tickLines(last: TickRow | null, skip: TickRow | null, timezone: string): string[] {
  const lines: string[] = [];
  if (last) {
    const o = last.outcome;
    const text = o.kind === 'attacked' ? `attacked: #${o.attackId} ${o.attack} on ${o.host}` : `skipped: ${o.reason}`;
    lines.push(`Last tick ${when(last.at, timezone)}: ${text}.`);
  }
  if (skip && last && skip.at !== last.at && skip.outcome.kind === 'skipped') {
    lines.push(`Last skip ${when(skip.at, timezone)}: ${skip.outcome.reason}.`);
  }
  return lines;
}

function healthLines(h: StatusHealth, timezone: string): string[] {
  if (h.kind === 'unconfigured') return ['Health: no providers configured (passes).'];
  if (h.kind === 'unchecked') return ['Health: not checked yet.'];
  const { report } = h;
  return [
    `Health ${when(report.checkedAt, timezone, 'HH:mm:ss')}: ${report.healthy ? 'healthy' : 'UNHEALTHY'}.`,
    ...report.results.map((r) => `  ${r.healthy ? 'ok  ' : 'FAIL'} ${r.name} (${r.kind}): ${r.reason}`),
  ];
}

function recordLines(rec: StatusRecords, timezone: string): string[] {
  const lines: string[] = [];
  if (rec.ticks) lines.push(...tickLines(rec.ticks.last, rec.ticks.skip, timezone));
  for (const r of rec.unconfirmed ?? []) {
    lines.push(`Not confirmed: ${attackLine(r)} — its host was unreachable when it was aborted; the next contact checks it.`);
  }
  if (rec.health) lines.push(...healthLines(rec.health, timezone));
  if (rec.readError !== null) lines.push(`The database cannot be read: ${rec.readError}`);
  return lines;
}

/** The `status` reply. */
export function statusText(v: StatusView): string {
  const tz = v.timezone;
  const lines = v.faults.map((f) => faultText(f, tz));
  lines.push(
    v.halt ? `*Halted* — ${haltText(v.halt, tz)}.` : `*Running* — ${v.dryRun ? 'dry run (hosts are never touched)' : 'live'}.`,
  );
  if (v.inFlight.length === 0) lines.push('In flight: nothing.');
  for (const f of v.inFlight) lines.push(flightLine(f, v.now, tz));
  if (v.recovering > 0) {
    lines.push(
      `Recovering: ${plural(v.recovering, 'attack')} left by the previous run ${v.recovering === 1 ? 'is' : 'are'} being reverted; other commands wait.`,
    );
  }
  if (v.unsaved > 0) {
    lines.push(`The database refuses writes: ${v.unsaved} kept in memory and retried every few seconds (see the log).`);
  }
  const h = v.hours;
  lines.push(`Business hours: ${h.open ? 'open' : 'closed'} (${h.days.join(' ')} ${h.start}–${h.end} ${tz}).`);
  lines.push(`Next attack: ${nextChanceText(v.next, tz)}.`);
  if (v.gameDay) lines.push(v.gameDay);
  if (v.hosts.sources.length > 0) {
    lines.push(`Hosts: ${v.hosts.total} (${v.hosts.fromConfig} from the config).`);
    for (const line of sourceLines(v.hosts.sources, v.now, tz, 0)) lines.push(`  ${line}`);
  }
  if (!v.hearing.ok) lines.push(`Cannot hear stop: ${v.hearing.reason} — no attack starts until it can.`);
  lines.push(...recordLines(v.records, tz));
  return lines.join('\n');
}

/** One team as `status` over every team names it. */
export interface TeamLineView extends TeamGlance {
  readonly team: string;
  readonly gameDay: string | null;
}

/** One line of a team for `status` over every team: halted or running, in flight, next chance. */
export function teamLineText(v: TeamLineView): string {
  if (v.halt) return `${v.team}: *Halted* — ${haltText(v.halt, v.timezone)}.`;
  const inFlight = v.inFlight.map((f) => (f.kind === 'recorded' ? attackLine(f.record) : askerText(f.trigger))).join('; ');
  const mode = v.dryRun ? 'dry run' : 'live';
  const gameDay = v.gameDay ? ` ${v.gameDay}` : '';
  return `${v.team}: *Running* (${mode}) — in flight: ${inFlight || 'nothing'}; next attack: ${nextChanceText(v.next, v.timezone)}.${gameDay}`;
}

/** One team as the overview (Slack's App Home) shows it, from its data. */
export interface OverviewView extends TeamGlance {
  readonly team: string;
  readonly faults: readonly Fault[];
  /** The latest ended attacks, newest first; or why the database could not give them. */
  readonly ended: readonly AttackRecord[] | { readonly readError: string };
}

function overviewFlight(f: InFlight): string {
  if (f.kind === 'reserved') return `${askerText(f.trigger)} — checking health`;
  const r = f.record;
  return `${attackLine(r)} — ${isFinal(r.state) ? `${r.state}, verdict pending` : r.state}`;
}

export function teamOverviewText(v: OverviewView): TeamOverview {
  const verdicts =
    'readError' in v.ended
      ? [`the database cannot be read: ${v.ended.readError}`]
      : v.ended.map((r) => (r.verdict !== null ? verdictLine(r) : `${attackLine(r)}: ${r.state}`));
  return {
    team: v.team,
    faults: v.faults.map((f) => faultText(f, v.timezone)),
    halted: v.halt ? haltText(v.halt, v.timezone) : null,
    dryRun: v.dryRun,
    inFlight: v.inFlight.map(overviewFlight),
    next: nextChanceText(v.next, v.timezone),
    verdicts,
  };
}
