import type { FinalPhase } from '../domain/lifecycle.js';
import type { AttackRecord } from '../domain/model.js';
import type { AttackFinish } from '../ports/store.js';
import { abortFound, endedReason } from './endings.js';
import type { Flight } from './flight.js';

/** The fields of a flight's final record: how it ended, told as it is (words in endings.ts). */
export function finalFields(flight: Flight, phase: FinalPhase, deadlineAt: number, timezone: string): Partial<AttackRecord> {
  const host = flight.host?.name ?? '?';
  const { abortResult: abort, result } = flight;
  if (abort && flight.life.abortReason !== null) {
    return {
      reason: `${flight.life.abortReason}: ${abortFound(host, abort, deadlineAt, timezone)}`,
      rollbackOk: abort.outcome === 'reverted' ? true : abort.outcome === 'unreachable' ? null : false,
      unconfirmed: abort.outcome === 'unreachable',
      ...(result ? { exitCode: result.exitCode, signal: result.signal, outputTail: result.outputTail } : {}),
    };
  }
  if (result) {
    return {
      reason: endedReason(host, result),
      exitCode: result.exitCode,
      signal: result.signal,
      outputTail: result.outputTail,
      rollbackOk: result.unconfirmed ? null : result.rollbackOk,
      unconfirmed: result.unconfirmed === true,
    };
  }
  if (phase === 'cancelled') {
    return {
      reason: `cancelled before it touched the host: ${flight.life.abortReason ?? flight.refusal ?? 'stopped'}`,
      rollbackOk: null,
    };
  }
  return { reason: flight.refusal ?? 'failed', rollbackOk: null };
}

/** The same fields as the store's finish. */
export function toFinish(phase: FinalPhase, endedAt: number, f: Partial<AttackRecord>): AttackFinish {
  return {
    state: phase,
    endedAt,
    exitCode: f.exitCode ?? null,
    signal: f.signal ?? null,
    ...(f.outputTail !== undefined ? { outputTail: f.outputTail } : {}),
    reason: f.reason ?? null,
    rollbackOk: f.rollbackOk ?? null,
    unconfirmed: f.unconfirmed ?? false,
  };
}
