import type { Hearing } from './policy.js';

/** One condition of readiness: met, or not and why. */
export type Check = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface ReadinessInput {
  /** Whether the database takes writes: an attack is recorded before it is dispatched. */
  readonly store: Check;
  /** Whether a `stop` can be heard (the transport's ears). */
  readonly hearing: Hearing;
  readonly shuttingDown: boolean;
}

export type Readiness = { readonly ready: true } | { readonly ready: false; readonly reasons: readonly string[] };

/**
 * Ready means the bot could run chaos safely right now: it can record what it does, hear a `stop`
 * and is not on its way out. Every unmet condition is named, so a supervisor's log says what to fix.
 */
export function readiness(input: ReadinessInput): Readiness {
  const reasons: string[] = [];
  if (input.shuttingDown) reasons.push('shutting down');
  if (!input.hearing.ok) reasons.push(`cannot hear stop: ${input.hearing.reason}`);
  if (!input.store.ok) reasons.push(`database not writable: ${input.store.reason}`);
  return reasons.length === 0 ? { ready: true } : { ready: false, reasons };
}
