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
      reason: `the rollback failed (exit ${end.rollback}): the fault may still be in place on ${host}${survivors}`,
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
