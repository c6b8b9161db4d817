/**
 * Why an attack did not start, or a tick did not attack, as data (issue 23): the gates, the draw
 * and the launch each say what they found, never a sentence. The words module renders it
 * (src/words/refusals.ts `refusalText`); the code (`SkipCode`) is what reports and replies switch on.
 * Why a started attack was cut short (`AbortWhy`) is here too: a gate's abort carries a refusal and
 * a cancelled refusal carries an abort, so the two types that refer to each other share one file.
 */
import type { RevertFound } from './host-end.js';
import type { ParamProblem } from './param-problem.js';

/** The kill switch's latch: who latched it, when, and why. */
export interface Halt {
  readonly by: string;
  readonly at: number;
  readonly reason: string;
}

/** Stable codes for why a tick did not attack; reports group by them. */
export type SkipCode =
  | 'halted'
  | 'in-flight'
  | 'closed'
  | 'cooldown'
  | 'deaf'
  | 'unhealthy'
  | 'no-attack'
  | 'no-host'
  | 'store-error'
  | 'preflight'
  /** A stop (or shutdown) cancelled it while it waited on health, its announcement or pre-flight. */
  | 'cancelled'
  /** A stop came while it was starting, after it had started on a host: it is being reverted. */
  | 'stopped'
  /** No announcement, no attack: the start announcement could not be posted. */
  | 'announce'
  /** The executor could not start it on the host. */
  | 'start-failed'
  /** A parameter value out of its bounds, not in its list, or unknown. */
  | 'invalid'
  | 'error';

/** Why an attack was cut short, with what the words need. The first abort asked for wins. */
export type AbortWhy =
  /**
   * A `stop` (typed, the button, a reaction, a pipeline): who, and what they said; `at` when the
   * halt was found latched after a wait rather than asked for now.
   */
  | { readonly kind: 'stopped'; readonly by: string; readonly note: string; readonly at?: number | undefined }
  /** The health gate failed while it ran: the failing checks ("api: HTTP 500; prom: 2 alerts"). */
  | { readonly kind: 'health'; readonly failing: string }
  /** Its own steady state deviated (`abortOnDeviation`): its failing probes. */
  | { readonly kind: 'deviation'; readonly failing: string }
  /** The bot could not hear a `stop` (for `forMs`, when the watch measured it): what the ears said. */
  | { readonly kind: 'deaf'; readonly forMs: number | null; readonly why: string }
  /** The bot shut down: on a signal (SIGTERM, SIGINT, SIGHUP), or (null) because the console's input ended. */
  | { readonly kind: 'shutdown'; readonly signal: string | null }
  /** A gate closed after a wait (a halt latched meanwhile, business hours, the database): what it refused. */
  | { readonly kind: 'gate'; readonly refusal: KeptRefusal }
  /** Some hosts of a run could not start it, each `host: why`; the others were reverted. */
  | { readonly kind: 'start-failed'; readonly failures: readonly string[] };

/** A probe that did not pass: its name and what it said. */
export interface Failing {
  readonly name: string;
  readonly reason: string;
}

/** Why a named attack does not run on a named host: the part of its selector the host misses. */
export type Unfit =
  | { readonly kind: 'tags'; readonly tags: readonly string[] }
  | { readonly kind: 'names'; readonly names: string }
  | { readonly kind: 'excluded'; readonly exclude: readonly string[] }
  | { readonly kind: 'host-vars'; readonly vars: readonly string[] };

/** What the check at the next contact found on a host where an earlier attack's end was not seen. */
export type FaultLeft =
  /** The attacks whose end nobody saw could not be read (the store's error): unsure, so not attacked. */
  | { readonly kind: 'unread'; readonly host: string; readonly cause: string }
  /** The check of attack `id` found it not reverted (at `at`): what was found, the rollback's output, the manual command. */
  | {
      readonly kind: 'found';
      readonly host: string;
      readonly id: string;
      readonly attack: string;
      readonly at: number;
      readonly found: RevertFound;
      readonly rollbackOutput?: string | undefined;
      readonly manualRollback?: string | undefined;
    };

