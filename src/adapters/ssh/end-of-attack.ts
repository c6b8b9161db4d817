import { constants } from 'node:os';
import type { HostEnd } from '../../domain/host-end.js';
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
  readonly end: HostEnd | null;
  /** The wrapper's own rollback failed: the manual command belongs with it. */
  readonly rollbackFailed: boolean;
}

/**
 * What the wrapper's end line says about how the attack ended on `host`. Pure: the attack may cut
 * its own connection on purpose (`expectDisconnect`), and a KILL at the deadline after running its
 * full duration (`ranFull`) still completed.
 */
export function readEnd(
  line: Extract<WrapperLine, { kind: 'end' }>,
  host: string,
  expectDisconnect: boolean,
  ranFull: boolean,
): EndReading {
  const read = (outcome: AttackResult['outcome'], end: HostEnd | null): EndReading => ({
    outcome,
    rollbackOk: true,
    end,
    rollbackFailed: false,
  });
  if (line.rollback !== 0) {
    return {
      outcome: 'failed',
      rollbackOk: false,
      end: { kind: 'rollback-failed', exit: line.rollback, survivors: !line.stopped },
      rollbackFailed: true,
    };
  }
  if (!line.stopped) return read('failed', { kind: 'survived-kill' });
  if (line.dropped && expectDisconnect) return read('completed', { kind: 'went-down', host, heardEnd: true });
  if (line.dropped) return read('failed', { kind: 'told-to-stop', host });
  if (line.attack === 0 || line.attack === 124) return read('completed', null);
  if (line.attack === 137 && ranFull) return read('completed', { kind: 'ignored-term' });
  return read('failed', { kind: 'exited', status: line.attack });
}

/**
 * What the wrapper's end line means for a halt sent over the attack's own channel: confirmed only
 * when nothing of the attack was left and its rollback succeeded; anything else (null) goes on to
 * the halt on a second channel, which kills what is left, runs the rollback again and reports it.
 */
export function haltedOverChannel(line: Extract<WrapperLine, { kind: 'end' }>, host: string): Omit<AbortResult, 'tookMs'> | null {
  if (!line.stopped || line.rollback !== 0) return null;
  return { outcome: 'reverted', found: { kind: 'gone', host } };
}

/** How an attack ended without its end line: what the revert or the clean-up after a drop found. */
export interface HaltReading {
  readonly outcome: AttackResult['outcome'];
  readonly rollbackOk: boolean;
  readonly end: HostEnd;
  readonly manualRollback?: string | undefined;
  /** The host was not reached again: nobody saw the end. */
  readonly unconfirmed?: true;
}

/** An attack a stop or the health gate aborted: its outcome is the revert's. */
export function readAbort(why: string, halt: AbortResult): HaltReading {
  const reverted = halt.outcome === 'reverted';
  return {
    outcome: reverted ? 'reverted' : 'failed',
    rollbackOk: reverted,
    end: { kind: 'aborted', why, found: halt.found },
    manualRollback: halt.manualRollback,
  };
}

/** The connection dropped before the end line: what the clean-up over a new connection found. */
export function readLostConnection(host: string, halt: AbortResult): HaltReading {
  const end: HostEnd = { kind: 'lost', host, found: halt.found };
  if (halt.outcome === 'reverted') return { outcome: 'failed', rollbackOk: true, end };
  // The processes end on the host (the wrapper on the drop, timeout at the deadline); the rollback after is unconfirmed.
  if (halt.outcome === 'unreachable') return { outcome: 'failed', rollbackOk: false, end, unconfirmed: true };
  return { outcome: 'failed', rollbackOk: false, end, manualRollback: halt.manualRollback };
}
