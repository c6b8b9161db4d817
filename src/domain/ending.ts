/**
 * How an attack ended, as data (issue 23): a closed union with what each ending needs to be told,
 * stored as a code (column `attacks.ending`) plus its data (`attacks.ending_data`, JSON). The report
 * counts codes, the words module (src/words/endings.ts) renders sentences from the data; nothing reads
 * a sentence back. The `reason` column keeps the sentence as it was told, for people and the export.
 */
import type { HostEnd } from './host-end.js';

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
  /** The bot shut down: a signal ("received SIGTERM"), the console's input ended. */
  | { readonly kind: 'shutdown'; readonly why: string }
  /** A gate closed after a wait (a halt latched meanwhile, business hours, the database): its skip code and words. */
  | { readonly kind: 'gate'; readonly code: string; readonly why: string }
  /** Some hosts of a run could not start it, each `host: why`; the others were reverted. */
  | { readonly kind: 'start-failed'; readonly failures: readonly string[] };

export type AbortCause = AbortWhy['kind'];

/** How the revert of an aborted attack went on its host. */
export type RevertOutcome = 'reverted' | 'failed' | 'unreachable';

export type Ending =
  /**
   * Aborted: why, and how its revert went on the host (absent when nothing had run there). `told`:
   * the words as they were told, for rows written before endings were kept (migration 015).
   */
  | (AbortWhy & { readonly revert?: RevertOutcome | undefined; readonly told?: string | undefined })
  /** Ran to its end and rolled back. */
  | { readonly kind: 'completed' }
  /** Its run failed on the host (rolled back); `end` when the host said more than an exit status. */
  | { readonly kind: 'failed'; readonly end: HostEnd | null }
  /** Its rollback failed: the fault may remain. `end`: what the host said (null: no more than that). */
  | { readonly kind: 'rollback-failed'; readonly end: HostEnd | null }
  /** The host could not be reached at its end: nobody saw it end. `end`: what was found (null: nothing more). */
  | { readonly kind: 'unconfirmed'; readonly end: HostEnd | null }
  /** A gate refused it before any host was touched (pre-flight, announcement, store), or its start failed: the skip code and its words. */
  | { readonly kind: 'refused'; readonly code: string; readonly why: string }
  /** This host could not start it (one of a run). */
  | { readonly kind: 'not-started'; readonly why: string }
  /** Cancelled before any host was touched: by an abort, or because the run was refused. */
  | { readonly kind: 'cancelled'; readonly by: AbortWhy | null; readonly refusal: string | null }
  /** Found unfinished by a later start, the bot having died meanwhile: what recovery found. */
  | { readonly kind: 'orphaned'; readonly was: string; readonly revert: RevertOutcome }
  /** Written before endings were kept, in words no rule maps (migrations 014, 015). */
  | { readonly kind: 'legacy'; readonly text: string };

export type EndingCode = Ending['kind'];

const CAUSES: readonly string[] = ['stopped', 'health', 'deviation', 'deaf', 'shutdown', 'gate', 'start-failed'];

/** Every code, for the sweeps that check each one renders. */
export const ENDING_CODES: readonly EndingCode[] = [
  'stopped',
  'health',
  'deviation',
  'deaf',
  'shutdown',
  'gate',
  'start-failed',
  'completed',
  'failed',
  'rollback-failed',
  'unconfirmed',
  'refused',
  'not-started',
  'cancelled',
  'orphaned',
  'legacy',
];

/** Whether the ending is an abort (it carries why, and maybe how the revert went). */
export function isAbort(
  e: Ending | null | undefined,
): e is AbortWhy & { readonly revert?: RevertOutcome | undefined; readonly told?: string | undefined } {
  return e != null && CAUSES.includes(e.kind);
}

/** Aborted by the bot's own watch (health, the steady state, deafness), not by a person. */
export function isAutomaticAbort(e: Ending | null | undefined): boolean {
  return e != null && (e.kind === 'health' || e.kind === 'deviation' || e.kind === 'deaf');
}

/** The abort part of an ending, without how the revert went. */
export function abortWhy(e: AbortWhy & { readonly revert?: RevertOutcome | undefined }): AbortWhy {
  const { revert: _revert, ...why } = e;
  return why as AbortWhy;
}

/** The stored pair back as one value; a code this version does not know is kept as legacy text. */
export function endingFrom(code: string, data: string | null, reason: string | null): Ending {
  let parsed: Record<string, unknown> = {};
  try {
    parsed = data ? (JSON.parse(data) as Record<string, unknown>) : {};
  } catch {
    parsed = {};
  }
  if (!(ENDING_CODES as readonly string[]).includes(code)) return { kind: 'legacy', text: reason ?? code };
  return withHostEnd({ ...parsed, kind: code });
}

/**
 * Rows written before host ends were data (migration 015 and the versions up to it) hold the host's
 * words as `why` in the failed, rollback-failed and unconfirmed endings: read back as a `told` host end.
 */
function withHostEnd(e: Record<string, unknown> & { kind: string }): Ending {
  const hostEnded = e.kind === 'failed' || e.kind === 'rollback-failed' || e.kind === 'unconfirmed';
  if (!hostEnded || 'end' in e) return e as unknown as Ending;
  const { why, ...rest } = e;
  const end: HostEnd | null = typeof why === 'string' && why !== '' ? { kind: 'told', text: why } : null;
  return { ...rest, end } as unknown as Ending;
}

/** The data column of an ending: everything but its code. */
export function endingData(e: Ending): string {
  const { kind: _kind, ...data } = e;
  return JSON.stringify(data);
}
