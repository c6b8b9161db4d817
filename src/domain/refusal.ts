/**
 * Why an attack did not start, or a tick did not attack, as data (issue 23): the gates, the draw
 * and the launch each say what they found, never a sentence. The words module renders it
 * (src/words/refusals.ts `refusalText`); the code (`SkipCode`) is what reports and replies switch on.
 */
import type { AbortWhy } from './ending.js';
import type { Halt, SkipCode } from './model.js';

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
  /** A parameter out of its bounds, not in its list, or unknown: the check's own message. */
  | { readonly kind: 'invalid'; readonly cause: string }
  /** A host where an earlier attack's fault may remain (each `host: what`), not attacked again. */
  | { readonly kind: 'fault-remains'; readonly left: string }
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
export function refusalCode(r: Refusal): SkipCode {
  return CODES[r.kind];
}
