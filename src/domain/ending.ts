/**
 * How an attack ended, as data (issue 23): a closed union with what each ending needs to be told,
 * stored as a code (column `attacks.ending`) plus its data (`attacks.ending_data`, JSON). The report
 * counts codes, the words module (src/words/endings.ts) renders sentences from the data; nothing reads
 * a sentence back. The `reason` column keeps the sentence as it was told, for people and the export.
 * Where an ending keeps why an attack did not start (a gate's abort, refused, cancelled), it keeps the
 * refusal itself (src/domain/refusal.ts), not its words; rows written before read back with their words
 * as a `told` refusal (see `endingFrom`).
 */
import type { HostEnd } from './host-end.js';
import type { AbortWhy, KeptRefusal, SkipCode } from './refusal.js';

/** Why an attack was cut short: it lives beside the refusal (a gate's abort carries one, a refusal may carry an abort). */
export type { AbortWhy } from './refusal.js';

export type AbortCause = AbortWhy['kind'];

/** How the revert of an aborted attack went on its host. */
export type RevertOutcome = 'reverted' | 'failed' | 'unreachable';

/**
 * What the check at the next contact found of an end nobody saw (a host unreachable at the time):
 * nothing left (`reverted`), or the fault may remain (`failed`). Absent until that check ran.
 */
export type Checked = 'reverted' | 'failed';

/**
 * Aborted: why, and how its revert went on the host (absent when nothing had run there); `checked`:
 * what the next contact found when the host was unreachable; `told`: the words as they were told,
 * for rows written before endings were kept (migration 015).
 */
export type AbortEnding = AbortWhy & {
  readonly revert?: RevertOutcome | undefined;
  readonly told?: string | undefined;
  readonly checked?: Checked | undefined;
};

export type Ending =
  | AbortEnding
  /** Ran to its end and rolled back. */
  | { readonly kind: 'completed' }
  /** Its run failed on the host (rolled back); `end` when the host said more than an exit status. */
  | { readonly kind: 'failed'; readonly end: HostEnd | null }
  /** Its rollback failed: the fault may remain. `end`: what the host said (null: no more than that). */
  | { readonly kind: 'rollback-failed'; readonly end: HostEnd | null }
  /** The host could not be reached at its end: nobody saw it end. `end`: what was found (null: nothing more). */
  | { readonly kind: 'unconfirmed'; readonly end: HostEnd | null; readonly checked?: Checked | undefined }
  /**
   * A gate refused it before any host was touched (pre-flight, announcement, store), or its start
   * failed: what refused it (`refusalCode` gives its skip code); null when no refusal was known.
   */
  | { readonly kind: 'refused'; readonly refusal: KeptRefusal | null }
  /** This host could not start it (one of a run). */
  | { readonly kind: 'not-started'; readonly why: string }
  /** Cancelled before any host was touched: by an abort, or because the run was refused (what refused it). */
  | { readonly kind: 'cancelled'; readonly by: AbortWhy | null; readonly refusal: KeptRefusal | null }
  /** Found unfinished by a later start, the bot having died meanwhile: what recovery found. */
  | { readonly kind: 'orphaned'; readonly was: string; readonly revert: RevertOutcome; readonly checked?: Checked | undefined }
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
export function isAbort(e: Ending | null | undefined): e is AbortEnding {
  return e != null && CAUSES.includes(e.kind);
}

/** Aborted by the bot's own watch (health, the steady state, deafness), not by a person. */
export function isAutomaticAbort(e: Ending | null | undefined): boolean {
  return e != null && (e.kind === 'health' || e.kind === 'deviation' || e.kind === 'deaf');
}

/** The abort part of an ending, without how the revert went, what was checked, or the words told. */
export function abortWhy(e: AbortEnding): AbortWhy {
  const { revert: _revert, told: _told, checked: _checked, ...why } = e;
  return why as AbortWhy;
}

/**
 * The stored pair back as one value; a code this version does not know is kept as legacy text.
 * Rows written before endings kept refusals as data hold their words instead: a gate's abort and a
 * refused attack `{ code, why }`, a cancelled one `refusal` as words (and its `by` may be such a gate).
 * They read back in this version's shape, the refusal `told` with its code and words (a cancelled
 * one's code: `cancelled`), so they are told as they were.
 */
export function endingFrom(code: string, data: string | null, reason: string | null): Ending {
  let parsed: Record<string, unknown> = {};
  try {
    parsed = data ? (JSON.parse(data) as Record<string, unknown>) : {};
  } catch {
    parsed = {};
  }
  if (!(ENDING_CODES as readonly string[]).includes(code)) return { kind: 'legacy', text: reason ?? code };
  return withHostEnd(withRefusal(withSignal({ ...parsed, kind: code })) as Record<string, unknown> & { kind: string });
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

/**
 * A shutdown abort written before its signal was kept held its words (`why`): "received SIGTERM", or
 * "console input ended", the only two it was ever written with. Read back as the signal they name
 * (as migration 015 reads the older reasons); any other words are kept as told. Also a cancelled
 * one's abort.
 */
function withSignal(e: Record<string, unknown>): Record<string, unknown> {
  if (e.kind === 'shutdown' && !('signal' in e)) {
    const { why, ...rest } = e;
    const signal = signalOf(why);
    return signal === undefined ? { ...rest, signal: null, told: e.told ?? String(why ?? 'shut down') } : { ...rest, signal };
  }
  if (e.kind === 'cancelled' && e.by && typeof e.by === 'object') {
    const { why, ...by } = e.by as Record<string, unknown>;
    if (by.kind === 'shutdown' && !('signal' in by)) return { ...e, by: { ...by, signal: signalOf(why) ?? null } };
  }
  return e;
}

/** The signal old words named ("received SIGTERM"); null for "console input ended"; undefined for any other. */
function signalOf(why: unknown): string | null | undefined {
  if (why === 'console input ended') return null;
  const named = typeof why === 'string' ? /^received (SIG[A-Z]+)$/.exec(why) : null;
  return named ? (named[1] as string) : undefined;
}

/** An ending (or a cancelled one's abort) with its refusal as data, from the words an earlier version kept. */
function withRefusal(e: Record<string, unknown>): Record<string, unknown> {
  if ((e.kind === 'gate' || e.kind === 'refused') && !('refusal' in e)) {
    const { code, why, ...rest } = e;
    return { ...rest, refusal: told(typeof code === 'string' ? code : 'error', why) };
  }
  if (e.kind === 'cancelled') {
    const by = e.by && typeof e.by === 'object' ? withRefusal(e.by as Record<string, unknown>) : null;
    return { ...e, by, refusal: typeof e.refusal === 'string' ? told('cancelled', e.refusal) : (e.refusal ?? null) };
  }
  return e;
}

function told(code: string, text: unknown): KeptRefusal {
  return { kind: 'told', code: code as SkipCode, text: typeof text === 'string' ? text : '' };
}

/** The data column of an ending: everything but its code. */
export function endingData(e: Ending): string {
  const { kind: _kind, ...data } = e;
  return JSON.stringify(data);
}
