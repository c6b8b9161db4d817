import type { AttackRecord } from '../../domain/model.js';
import type { Refusal } from '../../domain/refusal.js';
import type { Progress } from '../../ports/chat.js';
import { asCodedError, errorMessage } from '../../ports/errors.js';
import { type AttackResult, type RunningAttack, START_CANCELLED } from '../../ports/executor.js';
import { type Flight, jobOf, type LaunchResult } from './flight.js';
import { type FlightControl, type LaunchContext, outcomeOf } from './launch-context.js';

/**
 * Starts the attack on each of its hosts, each on its own, and tells how it went. Each host's start
 * is an event of the run as it settles: a stop meanwhile cancels the starts not yet sent and reverts
 * each host that did start as soon as THAT host answers (a hung host does not hold the healthy ones).
 */
export async function start(
  ctx: LaunchContext,
  control: FlightControl,
  flight: Flight,
  record: AttackRecord,
): Promise<LaunchResult> {
  const { deps, records } = ctx;
  control.apply({ kind: 'start', judged: flight.verification !== null });
  const starts = await Promise.allSettled(
    // Through a promise each: a start that throws at once is that host's failure, not the run's.
    flight.legs.map((leg, i) =>
      Promise.resolve()
        .then(() => deps.executor.start(jobOf(leg), flight.cancelStart.signal))
        .then((running) => {
          leg.running = running;
          control.apply({ kind: 'leg-started', leg: i });
          return running;
        }),
    ),
  );
  const failures = startFailures(flight, starts);
  const started = flight.legs.filter((l) => l.running !== null);
  // The refusal is told in the final rows: known before the last host's answer settles the run.
  const couldNot: Refusal = {
    kind: 'start-failed',
    failures: failures.map((f) => f.failure),
    single: flight.legs.length === 1,
    reverting: false,
  };
  if (failures.length > 0) flight.refusal = couldNot;
  starts.forEach((s, i) => {
    if (s.status === 'fulfilled') return;
    const failed = failures.find((f) => f.leg === i);
    control.apply(
      failed ? { kind: 'leg-start-failed', leg: i, failure: failed.failure } : { kind: 'leg-start-cancelled', leg: i },
    );
  });
  if (started.length === 0) {
    return failures.length === 0
      ? outcomeOf(records, flight, { kind: 'cancelled', why: flight.life.abortWhy })
      : outcomeOf(records, flight, couldNot);
  }
  watchEnds(ctx, control, flight);
  if (failures.length > 0) {
    // Some hosts run it, others could not start it: one run, so the started ones are being reverted.
    return outcomeOf(records, flight, { ...couldNot, reverting: true });
  }
  if (flight.life.phase !== 'running') {
    // It touched hosts: not "cancelled". Stopped while starting, each host is being reverted.
    const hosts = started.map((l) => l.host.name);
    return outcomeOf(records, flight, { kind: 'stopped', why: flight.life.abortWhy, hosts });
  }
  const progress: Progress = deps.config.dryRun ? { kind: 'dry-run' } : { kind: 'started', hosts: flight.legs.length };
  const current = records.get(record.id) ?? record;
  ctx.announce({ kind: 'attack-progress', record: current, progress });
  return { ok: true, record: current };
}

/** The hosts whose start failed, with the failure as told; a cancelled start is no failure. */
function startFailures(
  flight: Flight,
  starts: readonly PromiseSettledResult<RunningAttack>[],
): { leg: number; failure: string }[] {
  const failures: { leg: number; failure: string }[] = [];
  flight.legs.forEach((leg, i) => {
    const s = starts[i];
    if (s === undefined || s.status === 'fulfilled' || asCodedError(s.reason).code === START_CANCELLED) return;
    leg.startError = (s.reason as Error).message;
    failures.push({ leg: i, failure: flight.legs.length > 1 ? `on ${leg.host.name}: ${leg.startError}` : leg.startError });
  });
  return failures;
}

/** Each started host's end, however it comes (a crash of the executor included), goes to the machine. */
function watchEnds(ctx: LaunchContext, control: FlightControl, flight: Flight): void {
  flight.legs.forEach((leg, i) => {
    if (leg.running === null) return;
    const ended = (result: AttackResult) => {
      leg.result = result;
      // Its own run exited non-zero and was rolled back (no stop asked): the fault may never have been there.
      const runFailed = result.outcome === 'failed' && result.rollbackOk && !!result.exitCode;
      control.apply({ kind: 'leg-ended', leg: i, outcome: result.outcome, runFailed });
    };
    leg.running.done.then(ended, (error) => ended(crashed(error, ctx.deps.clock.now())));
  });
}

function crashed(error: unknown, endedAt: number): AttackResult {
  return {
    outcome: 'failed',
    exitCode: null,
    signal: null,
    outputTail: '',
    rollbackOk: false,
    end: { kind: 'error', cause: errorMessage(error) },
    endedAt,
  };
}
