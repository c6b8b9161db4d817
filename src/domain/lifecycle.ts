import type { AbortWhy } from './ending.js';

/**
 * The life of one attack, as one pure state machine: `next(state, event)` gives the next state and
 * the effects the runner must carry out. Every path (schedule, run-once, stop, health abort,
 * deafness, shutdown, store failure) goes through it; nothing else tracks lifecycle with flags.
 *
 *   admitted ──recorded──▶ pending ──start──▶ starting ──started──▶ running ──ended──▶ completed | failed | reverted
 *      │                      │                   │                    │
 *    abort/refused          abort / refused     abort: cancel-start    abort
 *      ▼                      ▼                   │  start-cancelled ──▶ cancelled
 *   cancelled            cancelled / failed        └─(too late)───▶ aborting ──abort-done──▶ reverted | failed
 *
 * `admitted` holds a slot (the one-in-flight rule) before anything is written; `pending` has its
 * row; `starting` is inside the executor's start: an abort there asks it to run nothing (it checks
 * right before the host is touched) and, if that is too late, is carried out the moment it answers.
 */

export type Phase =
  | 'admitted'
  | 'pending'
  | 'starting'
  | 'running'
  | 'aborting'
  | 'completed'
  | 'failed'
  | 'reverted'
  | 'cancelled';

export type FinalPhase = Extract<Phase, 'completed' | 'failed' | 'reverted' | 'cancelled'>;

export interface Life {
  readonly phase: Phase;
  /** Why an abort was asked for, as data (the first wins); null when none was. */
  readonly abortWhy: AbortWhy | null;
}

export type LifeEvent =
  /** The attack's row was written. */
  | { readonly kind: 'recorded' }
  /** The runner hands the attack to the executor. */
  | { readonly kind: 'start' }
  /** The executor says the attack runs on the host. */
  | { readonly kind: 'started' }
  /** The executor could not start it. */
  | { readonly kind: 'start-failed' }
  /** The executor stopped the start in time, before anything ran on the host. */
  | { readonly kind: 'start-cancelled' }
  /** A gate refused it before the host was touched (health, announcement, pre-flight, store). */
  | { readonly kind: 'refused' }
  /** Stop, health abort, deafness or shutdown. */
  | { readonly kind: 'abort'; readonly why: AbortWhy }
  /** The attack ended on the host by itself. */
  | { readonly kind: 'ended'; readonly outcome: 'completed' | 'failed' | 'reverted' }
  /** The executor's abort answered. */
  | { readonly kind: 'abort-done'; readonly outcome: 'reverted' | 'failed' | 'unreachable' };

export type Effect =
  /** Write `aborting` with why. */
  | { readonly kind: 'record-aborting'; readonly why: AbortWhy }
  /** Write `running`. */
  | { readonly kind: 'record-running' }
  /** Tell the executor to kill the attack on the host and roll it back. */
  | { readonly kind: 'abort-host'; readonly why: AbortWhy }
  /** Tell the executor's start to run nothing if it has not yet (it may be too late). */
  | { readonly kind: 'cancel-start' }
  /** Start the watches of a live attack (health, deafness). */
  | { readonly kind: 'watch' }
  /** Stop those watches. */
  | { readonly kind: 'unwatch' }
  /** Write the final state, set the cooldown if the host was touched, announce the end, free the slot. */
  | { readonly kind: 'finish'; readonly phase: FinalPhase; readonly touchedHost: boolean };

export interface Step {
  readonly life: Life;
  readonly effects: readonly Effect[];
}

export const ADMITTED: Life = { phase: 'admitted', abortWhy: null };

const FINAL: readonly Phase[] = ['completed', 'failed', 'reverted', 'cancelled'];

export function isFinalPhase(phase: Phase): phase is FinalPhase {
  return FINAL.includes(phase);
}

/** Phases in which nothing has touched a host yet (an abort cancels them outright). */
export function beforeHost(phase: Phase): boolean {
  return phase === 'admitted' || phase === 'pending';
}

const stay = (life: Life): Step => ({ life, effects: [] });

/** The transition table. Unknown pairs change nothing: a late event never revives a final attack. */
export function next(life: Life, event: LifeEvent): Step {
  const { phase } = life;
  if (isFinalPhase(phase)) return stay(life);
  const to = (p: Phase, effects: Effect[] = [], abortWhy = life.abortWhy): Step => ({ life: { phase: p, abortWhy }, effects });
  const finish = (p: FinalPhase, touchedHost: boolean, extra: Effect[] = []): Step =>
    to(p, [...extra, { kind: 'finish', phase: p, touchedHost }]);

  switch (event.kind) {
    case 'recorded':
      return phase === 'admitted' ? to('pending') : stay(life);
    case 'start':
      return phase === 'pending' ? to('starting') : stay(life);
    case 'started':
      if (phase !== 'starting') return stay(life);
      if (life.abortWhy !== null) {
        const why = life.abortWhy;
        return to('aborting', [{ kind: 'record-running' }, { kind: 'record-aborting', why }, { kind: 'abort-host', why }]);
      }
      return to('running', [{ kind: 'record-running' }, { kind: 'watch' }]);
    case 'start-failed':
      return phase === 'starting' ? finish('failed', true) : stay(life);
    case 'start-cancelled':
      return phase === 'starting' ? finish('cancelled', false) : stay(life);
    case 'refused':
      return beforeHost(phase) ? finish(phase === 'admitted' ? 'cancelled' : 'failed', false) : stay(life);
    case 'abort':
      switch (phase) {
        case 'admitted':
        case 'pending':
          return {
            ...finish('cancelled', false),
            life: { phase: 'cancelled', abortWhy: event.why },
          };
        case 'starting':
          // Ask the start to run nothing; if it is too late, revert the moment it answers.
          return life.abortWhy === null
            ? to('starting', [{ kind: 'record-aborting', why: event.why }, { kind: 'cancel-start' }], event.why)
            : stay(life);
        case 'running':
          return to(
            'aborting',
            [{ kind: 'unwatch' }, { kind: 'record-aborting', why: event.why }, { kind: 'abort-host', why: event.why }],
            event.why,
          );
        default:
          return stay(life);
      }
    case 'ended':
      // While aborting, the abort's answer decides: it knows whether the rollback ran.
      return phase === 'running' ? finish(event.outcome, true, [{ kind: 'unwatch' }]) : stay(life);
    case 'abort-done':
      if (phase !== 'aborting') return stay(life);
      return finish(event.outcome === 'reverted' ? 'reverted' : 'failed', true);
  }
}
