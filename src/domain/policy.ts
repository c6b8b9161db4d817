import { type BusinessHours, formatLocal, isOpen, nextOpening } from './business-hours.js';
import { type AttackDef, type BotState, type HealthReport, type HostDef, isHealthy, type SkipCode } from './model.js';
import { pickAttack } from './picker.js';

export type Hearing = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface GateInput {
  readonly now: number;
  readonly state: BotState;
  readonly inFlight: number;
  readonly hours: BusinessHours;
  readonly hearing: Hearing;
}

export interface Skip {
  readonly kind: 'skip';
  readonly code: SkipCode;
  readonly reason: string;
}

export type Decision = Skip | { readonly kind: 'attack'; readonly attack: AttackDef; readonly host: HostDef };

export function haltReason(state: BotState, timezone: string): string | null {
  if (!state.halt) return null;
  const { by, at, reason } = state.halt;
  return `halted by ${by} at ${formatLocal(at, timezone, false)}${reason ? `: ${reason}` : ''}`;
}

/**
 * The cheap gates, in order of what a user most needs to hear: halted, an attack in flight,
 * outside business hours, cooldown, cannot hear `stop`. Null means go on to the health check.
 */
export function gate(input: GateInput): Skip | null {
  const { now, state, hours } = input;
  const halted = haltReason(state, hours.timezone);
  if (halted) return { kind: 'skip', code: 'halted', reason: halted };
  if (input.inFlight > 0) return { kind: 'skip', code: 'in-flight', reason: 'an attack is in flight' };
  if (!isOpen(now, hours)) {
    const opens = nextOpening(now, hours);
    const when = opens === null ? 'not in the next two weeks' : `opens ${formatLocal(opens, hours.timezone)}`;
    return { kind: 'skip', code: 'closed', reason: `outside business hours: ${when} ${hours.timezone}` };
  }
  if (state.cooldownUntil !== null && now < state.cooldownUntil) {
    return {
      kind: 'skip',
      code: 'cooldown',
      reason: `cooldown until ${formatLocal(state.cooldownUntil, hours.timezone, false)}`,
    };
  }
  if (!input.hearing.ok) return { kind: 'skip', code: 'deaf', reason: `cannot hear stop: ${input.hearing.reason}` };
  return null;
}

/** Fail closed: the reason names every failing provider. */
export function healthSkip(health: HealthReport): Skip | null {
  if (isHealthy(health)) return null;
  const failing = health.results.filter((r) => !r.healthy);
  const detail = failing.length ? failing.map((r) => `${r.name}: ${r.reason}`).join('; ') : 'health unknown';
  return { kind: 'skip', code: 'unhealthy', reason: `unhealthy: ${detail}` };
}

export interface DecideInput extends GateInput {
  readonly health: HealthReport;
  readonly attacks: readonly AttackDef[];
  readonly hosts: readonly HostDef[];
  readonly rng: () => number;
}

/** Attack or skip-with-reason. Pure: the same input gives the same decision. */
export function decide(input: DecideInput): Decision {
  const skip = gate(input) ?? healthSkip(input.health);
  if (skip) return skip;
  const pick = pickAttack(input.attacks, input.hosts, input.rng);
  if (pick.kind === 'none') return { kind: 'skip', code: pick.code, reason: pick.reason };
  return { kind: 'attack', attack: pick.attack, host: pick.host };
}
