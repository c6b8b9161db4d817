import { type BusinessHours, isOpen, nextOpening } from './business-hours.js';
import { type BotState, type HealthReport, isHealthy, type SkipCode } from './model.js';
import type { Pick } from './picker.js';
import { type Refusal, refusalCode } from './refusal.js';

/** Whether a `stop` can be heard; when not, `since` is when something was last heard (deafness dates from it). */
export type Hearing = { readonly ok: true } | { readonly ok: false; readonly reason: string; readonly since?: number };

/** What asks for an attack: the scheduler's tick, or a person's run-once. */
export type Asker = 'schedule' | 'user';

export interface GateInput {
  readonly asker: Asker;
  readonly now: number;
  readonly state: BotState;
  /** Attacks in flight, reservations included, not counting the one being decided. */
  readonly inFlight: number;
  /** How many may be in flight at once: 1 (the bench alone raises it). */
  readonly maxInFlight?: number;
  readonly hours: BusinessHours;
  readonly hearing: Hearing;
  /** `game-day`: a planned drill is its own window, business hours do not apply (every other gate does). */
  readonly window?: 'game-day' | undefined;
  /** The approved game day whose quiet period holds `now` (schedule-draw.ts quietFor): the scheduler yields to it. */
  readonly quiet?: { readonly name: string; readonly at: number } | null | undefined;
}

/** Why not, as data (words/refusals.ts tells it), and its code. */
export interface Skip {
  readonly kind: 'skip';
  readonly code: SkipCode;
  readonly refusal: Refusal;
}

export type Decision = Skip | Extract<Pick, { kind: 'pick' }>;

const skip = (refusal: Refusal): Skip => ({ kind: 'skip', code: refusalCode(refusal), refusal });

/**
 * The cheap gates, in order of what a user most needs to hear: halted, an attack in flight,
 * outside business hours, cooldown and an approved game day's quiet period (the scheduler only:
 * run-once and the game day itself ignore them), cannot hear
 * `stop`. A game day (`window: 'game-day'`) skips the business hours only. Null means go on to the
 * health check. The same gate admits ticks and run-once, before any await, and again after every await.
 */
export function gate(input: GateInput): Skip | null {
  const { now, state, hours } = input;
  if (state.halt) return skip({ kind: 'halted', halt: state.halt });
  if (input.inFlight >= (input.maxInFlight ?? 1)) return skip({ kind: 'in-flight' });
  if (input.asker === 'schedule') {
    if (input.window !== 'game-day' && !isOpen(now, hours)) return skip({ kind: 'closed', opens: nextOpening(now, hours) });
    if (state.cooldownUntil !== null && now < state.cooldownUntil) return skip({ kind: 'cooldown', until: state.cooldownUntil });
    if (input.window !== 'game-day' && input.quiet) {
      return skip({ kind: 'quiet', gameDay: input.quiet.name, at: input.quiet.at });
    }
  }
  if (!input.hearing.ok) return skip({ kind: 'deaf', cause: input.hearing.reason });
  return null;
}

/** Fail closed: the refusal names every failing provider. */
export function healthSkip(health: HealthReport): Skip | null {
  if (isHealthy(health)) return null;
  return skip({ kind: 'unhealthy', failing: failingOf(health) });
}

/** The probes that did not pass (none: the gate itself said unhealthy, health unknown). */
export function failingOf(health: HealthReport): { readonly name: string; readonly reason: string }[] {
  return health.results.filter((r) => !r.healthy).map((r) => ({ name: r.name, reason: r.reason }));
}

export interface DecideInput extends GateInput {
  /** The health report, or `forced` when an admin skipped the gate for this attack (--force). */
  readonly health: HealthReport | 'forced';
  /** The draw (scheduler or run-once); called only once every gate passed. */
  readonly pick: () => Pick;
}

/**
 * Attack or skip-with-reason, for ticks and run-once alike: the gates, then health, then the draw.
 * Pure: the same input gives the same decision.
 */
export function decide(input: DecideInput): Decision {
  const refused = gate(input) ?? (input.health === 'forced' ? null : healthSkip(input.health));
  if (refused) return refused;
  const pick = input.pick();
  if (pick.kind === 'none') return skip(pick.refusal);
  return pick;
}
