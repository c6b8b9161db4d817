import { formatDuration } from '../domain/duration.js';
import type { AbortOutcome } from '../ports/chat.js';
import type { AbortResult, AttackResult } from '../ports/executor.js';
import { localTime } from './format.js';

/**
 * The words for how an attack ended, in one place. Told as they are: a failed rollback is never
 * called harmless, and an unreachable host is never said to have ended what nobody saw end.
 */

function quoteOutput(output: string | undefined): string {
  const text = (output ?? '').trim();
  if (!text) return '';
  const lines = text.split('\n').slice(-5).join(' / ');
  return ` Rollback output: "${lines.length > 400 ? `…${lines.slice(-400)}` : lines}".`;
}

const MAY_REMAIN = 'the fault may still be in place';

/** Says once that the fault may remain: the executor's detail may already say it. */
function mayRemain(detail: string, where = ''): string {
  const text = detail.replace(/[.\s]+$/, '');
  return text.includes(MAY_REMAIN) ? `${text}.` : `${text} — ${MAY_REMAIN}${where}.`;
}

function byHand(manual: string | undefined): string {
  return manual ? ` To roll back by hand: ${manual}` : '';
}

/** What an abort found on the host, without the attack's name (callers prefix it). */
export function abortFound(host: string, result: AbortResult, deadlineAt: number, timezone: string): string {
  switch (result.outcome) {
    case 'reverted':
      return `reverted in ${formatDuration(result.tookMs)}`;
    case 'unreachable':
      return (
        `${host} unreachable (${result.detail}); its on-host timer kills the attack and runs its rollback at ` +
        `${localTime(deadlineAt, timezone, 'HH:mm')} — not confirmed: the next contact with ${host} checks what was left`
      );
    default:
      return `revert FAILED on ${host}: ${mayRemain(result.detail)}${quoteOutput(result.rollbackOutput)}${byHand(result.manualRollback)}`;
  }
}

export function abortLine(o: AbortOutcome, timezone: string): string {
  return `#${o.attackId} ${o.attack} on ${o.host}: ${abortFound(o.host, o.result, o.deadlineAt, timezone)}`;
}

/** The reason recorded for an attack that ended on the host by itself. */
export function endedReason(host: string, result: AttackResult): string | null {
  if (result.unconfirmed) {
    const why = (result.reason ?? `${host} could not be reached`).replace(/[.\s]+$/, '');
    return `${why} — not confirmed: the next contact with ${host} checks what was left.`;
  }
  if (result.rollbackOk || result.outcome === 'reverted') return result.reason;
  const why = result.reason ?? 'the rollback failed';
  return `${mayRemain(why, ` on ${host}`)}${byHand(result.manualRollback)}`;
}

/** What the next contact with a host found of an attack nobody saw end. */
export function checkedText(result: AbortResult, at: number, timezone: string): string {
  const when = `checked ${localTime(at, timezone, 'HH:mm')} at the next contact`;
  switch (result.outcome) {
    case 'reverted':
      return `${when}: nothing of it was left and its rollback ran`;
    default:
      return `${when}: ${mayRemain(result.detail)}${quoteOutput(result.rollbackOutput)}${byHand(result.manualRollback)}`;
  }
}
