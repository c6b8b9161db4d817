import type { Progress } from '../../ports/chat.js';
import type { AbortResult } from '../../ports/executor.js';
import { type Leg, runningOf } from './flight.js';

/** After an abort answered, how long to wait for the attack's own end (its exit code and output). */
export const END_GRACE_MS = 2_000;

/** Asks one host to revert (the machine asks once per host); its answer is kept on the leg. */
export function revertLeg(leg: Leg, reason: string): Promise<AbortResult> {
  const keep = (result: AbortResult) => {
    leg.abortResult = result;
    return result;
  };
  return runningOf(leg)
    .abort(reason)
    .then(keep, (error: unknown) => keep({ outcome: 'failed', detail: `abort error: ${String(error)}`, tookMs: 0 }));
}

/** One host's revert in a run over several hosts, to be told as it arrives (words: progressText). */
export function hostReverted(leg: Leg, result: AbortResult, deadlineAt: number): Progress {
  return { kind: 'host-reverted', host: leg.host.name, id: leg.id, result, deadlineAt };
}
