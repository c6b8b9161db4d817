/**
 * The replies to `stop`, `start` and `resolve`, from what each did (app/commands/halt.ts gathers
 * it): who halted, what is being reverted, cancelled or still awaits its verdict, what holds the
 * team halted. The kill switch's answers are the ones people read mid-incident: said here once.
 */
import type { Fault } from '../domain/fault.js';
import { type AttackRecord, type Halt, isFinal, type Trigger } from '../domain/model.js';
import { plural } from './common.js';
import { attackLine, who } from './format.js';
import { when } from './tokens.js';

/** Something in flight as a reply names it: an attack with its row, or a reservation without one yet. */
export type InFlight =
  | { readonly kind: 'recorded'; readonly record: AttackRecord }
  | { readonly kind: 'reserved'; readonly trigger: Trigger };

/** Who asked for an attack still without its row: "run-once by @alice", "game day friday". */
/** A halt latched for a team no longer configured, as every configured team keeps it. */
export function unconfiguredTeamHaltText(reason: string, team: string): string {
  return `${reason || 'no reason given'} (latched for team ${team}, no longer configured)`;
}

export function askerText(trigger: Trigger): string {
  if (trigger.kind === 'game-day') return `game day ${trigger.name}`;
  return trigger.kind === 'user' ? `run-once by ${who(trigger.user)}` : 'a scheduled attack';
}

/** The attacks in flight, reservations included ("run-once by admin, checking health"). */
export function inFlightText(list: readonly InFlight[]): string {
  const parts = list.map((f) => {
    if (f.kind === 'reserved') return `${askerText(f.trigger)}, checking health`;
    return isFinal(f.record.state) ? `${attackLine(f.record)}, waiting for its verdict` : attackLine(f.record);
  });
  return parts.join(', ') || 'none';
}

export type StopAnswer =
  /** A halt was latched already: it stays as it was; anything still running is reverted all the same. */
  | { readonly kind: 'already'; readonly halt: Halt; readonly reverting: readonly AttackRecord[] }
  | {
      readonly kind: 'halted';
      readonly by: string;
      readonly reason: string;
      readonly reverting: readonly AttackRecord[];
      /** Pending attacks cancelled before they touched a host. */
      readonly cancelled: readonly AttackRecord[];
      /** Reservations cancelled while they still checked health (no row yet). */
      readonly checking: readonly Trigger[];
      /** Ended attacks whose verdict is pending (their probes run on). */
      readonly awaiting: readonly AttackRecord[];
      /** Attacks start-up recovery is still reverting. */
      readonly recovering: number;
      /** The database refused the halt: it holds in memory only. */
      readonly writeError: string | null;
    };

export function stopText(a: StopAnswer, timezone: string): string {
  if (a.kind === 'already') {
    const h = a.halt;
    const lines = [
      `Already halted by ${who(h.by)} at ${when(h.at, timezone)}${h.reason ? `: ${h.reason}` : ''}. The halt is unchanged.`,
    ];
    for (const r of a.reverting) lines.push(`Reverting ${attackLine(r)}… its result follows as soon as the host answers.`);
    return lines.join('\n');
  }
  const lines = [`Halted by ${who(a.by)}${a.reason ? `: ${a.reason}` : ''}. Nothing starts until an admin says \`start\`.`];
  // Each attack is named once, in the halt's announcement; its result is announced as it comes.
  if (a.reverting.length > 0) {
    const ids = a.reverting.map((r) => `#${r.id}`).join(', ');
    lines.push(`Reverting ${plural(a.reverting.length, 'attack')}: ${ids}; each result follows as soon as its host answers.`);
  }
  for (const r of a.cancelled) lines.push(`Cancelled ${attackLine(r)} before it touched the host.`);
  for (const t of a.checking) lines.push(`Cancelled ${askerText(t)} (it was still checking health).`);
  for (const r of a.awaiting) lines.push(`${attackLine(r)} already ended; its verdict is pending and its probes keep running.`);
  if (a.recovering > 0) {
    lines.push(
      `Start-up recovery is still reverting ${plural(a.recovering, 'attack')} left by the previous run; their results follow.`,
    );
  } else if ([a.reverting, a.cancelled, a.checking, a.awaiting].every((l) => l.length === 0)) {
    lines.push('No attack was in flight.');
  }
  if (a.writeError !== null) lines.push(`Warning: the database refused the halt (${a.writeError}). Nothing starts meanwhile.`);
  return lines.join('\n');
}

export type StartAnswer =
  /** A fault may remain: `start` alone does not clear it. */
  | { readonly kind: 'faults'; readonly open: readonly Fault[] }
  | { readonly kind: 'not-halted' }
  | { readonly kind: 'unsaved'; readonly cause: string }
  | { readonly kind: 'resumed'; readonly by: string; readonly inFlight: readonly InFlight[] };

const faultNames = (open: readonly Fault[]) => open.map((f) => `#${f.id} ${f.attack} on ${f.host}`).join(', ');

export function startText(a: StartAnswer): string {
  switch (a.kind) {
    case 'faults': {
      const resolves = a.open.map((f) => `\`resolve #${f.id}\``).join(', ');
      return `Still halted: a fault may remain (${faultNames(a.open)}). Fix it, then an admin says ${resolves}; \`start\` alone does not clear it.`;
    }
    case 'not-halted':
      return 'Not halted: the scheduler is already running.';
    case 'unsaved':
      return `Still halted: the start could not be saved (${a.cause}).`;
    case 'resumed': {
      const still =
        a.inFlight.length > 0 ? ` Still in flight: ${inFlightText(a.inFlight)}; nothing new starts before that ends.` : '';
      return `Resumed by ${who(a.by)}. The scheduler may attack again within business hours.${still}`;
    }
  }
}

export type ResolveAnswer =
  | { readonly kind: 'unsaved'; readonly cause: string }
  /** No open fault has that id. */
  | { readonly kind: 'unknown'; readonly id: string; readonly open: readonly Fault[] }
  | {
      readonly kind: 'resolved';
      readonly id: string;
      readonly by: string;
      readonly note: string;
      /** The faults still open. */
      readonly left: readonly Fault[];
      /** Whether the team stays halted (until `start`). */
      readonly halted: boolean;
    };

export function resolveText(a: ResolveAnswer): string {
  switch (a.kind) {
    case 'unsaved':
      return `Not resolved: it could not be saved (${a.cause}).`;
    case 'unknown': {
      const others = a.open.length ? ` Open: ${a.open.map((f) => `#${f.id}`).join(', ')}.` : ' None is open.';
      return `No open fault for #${a.id}.${others}`;
    }
    case 'resolved': {
      const next = a.left.length
        ? ` Still open: ${faultNames(a.left)}.`
        : a.halted
          ? ' No fault is open now; ChaosCat stays halted until an admin says `start`.'
          : '';
      return `Resolved #${a.id} by ${who(a.by)}${a.note ? `: ${a.note}` : ''}.${next}`;
    }
  }
}
