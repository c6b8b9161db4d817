import type { HostEnd, RevertFound } from '../domain/host-end.js';
import type { FaultLeft } from '../domain/refusal.js';
import type { AbortResult } from '../ports/executor.js';
import { plural } from './common.js';
import { when } from './tokens.js';

/**
 * The words for what a host said of an attack's end (domain/host-end.ts). Told as found: a halt
 * that did not report "may still run"; an unreachable host's end is never said to have happened.
 */

function stuckText(stuck: boolean | undefined): string {
  return stuck ? '; the wrapper is still running' : '';
}

/** What a revert found on the host, in one clause: "processes gone and rollback ran on web-1". */
export function foundText(f: RevertFound): string {
  switch (f.kind) {
    case 'gone':
      return `processes gone and rollback ran on ${f.host}${stuckText(f.stuck)}`;
    case 'left': {
      const rollback =
        f.rollback === null
          ? 'no rollback could run (the attack definition is unknown)'
          : `the rollback failed (exit ${f.rollback})`;
      if (f.alive > 0) {
        const also = f.rollback === 0 ? '' : `, and ${rollback}`;
        return `${plural(f.alive, 'process', 'processes')} of the attack still alive on ${f.host} after SIGKILL${also}${stuckText(f.stuck)}`;
      }
      return `processes gone on ${f.host}, but ${rollback}${stuckText(f.stuck)}`;
    }
    case 'no-report':
      return `the halt on ${f.host} did not report (${f.said}): the attack may still run`;
    case 'unfinished':
      return `the halt on ${f.host} did not finish (${f.cause}): the attack may still run`;
    case 'unreachable':
      return f.cause;
    case 'unbuilt':
      return `cannot build the halt: ${f.cause}`;
    case 'already': {
      if (f.outcome !== 'failed') return `already ended (${f.outcome})`;
      const how = f.end ? hostEndText(f.end) : null;
      return how ? `already ended and rolled back: ${how}` : 'already ended and rolled back';
    }
    case 'dry-run':
      return 'dry run: nothing was touched';
    case 'unconfigured':
      return `host ${f.host} is no longer configured`;
    case 'error':
      return `${f.during} error: ${f.cause}`;
  }
}

/** A fault's detail from how its attack ended on the host: what the host said, or what is known without it. */
export function faultEndText(host: string, end: HostEnd | null, unconfirmed: boolean): string {
  if (end) return hostEndText(end);
  return unconfirmed ? `${host} could not be reached to confirm the end` : 'the rollback failed';
}

/** A fault's detail when the check at the next contact found one. */
export function nextContactFound(f: RevertFound): string {
  return `the check at the next contact found: ${foundText(f)}`;
}

/** How an attack ended on its host, in one clause: "the attack exited with status 3; rolled back". */
export function hostEndText(e: HostEnd): string {
  switch (e.kind) {
    case 'rollback-failed':
      return `the rollback failed (exit ${e.exit})${e.survivors ? '; processes of the attack survived SIGKILL' : ''}`;
    case 'survived-kill':
      return 'processes of the attack survived SIGKILL on the host';
    case 'went-down':
      return e.heardEnd ? `${e.host} went down, as the attack intended` : `${e.host} cut the connection, as the attack intended`;
    case 'told-to-stop':
      return `the wrapper on ${e.host} was told to stop (SIGTERM or lost stdin); rolled back`;
    case 'ignored-term':
      return 'the attack ignored SIGTERM at its deadline and was killed';
    case 'exited':
      return `the attack exited with status ${e.status}; rolled back`;
    case 'aborted':
      return `aborted (${e.why}): ${foundText(e.found)}`;
    case 'lost':
      return lostText(e.host, e.found);
    case 'not-started':
      return `did not start: ${e.cause}`;
    case 'error':
      return `executor error: ${e.cause}`;
    case 'told':
      return e.text;
  }
}

function lostText(host: string, found: RevertFound): string {
  switch (found.kind) {
    case 'gone':
      return `the connection to ${host} was lost mid-attack; on reconnecting nothing of it was left and the rollback ran`;
    case 'unreachable':
      return (
        `the connection to ${host} was lost mid-attack and ${host} could not be reached again (${found.cause}); ` +
        'the wrapper stops the attack and runs its rollback when it notices the drop, but whether that rollback succeeded is unknown'
      );
    default:
      return `the connection to ${host} was lost mid-attack and the clean-up did not succeed: ${foundText(found)}`;
  }
}

/** The rollback's last lines, quoted (nothing when it said nothing). */
export function quoteOutput(output: string | undefined): string {
  const text = (output ?? '').trim();
  if (!text) return '';
  const lines = text.split('\n').slice(-5).join(' / ');
  return ` Rollback output: "${lines.length > 400 ? `…${lines.slice(-400)}` : lines}".`;
}

/** What the executor saw, then that the fault may remain (the executor reports; the words say what it means). */
export function mayRemain(detail: string, where = ''): string {
  return `${detail.replace(/[.\s]+$/, '')} — the fault may still be in place${where}.`;
}

/** The command to roll back by hand, when there is one. */
export function byHand(manual: string | undefined): string {
  return manual ? ` To roll back by hand: ${manual}` : '';
}

/** What the next contact with a host found of an attack nobody saw end: nothing left, or what may remain with its evidence. */
export function checkedText(
  f: Pick<AbortResult, 'outcome' | 'found' | 'rollbackOutput' | 'manualRollback'>,
  at: number,
  timezone: string,
): string {
  const checked = `checked ${when(at, timezone)} at the next contact`;
  if (f.outcome === 'reverted') return `${checked}: nothing of it was left and its rollback ran`;
  return `${checked}: ${mayRemain(foundText(f.found))}${quoteOutput(f.rollbackOutput)}${byHand(f.manualRollback)}`;
}

/** A host the next contact found a fault may remain on (a refusal's part): "web-1: the check of #7 cpu-burn found: …". */
export function faultLeftText(l: FaultLeft, timezone: string): string {
  if (l.kind === 'unread') return `${l.host}: the attacks whose end nobody saw could not be read (${l.cause})`;
  return `${l.host}: the check of #${l.id} ${l.attack} found: ${checkedText({ ...l, outcome: 'failed' }, l.at, timezone)}`;
}
