import type { LifeEvent } from '../../domain/lifecycle.js';
import type { Progress } from '../../ports/chat.js';
import type { AbortResult, AttackResult } from '../../ports/executor.js';
import type { Timers } from '../../ports/timers.js';
import { type Flight, type Leg, runningOf } from './flight.js';

/** After an abort answered, how long to wait for the attack's own end (its exit code and output). */
export const END_GRACE_MS = 2_000;

/**
 * Tells every host of the run whose attack still runs to revert it, and answers once each has
 * answered (and its own end had a moment to land): reverted only if every host reverted. A host
 * whose attack had already ended by itself needs nothing.
 */
export async function abortLegs(
  flight: Flight,
  reason: string,
  timers: Timers,
  /** Told of each host's revert as it arrives (not again for one reverted early, during its start). */
  told: (leg: Leg, result: AbortResult) => void = () => {},
): Promise<AbortResult['outcome']> {
  const legs = flight.legs.filter((l) => l.running !== null && l.result === null);
  if (legs.length === 0) return flight.legs.every((l) => l.result?.outcome !== 'failed') ? 'reverted' : 'failed';
  const outcomes = await Promise.all(
    legs.map(async (leg): Promise<AbortResult['outcome']> => {
      const running = runningOf(leg);
      try {
        // A host reverted on its own as soon as its start settled: its revert is the one awaited.
        const early = leg.reverting !== null;
        const result = await revertLeg(leg, reason);
        if (!early) told(leg, result);
        // The attack's own end (exit code, output) usually lands right after: keep it if it does.
        await Promise.race([running.done.catch(() => {}), new Promise<void>((r) => timers.after(END_GRACE_MS, r))]);
        return result.outcome;
      } catch (error) {
        leg.abortResult = { outcome: 'failed', detail: `abort error: ${String(error)}`, tookMs: 0 };
        return 'failed';
      }
    }),
  );
  if (outcomes.every((o) => o === 'reverted')) return 'reverted';
  return outcomes.includes('failed') ? 'failed' : 'unreachable';
}

/**
 * Asks one host to revert, once: a second call gets the same answer. Used by a stop during the
 * start, so each host is reverted as soon as its own start settles, not when the slowest has.
 */
export function revertLeg(leg: Leg, reason: string): Promise<AbortResult> {
  const running = runningOf(leg);
  leg.reverting ??= running.abort(reason).then(
    (result) => {
      leg.abortResult = result;
      return result;
    },
    (error: unknown) => {
      const result: AbortResult = { outcome: 'failed', detail: `abort error: ${String(error)}`, tookMs: 0 };
      leg.abortResult = result;
      return result;
    },
  );
  return leg.reverting;
}

/** One host's revert in a run over several hosts, to be told as it arrives (words: progressText). */
export function hostReverted(leg: Leg, result: AbortResult, deadlineAt: number): Progress {
  return { kind: 'host-reverted', host: leg.host.name, id: leg.id, result, deadlineAt };
}

/**
 * How the run ended by itself once every host that started it has ended; null while one still runs.
 * `runFailed`: a host's own run exited non-zero and was rolled back (no stop asked), so the fault
 * may never have been in place.
 */
export function runEnded(flight: Flight): Extract<LifeEvent, { kind: 'ended' }> | null {
  const results: AttackResult[] = [];
  for (const leg of flight.legs) {
    if (leg.running === null) continue;
    if (leg.result === null) return null;
    results.push(leg.result);
  }
  const outcomes = results.map((r) => r.outcome);
  const outcome = outcomes.includes('failed') ? 'failed' : outcomes.includes('reverted') ? 'reverted' : 'completed';
  const runFailed = outcome === 'failed' && results.some((r) => r.outcome === 'failed' && r.rollbackOk && !!r.exitCode);
  return { kind: 'ended', outcome, runFailed };
}
