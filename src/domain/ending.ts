/**
 * How an attack ended, as data (issue 23, first step): a code stored beside the reason sentence
 * (column `attacks.ending`), so the report and the words switch on it and never read the sentence back.
 */

/** Why an attack was cut short. */
export type AbortCause =
  /** A `stop` (typed, the button, a reaction), or a halt found after a wait. */
  | 'stopped'
  /** The health gate failed while it ran. */
  | 'health'
  /** Its own steady state deviated (`abortOnDeviation`). */
  | 'deviation'
  /** The bot could not hear a `stop` for too long. */
  | 'deaf'
  /** The bot shut down (a signal, the console's input ended). */
  | 'shutdown'
  /** Another gate closed after a wait (business hours, the database). */
  | 'gate'
  /** Some hosts of a run could not start it; the others were reverted. */
  | 'start-failed';

export type EndingCode =
  | AbortCause
  /** Ran to its end and rolled back. */
  | 'completed'
  /** Its run or its start failed (rolled back when it ran). */
  | 'failed'
  /** Its rollback failed: the fault may remain. */
  | 'rollback-failed'
  /** The host could not be reached at its end: nobody saw it end. */
  | 'unconfirmed'
  /** A gate refused it before any host was touched (pre-flight, announcement, store). */
  | 'refused'
  /** Cancelled before any host was touched. */
  | 'cancelled'
  /** Found by a later start, the bot having died meanwhile. */
  | 'orphaned'
  /** Written before endings were kept, in words no rule maps (migration 014). */
  | 'legacy';

/** Aborted by the bot's own watch (health, the steady state, deafness), not by a person. */
export function isAutomaticAbort(code: EndingCode | null | undefined): boolean {
  return code === 'health' || code === 'deviation' || code === 'deaf';
}
