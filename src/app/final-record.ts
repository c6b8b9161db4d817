import type { FinalPhase } from '../domain/lifecycle.js';
import type { AttackRecord } from '../domain/model.js';
import type { AttackFinish } from '../ports/store.js';
import { abortFound, endedReason } from './endings.js';
import type { Flight } from './flight.js';
import type { RecordKeeper } from './record-keeper.js';
import type { RunnerDeps } from './runner-deps.js';
import type { Outcome } from './verification.js';

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

/**
 * Writes the verdict to the flight's record and latches a halt when the system did not recover
 * (never for a dry run, which touched nothing). Returns the record as told and whether it halted.
 */
export function recordVerdict(
  deps: Pick<RunnerDeps, 'config' | 'clock' | 'latch'>,
  records: RecordKeeper,
  flight: Flight,
  outcome: Outcome,
): { record: AttackRecord | undefined; halted: boolean } {
  const { config, clock, latch } = deps;
  const id = flight.id as string;
  const patch = { verdict: outcome.kind, ttdMs: outcome.ttdMs, ttrMs: outcome.ttrMs, verdictDetail: outcome.detail };
  const current =
    records.update(id, patch, 'the verdict', (s) =>
      s.setVerdict(id, { kind: outcome.kind, ttdMs: outcome.ttdMs, ttrMs: outcome.ttrMs, detail: outcome.detail }),
    ) ?? records.get(id);
  const halted = outcome.kind === 'not-recovered' && config.verdict.haltOnNotRecovered && !config.dryRun;
  if (halted) {
    latch.halt({
      by: 'verdict',
      at: clock.now(),
      reason: `#${id} ${flight.attack?.name ?? ''} did not recover: ${outcome.detail}`,
    });
  }
  return { record: current ? { ...current, ...patch } : undefined, halted };
}
