import type { AbortWhy } from './ending.js';
import type { AttackState } from './model.js';

/**
 * The life of one attack, as one pure state machine: `next(state, event)` gives the next state and
 * the effects the runner must carry out. Every path (schedule, run-once, stop, health abort,
 * deafness, shutdown, store failure) goes through it; nothing else tracks lifecycle with flags.
 *
 *   admitted ──recorded──▶ pending ──start──▶ starting ──(every host's start settled)──▶ running ──(every host ended)──▶ completed | failed | reverted
 *      │                      │                   │                                         │
 *    abort/refused          abort / refused     abort: cancel-start,                       abort: revert each host
 *      ▼                      ▼                   │  revert each host as it starts          ▼
 *   cancelled            cancelled / failed        ├─(none started)──▶ cancelled | failed   aborting ──(every revert answered)──▶ reverted | failed
 *                                                  └─(some started)──▶ aborting
 *
 * `admitted` holds a slot (the one-in-flight rule) before anything is written; `pending` has its
 * row; `starting` is inside the executor's start: an abort there asks it to run nothing (it checks
 * right before the host is touched) and reverts each host whose start comes too late the moment
 * that host answers.
 *
 * A run over several hosts is one life with one leg per host (`legs`, in the order the runner drew
 * them). Each host's start, end and revert is an event of the run (`leg-*`); the run moves on when
 * the last of its hosts has answered. A host that could not start makes the run revert the others.
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

/** How the attack ended on one host by itself. */
export type EndedOutcome = 'completed' | 'failed' | 'reverted';

/**
 * One host of the run: waiting for its start; not started (cancelled in time, or its start failed);
 * running; ended by itself; being reverted; reverted, or its revert failed or could not be confirmed.
 */
export type LegLife =
  | { readonly phase: 'waiting' | 'cancelled' | 'running' | 'reverting' | 'reverted' | 'revert-failed' | 'unconfirmed' }
  | { readonly phase: 'start-failed'; readonly failure: string }
  | { readonly phase: 'ended'; readonly outcome: EndedOutcome; readonly runFailed: boolean };

export interface Life {
  readonly phase: Phase;
  /** Why an abort was asked for, as data (the first wins); null when none was. */
  readonly abortWhy: AbortWhy | null;
  /** It has a steady state to verify (said when it is handed to the executor). */
  readonly steady: boolean;
  /** The fault reached a host with a steady state to judge: its verdict is awaited when it ends. */
  readonly judged: boolean;
  readonly verdict: VerdictStage;
  /** One per host, from the row's writing on. */
  readonly legs: readonly LegLife[];
}

export type LifeEvent =
  /** The attack's rows were written: one per host. */
  | { readonly kind: 'recorded'; readonly hosts: number }
  /** The runner hands the attack to the executor; `judged`: it has a steady state to verify. */
  | { readonly kind: 'start'; readonly judged: boolean }
  /** The executor says the attack runs on host `leg`. */
  | { readonly kind: 'leg-started'; readonly leg: number }
  /** The executor stopped that host's start in time, before anything ran there. */
  | { readonly kind: 'leg-start-cancelled'; readonly leg: number }
  /** The executor could not start it on that host; `failure` is told as the reason. */
  | { readonly kind: 'leg-start-failed'; readonly leg: number; readonly failure: string }
  /** The start itself failed (an error of the runner, not of a host). */
  | { readonly kind: 'start-failed' }
  /** A gate refused it before the host was touched (health, announcement, pre-flight, store). */
  | { readonly kind: 'refused' }
  /** Stop, health abort, deafness or shutdown. */
  | { readonly kind: 'abort'; readonly why: AbortWhy }
  /**
   * The attack ended on host `leg` by itself. `runFailed`: its own run exited non-zero and was rolled
   * back; the fault may never have been in place, so there is no verdict to give.
   */
  | { readonly kind: 'leg-ended'; readonly leg: number; readonly outcome: EndedOutcome; readonly runFailed: boolean }
  /** The executor's revert of host `leg` answered. */
  | { readonly kind: 'leg-reverted'; readonly leg: number; readonly outcome: 'reverted' | 'failed' | 'unreachable' }
  /** The recovery window closed (or was abandoned): the verdict is known. */
  | { readonly kind: 'verdict-known' };

export type Effect =
  /** Write `aborting` with why. */
  | { readonly kind: 'record-aborting'; readonly why: AbortWhy }
  /** Write `running`. */
  | { readonly kind: 'record-running' }
  /** Tell the executor to kill the attack on host `leg` and roll it back; answer with `leg-reverted`. */
  | { readonly kind: 'revert-leg'; readonly leg: number; readonly why: AbortWhy }
  /** Tell the executor's starts to run nothing if they have not yet (it may be too late for some). */
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

export const ADMITTED: Life = { phase: 'admitted', abortWhy: null, steady: false, judged: false, verdict: 'none', legs: [] };

