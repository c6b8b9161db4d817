import type { Detection } from '../../domain/detection.js';
import type { Ending } from '../../domain/ending.js';
import { type FinalPhase, type LegLife, legFinal, legStarted } from '../../domain/lifecycle.js';
import type { AttackRecord } from '../../domain/model.js';
import type { AttackResult } from '../../ports/executor.js';
import type { AttackFinish } from '../../ports/store.js';
import { abortFound, abortText, endedReason, endingBrief, endingText } from '../../words/endings.js';
import { notRecoveredHaltText } from '../../words/verdicts.js';
import { type Flight, type Leg, recordedId } from './flight.js';
import type { RecordKeeper } from './record-keeper.js';
import type { RunnerDeps } from './runner-deps.js';
import type { Outcome } from './verification.js';

/** The fields of one host's final record: how it ended there, as data and told as it is (words in words/endings.ts). */
export function finalFields(
  flight: Flight,
  leg: Leg,
  phase: FinalPhase,
  deadlineAt: number,
  timezone: string,
): Partial<AttackRecord> {
  const host = leg.host.name;
  const { abortResult: abort, result } = leg;
  const why = flight.life.abortWhy;
  if (abort && why !== null) {
    return {
      reason: `${abortText(why, timezone)}: ${abortFound(host, abort, deadlineAt, timezone)}`,
      // Why it was cut short, and how the revert went (also in rollbackOk and unconfirmed).
      ending: { ...why, revert: abort.outcome },
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
      ending: resultEnding(result),
    };
  }
  if (leg.startError !== null && flight.legs.length > 1) {
    const ending: Ending = { kind: 'not-started', why: leg.startError };
    return { reason: endingText(ending, timezone), rollbackOk: null, ending };
  }
  if (phase === 'cancelled' || (flight.legs.length > 1 && !legStarted(legLife(flight, leg)) && why !== null)) {
    const ending: Ending = { kind: 'cancelled', by: why, refusal: flight.refusal ?? null };
    return { reason: endingText(ending, timezone), rollbackOk: null, ending };
  }
  const ending: Ending = { kind: 'refused', refusal: flight.refusal ?? null };
  return { reason: endingText(ending, timezone), rollbackOk: null, ending };
}

/** How an attack that ended on the host by itself ended, as data. */
function resultEnding(result: AttackResult): Ending {
  if (result.unconfirmed) return { kind: 'unconfirmed', end: result.end };
  if (!result.rollbackOk && result.outcome !== 'reverted') return { kind: 'rollback-failed', end: result.end };
  return result.outcome === 'completed' ? { kind: 'completed' } : { kind: 'failed', end: result.end };
}

/** What the machine knows of this host of the flight. */
function legLife(flight: Flight, leg: Leg): LegLife {
  return flight.life.legs[flight.legs.indexOf(leg)] ?? { phase: 'waiting' };
}

export interface LegFinal {
  readonly leg: Leg;
  readonly state: FinalPhase;
  readonly fields: Partial<AttackRecord>;
}

/**
 * The final rows of a run, first host (the run's row) first. One host: exactly its own ending. Several:
 * each host's row tells its own ending; the run's row carries the run's state, a rollback that is
 * ok only if every host's was, and one reason line per host.
 */
export function runFinals(
  flight: Flight,
  phase: FinalPhase,
  touchedHost: boolean,
  deadlineAt: number,
  timezone: string,
): LegFinal[] {
  const legs = flight.legs.filter((l) => l.id !== null);
  const [leg] = legs;
  if (leg && legs.length === 1 && flight.legs.length === 1) {
    return [{ leg, state: phase, fields: finalFields(flight, leg, phase, deadlineAt, timezone) }];
  }
  const finals = legs.map((leg) => ({
    leg,
    state: touchedHost ? legFinal(legLife(flight, leg), phase) : phase,
    fields: finalFields(flight, leg, phase, deadlineAt, timezone),
  }));
  const first = finals[0];
  if (!first) return [];
  const rollbacks = finals.map((f) => f.fields.rollbackOk ?? null);
  const unconfirmed = finals.some((f) => f.fields.unconfirmed === true);
  const rollbackOk = rollbacks.includes(false) ? false : unconfirmed || !rollbacks.includes(true) ? null : true;
  // One reason when every host ended the same way for the same reason (a stop: "stopped by …"); the
  // revert's own duration ("…: reverted in 12 ms") is per host and left out. Otherwise host by host.
  const said = finals.map((f) => endingBrief({ ending: f.fields.ending, reason: f.fields.reason ?? null }, timezone));
  const same = finals.every((f) => f.state === first.state) && said.every((r) => r === said[0]);
  const reason = same ? said[0] : finals.map((f, i) => `${f.leg.host.name} ${f.state}: ${said[i] ?? '-'}`).join('; ');
  return [{ ...first, state: phase, fields: { ...first.fields, rollbackOk, reason } }, ...finals.slice(1)];
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
    ending: f.ending ?? null,
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
  detection: Detection | null = null,
): { record: AttackRecord | undefined; halted: boolean } {
  const { config, clock, latch } = deps;
  const id = recordedId(flight);
  const patch = {
    verdict: outcome.kind,
    ttdMs: outcome.ttdMs,
    ttrMs: outcome.ttrMs,
    verdictDetail: outcome.detail,
    ...(detection ? { detection } : {}),
  };
  const current =
    records.update(id, patch, 'the verdict', (s) => {
      s.setVerdict(id, { kind: outcome.kind, ttdMs: outcome.ttdMs, ttrMs: outcome.ttrMs, detail: outcome.detail });
      if (detection) s.setDetection(id, detection);
    }) ?? records.get(id);
  const halted = outcome.kind === 'not-recovered' && config.verdict.haltOnNotRecovered && !config.dryRun;
  if (halted) {
    latch.halt(
      { by: 'verdict', at: clock.now(), reason: notRecoveredHaltText(id, flight.attack?.name ?? '', outcome.detail) },
      { journal: true },
    );
  }
  return { record: current ? { ...current, ...patch } : undefined, halted };
}
