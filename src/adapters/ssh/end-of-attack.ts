import { constants } from 'node:os';
import type { AbortResult, AttackResult } from '../../ports/executor.js';
import type { WrapperLine } from './protocol.js';

/** The signal behind a shell exit status above 128 (137 → KILL); null for a plain status or 124 (timeout). */
export function signalName(code: number | null): string | null {
  if (code === null || code <= 128 || code > 128 + 64) return null;
  const entry = Object.entries(constants.signals).find(([, n]) => n === code - 128);
  return entry ? entry[0].replace(/^SIG/, '') : null;
}

export interface EndReading {
  readonly outcome: AttackResult['outcome'];
  readonly rollbackOk: boolean;
  readonly reason: string | null;
  /** The wrapper's own rollback failed: the manual command belongs with it. */
  readonly rollbackFailed: boolean;
}

/**
 * What the wrapper's end line says about how the attack ended on `host`. Pure: the attack may cut
 * its own connection on purpose (`expectDisconnect`), and a KILL at the deadline after running its
 * full duration (`ranFull`) still completed.
 */
export function readEnd(
  end: Extract<WrapperLine, { kind: 'end' }>,
  host: string,
  expectDisconnect: boolean,
  ranFull: boolean,
): EndReading {
  const read = (outcome: AttackResult['outcome'], rollbackOk: boolean, reason: string | null): EndReading => ({
    outcome,
    rollbackOk,
    reason,
    rollbackFailed: false,
  });
  if (end.rollback !== 0) {
    const survivors = end.stopped ? '' : '; processes of the attack survived SIGKILL';
    return {
      outcome: 'failed',
      rollbackOk: false,
      reason: `the rollback failed (exit ${end.rollback})${survivors}`,
      rollbackFailed: true,
    };
  }
  if (!end.stopped) return read('failed', true, 'processes of the attack survived SIGKILL on the host');
  if (end.dropped && expectDisconnect) return read('completed', true, `${host} went down, as the attack intended`);
  if (end.dropped) return read('failed', true, `the wrapper on ${host} was told to stop (SIGTERM or lost stdin); rolled back`);
  if (end.attack === 0 || end.attack === 124) return read('completed', true, null);
  if (end.attack === 137 && ranFull) return read('completed', true, 'the attack ignored SIGTERM at its deadline and was killed');
  return read('failed', true, `the attack exited with status ${end.attack}; rolled back`);
}

/**
 * What the wrapper's end line means for a halt sent over the attack's own channel: confirmed only
 * when nothing of the attack was left and its rollback succeeded; anything else (null) goes on to
 * the halt on a second channel, which kills what is left, runs the rollback again and reports it.
 */
export function haltedOverChannel(end: Extract<WrapperLine, { kind: 'end' }>, host: string): Omit<AbortResult, 'tookMs'> | null {
  if (!end.stopped || end.rollback !== 0) return null;
  return { outcome: 'reverted', detail: `processes gone and rollback ran on ${host}` };
}

/** How an attack ended without its end line: what the revert or the clean-up after a drop found. */
export interface HaltReading {
  readonly outcome: AttackResult['outcome'];
  readonly rollbackOk: boolean;
  readonly reason: string;
  readonly manualRollback?: string | undefined;
  /** The host was not reached again: nobody saw the end. */
  readonly unconfirmed?: true;
}

/** An attack a stop or the health gate aborted: its outcome is the revert's. */
export function readAbort(reason: string, halt: AbortResult): HaltReading {
  const reverted = halt.outcome === 'reverted';
  return {
    outcome: reverted ? 'reverted' : 'failed',
    rollbackOk: reverted,
    reason: `aborted (${reason}): ${halt.detail}`,
    manualRollback: halt.manualRollback,
  };
}

/** The connection dropped before the end line: what the clean-up over a new connection found. */
export function readLostConnection(host: string, halt: AbortResult): HaltReading {
  if (halt.outcome === 'reverted') {
    return {
      outcome: 'failed',
      rollbackOk: true,
      reason: `the connection to ${host} was lost mid-attack; on reconnecting nothing of it was left and the rollback ran`,
    };
  }
  if (halt.outcome === 'unreachable') {
    // The processes end on the host (the wrapper on the drop, timeout at the deadline); the rollback after is unconfirmed.
    return {
      outcome: 'failed',
      rollbackOk: false,
      reason:
        `the connection to ${host} was lost mid-attack and ${host} could not be reached again (${halt.detail}); ` +
        'the wrapper stops the attack and runs its rollback when it notices the drop, but whether that rollback succeeded is unknown',
      unconfirmed: true,
    };
  }
  return {
    outcome: 'failed',
    rollbackOk: false,
    reason: `the connection to ${host} was lost mid-attack and the clean-up did not succeed: ${halt.detail}`,
    manualRollback: halt.manualRollback,
  };
}