const FINAL: readonly Phase[] = ['completed', 'failed', 'reverted', 'cancelled'];

export function isFinalPhase(phase: Phase): phase is FinalPhase {
  return FINAL.includes(phase);
}

/** Phases in which nothing has touched a host yet (an abort cancels them outright). */
export function beforeHost(phase: Phase): boolean {
  return phase === 'admitted' || phase === 'pending';
}

/** Whether the attack reached this host (it started there, whatever came after). */
export function legStarted(leg: LegLife): boolean {
  return leg.phase !== 'waiting' && leg.phase !== 'cancelled' && leg.phase !== 'start-failed';
}

/** How one host of a run ended, once the run is final and touched hosts: by its own answer. */
export function legFinal(leg: LegLife, run: FinalPhase): FinalPhase {
  switch (leg.phase) {
    case 'reverted':
      return 'reverted';
    case 'revert-failed':
    case 'unconfirmed':
    case 'start-failed':
      return 'failed';
    case 'ended':
      return leg.outcome;
    case 'waiting':
    case 'cancelled':
      return 'cancelled';
    default:
      return run;
  }
}

const stay = (life: Life): Step => ({ life, effects: [] });

/** The transition table. Unknown pairs change nothing: a late event never revives a final attack. */
export function next(life: Life, event: LifeEvent): Step {
  if (isFinalPhase(life.phase)) {
    if (event.kind !== 'verdict-known' || life.verdict !== 'awaited') return stay(life);
    return { life: { ...life, verdict: 'known' }, effects: [{ kind: 'conclude' }] };
  }
  switch (event.kind) {
    case 'recorded':
      return life.phase === 'admitted' ? to(life, 'pending', [], { legs: Array(event.hosts).fill(WAITING) }) : stay(life);
    case 'start':
      return life.phase === 'pending' ? to(life, 'starting', [], { steady: event.judged }) : stay(life);
    case 'leg-started':
    case 'leg-start-cancelled':
    case 'leg-start-failed':
      return legStart(life, event);
    case 'start-failed':
      return life.phase === 'starting' ? finish(life, 'failed', true) : stay(life);
    case 'refused':
      return beforeHost(life.phase) ? finish(life, life.phase === 'admitted' ? 'cancelled' : 'failed', false) : stay(life);
    case 'abort':
      return abort(life, event.why);
    case 'leg-ended':
      return legEnded(life, event);
    case 'leg-reverted':
      return legReverted(life, event);
    case 'verdict-known':
      return stay(life);
  }
}

const WAITING: LegLife = { phase: 'waiting' };

function to(life: Life, phase: Phase, effects: Effect[] = [], change: Partial<Life> = {}): Step {
  return { life: { ...life, ...change, phase }, effects };
}

function withLeg(life: Life, i: number, leg: LegLife): Life {
  return { ...life, legs: life.legs.map((l, j) => (j === i ? leg : l)) };
}

/** The final phase, with whether the verdict is awaited (the slot held) or none. */
function finish(life: Life, phase: FinalPhase, touchedHost: boolean, extra: Effect[] = [], runFailed = false): Step {
  const judged = touchedHost && life.judged;
  const verdict = !judged ? 'none' : runFailed ? 'run-failed' : 'await';
  return to(life, phase, [...extra, { kind: 'finish', phase, touchedHost, verdict }], {
    verdict: verdict === 'await' ? 'awaited' : 'none',
  });
}

/** Every host still running it is told to revert; each answers with `leg-reverted`. */
function revertRunning(life: Life, why: AbortWhy): { legs: LegLife[]; effects: Effect[] } {
  const effects: Effect[] = [];
  const legs = life.legs.map((leg, i): LegLife => {
    if (leg.phase !== 'running') return leg;
    effects.push({ kind: 'revert-leg', leg: i, why });
    return { phase: 'reverting' };
  });
  return { legs, effects };
}

function abort(life: Life, why: AbortWhy): Step {
  switch (life.phase) {
    case 'admitted':
    case 'pending':
      return finish({ ...life, abortWhy: why }, 'cancelled', false);
    case 'starting': {
      // Ask the starts to run nothing; a host already running it is reverted now, and any whose
      // start comes too late the moment it answers.
      if (life.abortWhy !== null) return stay(life);
      const { legs, effects } = revertRunning(life, why);
      return to(life, 'starting', [{ kind: 'record-aborting', why }, { kind: 'cancel-start' }, ...effects], {
        abortWhy: why,
        legs,
      });
    }
    case 'running': {
      const { legs, effects } = revertRunning(life, why);
      const aborting = { ...life, abortWhy: why, legs };
      const step = to(aborting, 'aborting', [{ kind: 'unwatch' }, { kind: 'record-aborting', why }, ...effects]);
      return reverted(step.life, step.effects);
    }
    default:
      return stay(life);
  }
}

