import { type BusinessHours, isOpen, nextOpening } from './business-hours.js';
import { when, who } from './marks.js';
import { type BotState, failingText, type HealthReport, isHealthy, type SkipCode } from './model.js';
import type { Pick } from './picker.js';

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

export interface Skip {
  readonly kind: 'skip';
  readonly code: SkipCode;
  readonly reason: string;
}

export type Decision = Skip | Extract<Pick, { kind: 'pick' }>;

export function haltReason(state: BotState, timezone: string): string | null {
  if (!state.halt) return null;
  const { by, at, reason } = state.halt;
  return `halted by ${who(by)} at ${when(at, timezone)}${reason ? `: ${reason}` : ''}`;
}

/**
 * The cheap gates, in order of what a user most needs to hear: halted, an attack in flight,
 * outside business hours, cooldown and an approved game day's quiet period (the scheduler only:
 * run-once and the game day itself ignore them), cannot hear
 * `stop`. A game day (`window: 'game-day'`) skips the business hours only. Null means go on to the
 * health check. The same gate admits ticks and run-once, before any await, and again after every await.
 */
export function gate(input: GateInput): Skip | null {
  const { now, state, hours } = input;
  const halted = haltReason(state, hours.timezone);
  if (halted) return { kind: 'skip', code: 'halted', reason: halted };
  if (input.inFlight >= (input.maxInFlight ?? 1)) return { kind: 'skip', code: 'in-flight', reason: 'an attack is in flight' };
  if (input.asker === 'schedule') {
    if (input.window !== 'game-day' && !isOpen(now, hours)) {
      const opens = nextOpening(now, hours);
      const until = opens === null ? 'not in the next two weeks' : `opens ${when(opens, hours.timezone, 'ccc HH:mm')}`;
      return { kind: 'skip', code: 'closed', reason: `outside business hours: ${until}` };
    }
    if (state.cooldownUntil !== null && now < state.cooldownUntil) {
      return {
        kind: 'skip',
        code: 'cooldown',
        reason: `cooldown until ${when(state.cooldownUntil, hours.timezone)}`,
      };
    }
    if (input.window !== 'game-day' && input.quiet) {
      return {
        kind: 'skip',
        code: 'cooldown',
        reason: `quiet before game day ${input.quiet.name} at ${when(input.quiet.at, hours.timezone)}`,
      };
    }
  }
  if (!input.hearing.ok) return { kind: 'skip', code: 'deaf', reason: `cannot hear stop: ${input.hearing.reason}` };
  return null;
}

/** Fail closed: the reason names every failing provider. */
export function healthSkip(health: HealthReport): Skip | null {
  if (isHealthy(health)) return null;
  return { kind: 'skip', code: 'unhealthy', reason: `unhealthy: ${failingText(health.results.filter((r) => !r.healthy))}` };
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
  const skip = gate(input) ?? (input.health === 'forced' ? null : healthSkip(input.health));
  if (skip) return skip;
  const pick = input.pick();
  if (pick.kind === 'none') return { kind: 'skip', code: pick.code, reason: pick.reason };
  return pick;
}
