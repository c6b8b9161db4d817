import type { AbortWhy } from '../../domain/ending.js';
import type { AttackRecord } from '../../domain/model.js';
import type { Progress } from '../../ports/chat.js';
import { asCodedError } from '../../ports/errors.js';
import { type AttackResult, type RunningAttack, START_CANCELLED } from '../../ports/executor.js';
import { abortText } from '../../words/endings.js';
import { type Flight, jobOf, type LaunchResult, type Leg, runningOf } from './flight.js';
import type { LaunchSteps } from './launch-steps.js';
import { hostReverted, revertLeg } from './run-legs.js';

/**
 * Starts the attack on each of its hosts, each on its own (a stop cancels the starts not yet sent and
 * reverts each host that did start as soon as its start settles), and tells how it went.
 */
export async function start(steps: LaunchSteps, flight: Flight, record: AttackRecord): Promise<LaunchResult> {
  const { deps, records } = steps;
  steps.apply(flight, { kind: 'start' });
  // Each host on its own: a stop cancels the starts not yet sent, and reverts each host that did
  // start as soon as THAT host's start settles (a hung host does not hold the healthy ones).
  const stopped = () => flight.cancelStart.signal.aborted;
  const revertEarly = (leg: Leg) => {
    if (!leg.running || leg.reverting) return;
    const reason = steps.abortWords(flight) ?? 'stopped';
    void revertLeg(leg, reason).then((result) => {
      const current = flight.id === null ? undefined : records.get(flight.id);
      const deadlineAt = current?.deadlineAt ?? deps.clock.now();
      // One host: its end follows at once; several: each is told as it arrives.
      if (current && flight.legs.length > 1)
        steps.announce({ kind: 'attack-progress', record: current, progress: hostReverted(leg, result, deadlineAt) });
    });
  };
  const onStop = () => {
    for (const leg of flight.legs) revertEarly(leg);
  };
  flight.cancelStart.signal.addEventListener('abort', onStop, { once: true });
  const starts = await Promise.allSettled(
    // Through a promise each: a start that throws at once is that host's failure, not the run's.
    flight.legs.map((leg) =>
      Promise.resolve()
        .then(() => deps.executor.start(jobOf(leg), flight.cancelStart.signal))
        .then((running) => {
          leg.running = running;
          if (stopped()) revertEarly(leg);
          return running;
        }),
    ),
  );
  flight.cancelStart.signal.removeEventListener('abort', onStop);
  const failures = settle(flight, starts);
  const started = flight.legs.filter((l) => l.running !== null);
  if (started.length === 0) {
    if (failures.length === 0) {
      steps.apply(flight, { kind: 'start-cancelled' });
      return steps.outcome(flight, 'cancelled', steps.abortWords(flight) ?? 'stopped');
    }
    const why = flight.legs.length === 1 ? `could not start: ${failures[0]}` : `could not start ${failures.join('; ')}`;
    flight.refusal = { code: 'start-failed', why };
    steps.apply(flight, { kind: 'start-failed' });
    return steps.outcome(flight, 'start-failed', why);
  }
  watchEnds(steps, flight, started);
  steps.apply(flight, { kind: 'started', judged: flight.verification !== null });
  if (failures.length > 0) {
    // Some hosts run it, others could not start it: one run, so the started ones are reverted.
    const why: AbortWhy = { kind: 'start-failed', failures };
    const reason = abortText(why, deps.config.timezone);
    flight.refusal = { code: 'start-failed', why: reason };
    steps.apply(flight, { kind: 'abort', why });
    return steps.outcome(flight, 'start-failed', `${reason}; the hosts that started it are being reverted`);
  }
  if (flight.life.phase !== 'running') {
    // It touched hosts: not "cancelled". Stopped while starting, each host is being reverted.
    const on = started.map((l) => l.host.name).join(', ');
    return steps.outcome(
      flight,
      'stopped',
      `${steps.abortWords(flight) ?? 'stopped'}; it had started on ${on} and is being reverted${started.length > 1 ? " (each host's result follows as it arrives)" : ''}`,
    );
  }
  const progress: Progress = deps.config.dryRun ? { kind: 'dry-run' } : { kind: 'started', hosts: hostsText(flight) };
  const current = records.get(record.id) ?? record;
  steps.announce({ kind: 'attack-progress', record: current, progress });
  return { ok: true, record: current };
}

/** Each leg's start as it settled: its running attack or its error; the failures, in words. A cancelled start is no failure. */
function settle(flight: Flight, starts: readonly PromiseSettledResult<RunningAttack>[]): string[] {
  const failures: string[] = [];
  flight.legs.forEach((leg, i) => {
    const s = starts[i];
    if (s === undefined) return;
    if (s.status === 'fulfilled') leg.running = s.value;
    else if (asCodedError(s.reason).code !== START_CANCELLED) {
      leg.startError = (s.reason as Error).message;
      failures.push(flight.legs.length > 1 ? `on ${leg.host.name}: ${leg.startError}` : leg.startError);
    }
  });
  return failures;
}

/** Each started leg's end, however it comes (a crash of the executor included), goes to the machine. */
function watchEnds(steps: LaunchSteps, flight: Flight, started: readonly Leg[]): void {
  for (const leg of started) {
    runningOf(leg).done.then(
      (result) => {
        leg.result = result;
        steps.legEnded(flight);
      },
      (error) => {
        leg.result = crashed(error, steps.deps.clock.now());
        steps.legEnded(flight);
      },
    );
  }
}

function hostsText(flight: Flight): string {
  return flight.legs.length > 1 ? `${flight.legs.length} hosts` : 'the host';
}

function crashed(error: unknown, endedAt: number): AttackResult {
  return {
    outcome: 'failed',
    exitCode: null,
    signal: null,
    outputTail: '',
    rollbackOk: false,
    reason: `executor error: ${(error as Error)?.message ?? String(error)}`,
    endedAt,
  };
}