export type Refusal =
  /** The kill switch is latched. */
  | { readonly kind: 'halted'; readonly halt: Halt }
  | { readonly kind: 'in-flight' }
  /** Outside business hours: when they open next (null: not in the next two weeks). */
  | { readonly kind: 'closed'; readonly opens: number | null }
  | { readonly kind: 'cooldown'; readonly until: number }
  /**
   * An approved game day's quiet period: the scheduler yields to it. `attack`: the drawn attack whose
   * span (fault, recovery, cooldown) would reach into it; absent when the period has begun.
   */
  | { readonly kind: 'quiet'; readonly gameDay: string; readonly at: number; readonly attack?: string | undefined }
  /** A `stop` could not be heard: what the ears said. */
  | { readonly kind: 'deaf'; readonly cause: string }
  /** The health gate failed (no failing probe named: health unknown). */
  | { readonly kind: 'unhealthy'; readonly failing: readonly Failing[] }
  /** The attack's own steady state did not hold before it. */
  | { readonly kind: 'not-steady'; readonly failing: readonly Failing[] }
  /** Nothing to draw: no attack weighs above 0, the draw found none, none fits a configured host. */
  | { readonly kind: 'no-attack'; readonly why: 'no-weight' | 'not-drawn' | 'none-fits' }
  /** No host for the attack (null: for any attack with a weight above 0). */
  | { readonly kind: 'no-host'; readonly attack: string | null }
  /** A named attack on a named host it does not run on. */
  | { readonly kind: 'unfit'; readonly attack: string; readonly host: string; readonly why: Unfit }
  /** A parameter out of its bounds, not in its list, or unknown: what the check found. */
  | { readonly kind: 'invalid'; readonly problem: ParamProblem }
  /** Hosts where an earlier attack's fault may remain, not attacked again: what the check found on each. */
  | { readonly kind: 'fault-remains'; readonly left: readonly FaultLeft[] }
  /** A host refused it before the announcement (no sudo, a command missing): which, when it is one of many. */
  | { readonly kind: 'preflight'; readonly host: string | null; readonly cause: string }
  /** No announcement, no attack. */
  | { readonly kind: 'announce'; readonly cause: string }
  /** The store could not write: what (null when its own message says it), and the error's message. */
  | { readonly kind: 'store'; readonly what: 'health' | 'attack' | null; readonly cause: string }
  /** Cancelled before any host was touched: the abort that did it (null: none was asked for). */
  | { readonly kind: 'cancelled'; readonly why: AbortWhy | null }
  /** A stop came while it was starting, after it had started on `hosts`: they are being reverted. */
  | { readonly kind: 'stopped'; readonly why: AbortWhy | null; readonly hosts: readonly string[] }
  /**
   * Hosts could not start it (each `host: why`, or the lone host's why when it ran on one); `reverting`:
   * others had started it and are being reverted.
   */
  | { readonly kind: 'start-failed'; readonly failures: readonly string[]; readonly single: boolean; readonly reverting: boolean }
  /** Something unexpected threw while launching (`launch`) or around the tick (`tick`). */
  | { readonly kind: 'error'; readonly during: 'launch' | 'tick'; readonly cause: string };

/**
 * A refusal as an ending keeps it (src/domain/ending.ts: a gate's abort, a refused or cancelled
 * attack). Endings written before refusals were kept as data hold only its code and its words:
 * they read back as `told` (ending.ts `endingFrom`) and are told as they were; nothing this version
 * runs makes one.
 */
export type KeptRefusal = Refusal | ToldRefusal;

/** A refusal known by its code and its words alone (written by an earlier version). */
export interface ToldRefusal {
  readonly kind: 'told';
  readonly code: SkipCode;
  readonly text: string;
}

const CODES: { readonly [K in Refusal['kind']]: SkipCode } = {
  halted: 'halted',
  'in-flight': 'in-flight',
  closed: 'closed',
  cooldown: 'cooldown',
  quiet: 'cooldown',
  deaf: 'deaf',
  unhealthy: 'unhealthy',
  'not-steady': 'unhealthy',
  'no-attack': 'no-attack',
  'no-host': 'no-host',
  unfit: 'no-host',
  invalid: 'invalid',
  'fault-remains': 'preflight',
  preflight: 'preflight',
  announce: 'announce',
  store: 'store-error',
  cancelled: 'cancelled',
  stopped: 'stopped',
  'start-failed': 'start-failed',
  error: 'error',
};

/** The stable code reports and replies switch on. */
export function refusalCode(r: KeptRefusal): SkipCode {
  return r.kind === 'told' ? r.code : CODES[r.kind];
}
