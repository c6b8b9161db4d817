import type { AbortWhy } from './ending.js';
import type { AttackState } from './model.js';

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
 *
 * After the fault's final phase comes its verdict. A fault that was on the host with a steady state
 * to judge keeps its slot while the recovery window runs (`verdict: 'awaited'`), until the verdict
 * is known (`verdict-known`); every other attack frees its slot as it finishes (`verdict: 'none'`).
 *
 *   finish ──(host touched, steady state watched, its own run did not fail)──▶ awaited ──verdict-known──▶ known
 *      └──(otherwise)──▶ none
 */

/**
 * The phases are the stored states (model.ts AttackState: one vocabulary from here to the
 * database), less `orphaned` (a previous process's, never this one's), plus two this process alone
 * knows: `admitted` (a slot, no row yet) and `starting` (stored as `pending`).
 */
export type Phase = 'admitted' | 'starting' | Exclude<AttackState, 'orphaned'>;

export type FinalPhase = Extract<Phase, 'completed' | 'failed' | 'reverted' | 'cancelled'>;

/** Where the verdict stands: none to give, awaited (the slot is held), or known. */
export type VerdictStage = 'none' | 'awaited' | 'known';

export interface Life {
  readonly phase: Phase;
  /** Why an abort was asked for, as data (the first wins); null when none was. */
  readonly abortWhy: AbortWhy | null;
  /** The fault reached the host with a steady state to judge (set when it started). */
  readonly judged: boolean;
  readonly verdict: VerdictStage;
}

export type LifeEvent =
  /** The attack's row was written. */
  | { readonly kind: 'recorded' }
  /** The runner hands the attack to the executor. */
  | { readonly kind: 'start' }
  /** The executor says the attack runs on the host; `judged`: it has a steady state to verify. */
  | { readonly kind: 'started'; readonly judged: boolean }
  /** The executor could not start it. */
  | { readonly kind: 'start-failed' }
  /** The executor stopped the start in time, before anything ran on the host. */
  | { readonly kind: 'start-cancelled' }
  /** A gate refused it before the host was touched (health, announcement, pre-flight, store). */
  | { readonly kind: 'refused' }
  /** Stop, health abort, deafness or shutdown. */
  | { readonly kind: 'abort'; readonly why: AbortWhy }
  /**
   * The attack ended on the host by itself. `runFailed`: its own run exited non-zero and was rolled
   * back; the fault may never have been in place, so there is no verdict to give.
   */
  | { readonly kind: 'ended'; readonly outcome: 'completed' | 'failed' | 'reverted'; readonly runFailed?: boolean }
  /** The executor's abort answered. */
  | { readonly kind: 'abort-done'; readonly outcome: 'reverted' | 'failed' | 'unreachable' }
  /** The recovery window closed (or was abandoned): the verdict is known. */
  | { readonly kind: 'verdict-known' };

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
  /**
   * Write the final state, set the cooldown if the host was touched, announce the end. `verdict`:
   * `await` keeps the slot until the verdict; `none` frees it; `run-failed` frees it and says why
   * there is no verdict.
   */
  | {
      readonly kind: 'finish';
      readonly phase: FinalPhase;
      readonly touchedHost: boolean;
      readonly verdict: 'await' | 'none' | 'run-failed';
    }
  /** Write and tell the verdict, free the slot. */
  | { readonly kind: 'conclude' };

export interface Step {
  readonly life: Life;
  readonly effects: readonly Effect[];
}

export const ADMITTED: Life = { phase: 'admitted', abortWhy: null, judged: false, verdict: 'none' };

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
  if (isFinalPhase(phase)) {
    if (event.kind !== 'verdict-known' || life.verdict !== 'awaited') return stay(life);
    return { life: { ...life, verdict: 'known' }, effects: [{ kind: 'conclude' }] };
  }
  const to = (p: Phase, effects: Effect[] = [], abortWhy = life.abortWhy): Step => ({
    life: { ...life, phase: p, abortWhy },
    effects,
  });
  const finish = (p: FinalPhase, touchedHost: boolean, extra: Effect[] = [], runFailed = false): Step => {
    const judged = touchedHost && life.judged;
    const verdict = !judged ? 'none' : runFailed ? 'run-failed' : 'await';
    const step = to(p, [...extra, { kind: 'finish', phase: p, touchedHost, verdict }]);
    return { ...step, life: { ...step.life, verdict: verdict === 'await' ? 'awaited' : 'none' } };
  };

  switch (event.kind) {
    case 'recorded':
      return phase === 'admitted' ? to('pending') : stay(life);
    case 'start':
      return phase === 'pending' ? to('starting') : stay(life);
    case 'started': {
      if (phase !== 'starting') return stay(life);
      const step =
        life.abortWhy !== null
          ? to('aborting', [
              { kind: 'record-running' },
              { kind: 'record-aborting', why: life.abortWhy },
              { kind: 'abort-host', why: life.abortWhy },
            ])
          : to('running', [{ kind: 'record-running' }, { kind: 'watch' }]);
      return { ...step, life: { ...step.life, judged: event.judged } };
    }
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
            life: { ...life, phase: 'cancelled', abortWhy: event.why },
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
      return phase === 'running' ? finish(event.outcome, true, [{ kind: 'unwatch' }], event.runFailed === true) : stay(life);
    case 'abort-done':
      if (phase !== 'aborting') return stay(life);
      return finish(event.outcome === 'reverted' ? 'reverted' : 'failed', true);
    case 'verdict-known':
      return stay(life);
  }
}