function legStart(
  life: Life,
  event: Extract<LifeEvent, { kind: 'leg-started' | 'leg-start-cancelled' | 'leg-start-failed' }>,
): Step {
  if (life.phase !== 'starting' || life.legs[event.leg]?.phase !== 'waiting') return stay(life);
  if (event.kind === 'leg-start-failed')
    return startsSettled(withLeg(life, event.leg, { phase: 'start-failed', failure: event.failure }), []);
  if (event.kind === 'leg-start-cancelled') return startsSettled(withLeg(life, event.leg, { phase: 'cancelled' }), []);
  // Stopped while starting: this host is reverted the moment it runs.
  if (life.abortWhy !== null) {
    return startsSettled(withLeg(life, event.leg, { phase: 'reverting' }), [
      { kind: 'revert-leg', leg: event.leg, why: life.abortWhy },
    ]);
  }
  return startsSettled(withLeg(life, event.leg, { phase: 'running' }), []);
}

/** Once no host waits for its start, the run moves on: cancelled, failed, running, or aborting. */
function startsSettled(life: Life, effects: Effect[]): Step {
  if (life.legs.some((l) => l.phase === 'waiting')) return { life, effects };
  const started = life.legs.filter(legStarted);
  const failures = life.legs.flatMap((l) => (l.phase === 'start-failed' ? [l.failure] : []));
  if (started.length === 0) {
    return failures.length > 0 ? finish(life, 'failed', true, effects) : finish(life, 'cancelled', false, effects);
  }
  // The fault is on a host (even if a stop is already reverting it): its timeline starts.
  const running: Effect[] = [...effects, { kind: 'record-running' }];
  life = { ...life, judged: life.steady };
  if (life.abortWhy !== null) {
    const step = to(life, 'aborting', [...running, { kind: 'record-aborting', why: life.abortWhy }]);
    return reverted(step.life, step.effects);
  }
  if (failures.length > 0) {
    // Some hosts run it, others could not start it: one run, so the started ones are reverted.
    const why: AbortWhy = { kind: 'start-failed', failures };
    const { legs, effects: reverts } = revertRunning(life, why);
    const step = to({ ...life, abortWhy: why, legs }, 'aborting', [...running, { kind: 'record-aborting', why }, ...reverts]);
    return reverted(step.life, step.effects);
  }
  const step = to(life, 'running', [...running, { kind: 'watch' }]);
  return allEnded(step.life, step.effects);
}

function legEnded(life: Life, event: Extract<LifeEvent, { kind: 'leg-ended' }>): Step {
  const leg = life.legs[event.leg];
  // A host being reverted: its revert's answer decides (it knows whether the rollback ran).
  if (leg?.phase !== 'running') return stay(life);
  const ended = withLeg(life, event.leg, { phase: 'ended', outcome: event.outcome, runFailed: event.runFailed });
  return life.phase === 'running' ? allEnded(ended, []) : { life: ended, effects: [] };
}

/** While running, once no host runs it any more: how the run ended by itself. */
function allEnded(life: Life, effects: readonly Effect[]): Step {
  const outcomes: EndedOutcome[] = [];
  for (const l of life.legs) {
    if (l.phase === 'running') return { life, effects };
    if (l.phase === 'ended') outcomes.push(l.outcome);
  }
  const outcome = outcomes.includes('failed') ? 'failed' : outcomes.includes('reverted') ? 'reverted' : 'completed';
  const runFailed = outcome === 'failed' && life.legs.some((l) => l.phase === 'ended' && l.runFailed);
  return finish(life, outcome, true, [...effects, { kind: 'unwatch' }], runFailed);
}

function legReverted(life: Life, event: Extract<LifeEvent, { kind: 'leg-reverted' }>): Step {
  if (life.legs[event.leg]?.phase !== 'reverting') return stay(life);
  const phase = event.outcome === 'reverted' ? 'reverted' : event.outcome === 'failed' ? 'revert-failed' : 'unconfirmed';
  const answered = withLeg(life, event.leg, { phase });
  return answered.phase === 'aborting' ? reverted(answered, []) : { life: answered, effects: [] };
}

/**
 * While aborting, once no host's revert is awaited: reverted only if every host that was told to
 * revert did; failed otherwise. With no host to revert (each had ended by itself), failed if one's
 * own end failed.
 */
function reverted(life: Life, effects: readonly Effect[]): Step {
  if (life.legs.some((l) => l.phase === 'reverting')) return { life, effects };
  const answers = life.legs.filter((l) => l.phase === 'reverted' || l.phase === 'revert-failed' || l.phase === 'unconfirmed');
  const ok =
    answers.length > 0
      ? answers.every((l) => l.phase === 'reverted')
      : life.legs.every((l) => l.phase !== 'ended' || l.outcome !== 'failed');
  return finish(life, ok ? 'reverted' : 'failed', true, [...effects]);
}
