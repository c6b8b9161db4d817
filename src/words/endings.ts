import { formatDuration } from '../domain/duration.js';
import { abortWhy, type Checked, type Ending, isAbort } from '../domain/ending.js';
import type { AbortOutcome } from '../ports/chat.js';
import type { AbortResult, AttackResult } from '../ports/executor.js';
import { byHand, foundText, hostEndText, mayRemain, quoteOutput } from './host-ends.js';
import { abortText, refusalText } from './refusals.js';
import { when } from './tokens.js';

/** Why an attack was cut short: told beside why one did not start (a gate's abort tells its refusal). */
export { abortText } from './refusals.js';

/**
 * The words for how an attack ended, in one place. Told as they are: a failed rollback is never
 * called harmless, and an unreachable host is never said to have ended what nobody saw end.
 */

/** What an abort found on the host, without the attack's name (callers prefix it). */
export function abortFound(host: string, result: AbortResult, deadlineAt: number, timezone: string): string {
  switch (result.outcome) {
    case 'reverted':
      return `reverted in ${formatDuration(result.tookMs)}`;
    case 'unreachable':
      return (
        `${host} unreachable (${foundText(result.found)}); its on-host timer kills the attack and runs its rollback at ` +
        `${when(deadlineAt, timezone)} — not confirmed: the next contact with ${host} checks what was left`
      );
    default:
      return `revert FAILED on ${host}: ${mayRemain(foundText(result.found))}${quoteOutput(result.rollbackOutput)}${byHand(result.manualRollback)}`;
  }
}

/** The reason recorded for an attack found unfinished at start (`was`: its last recorded state): what recovery found. */
export function orphanFoundText(was: string, host: string, result: AbortResult, deadlineAt: number, timezone: string): string {
  return (
    `no ending was recorded (last recorded: ${was}; the bot stopped, or could not write, before it knew how the attack ended); ` +
    `recovery: ${abortFound(host, result, deadlineAt, timezone)}`
  );
}

export function abortLine(o: AbortOutcome, timezone: string): string {
  return `#${o.attackId} ${o.attack} on ${o.host}: ${abortFound(o.host, o.result, o.deadlineAt, timezone)}`;
}

/** The reason recorded for an attack that ended on the host by itself. */
export function endedReason(host: string, result: AttackResult): string | null {
  const said = result.end ? hostEndText(result.end) : null;
  if (result.unconfirmed) {
    const why = (said ?? `${host} could not be reached`).replace(/[.\s]+$/, '');
    return `${why} — not confirmed: the next contact with ${host} checks what was left.`;
  }
  if (result.rollbackOk || result.outcome === 'reverted') return said;
  const why = said ?? 'the rollback failed';
  return `${mayRemain(why, ` on ${host}`)}${byHand(result.manualRollback)}`;
}

const REVERT_WORDS = { reverted: 'reverted', failed: 'revert FAILED', unreachable: 'host unreachable' } as const;

/** What the check at the next contact found, after an end nobody saw (nothing when it has not run). */
function checkedWords(checked: Checked | undefined): string {
  if (checked === undefined) return '';
  return checked === 'reverted'
    ? '; checked at the next contact: nothing of it was left'
    : '; checked at the next contact: the fault may still be in place';
}

/**
 * How an attack ended, in one line from its data alone (no host output, no manual rollback: the
 * record's `reason` keeps the whole sentence as told). Every kind renders; the sweep in
 * test/words/endings.test.ts checks it.
 */
export function endingText(e: Ending, timezone: string): string {
  if (isAbort(e)) {
    const why = e.told ?? abortText(abortWhy(e), timezone);
    return e.revert == null ? why : `${why}: ${REVERT_WORDS[e.revert]}${checkedWords(e.checked)}`;
  }
  switch (e.kind) {
    case 'completed':
      return 'completed';
    case 'failed':
      return e.end ? hostEndText(e.end) : 'failed on the host';
    case 'rollback-failed':
      return mayRemain(e.end ? hostEndText(e.end) : 'the rollback failed');
    case 'unconfirmed':
      return `${(e.end ? hostEndText(e.end) : 'the host could not be reached').replace(/[.\s]+$/, '')}${e.checked ? checkedWords(e.checked) : ' — not confirmed'}`;
    case 'refused':
      return e.refusal ? refusalText(e.refusal, timezone) : 'failed';
    case 'not-started':
      return `could not start: ${e.why}`;
    case 'cancelled':
      return `cancelled before it touched the host: ${e.by ? abortText(e.by, timezone) : e.refusal ? refusalText(e.refusal, timezone) : 'stopped'}`;
    case 'orphaned':
      return `no ending was recorded (last recorded: ${e.was}); recovery: ${REVERT_WORDS[e.revert]}${checkedWords(e.checked)}`;
    case 'legacy':
      return e.text;
  }
}

/**
 * What an ending line says after the attack's name: why it was cut short without how long the
 * revert took (beside "took" that reads as a second duration of one thing), else the sentence as told.
 */
export function endingBrief(
  r: { readonly ending?: Ending | null | undefined; readonly reason: string | null },
  timezone: string,
): string | null {
  const e = r.ending;
  if (isAbort(e) && e.revert === 'reverted') return e.told ?? abortText(abortWhy(e), timezone);
  return r.reason;
}
