import type { AttackRecord } from '../domain/model.js';
import type { AbortOutcome } from '../ports/chat.js';
import type { AbortResult } from '../ports/executor.js';
import { type LegFinal, toFinish } from './final-record.js';
import type { Flight } from './flight.js';
import type { RecordKeeper } from './record-keeper.js';

/** The rows of a run's hosts ("legs") as its life goes on: one row per host, the first is the run's. */

/** Every host that runs the fault is `running` from `startedAt`, with its process group. */
export function recordRunning(records: RecordKeeper, flight: Flight, startedAt: number): void {
  for (const leg of flight.legs) {
    const id = leg.id;
    if (id === null || !leg.running) continue;
    const pgid = leg.running.remotePgid ?? null;
    records.update(id, { state: 'running', startedAt, remotePgid: pgid }, 'the attack start', (s) =>
      s.markRunning(id, startedAt, pgid),
    );
  }
}

export function recordAborting(records: RecordKeeper, flight: Flight, reason: string): void {
  for (const leg of flight.legs) {
    const id = leg.id;
    if (id === null) continue;
    records.update(id, { state: 'aborting', reason }, 'the abort', (s) => s.markAborting(id, reason));
  }
}

/**
 * Writes each host's final row. The run's row stays held while its verdict is awaited (`verifying`);
 * the other hosts' rows are released. Returns the run's row and the others', as written.
 */
export function writeFinals(
  records: RecordKeeper,
  finals: readonly LegFinal[],
  endedAt: number,
  verifying: boolean,
): { run: AttackRecord | undefined; legs: AttackRecord[] } {
  let run: AttackRecord | undefined;
  const legs: AttackRecord[] = [];
  finals.forEach(({ leg, state, fields }, i) => {
    const id = leg.id as string;
    const final = { ...fields, state, endedAt };
    const written = records.update(id, final, 'the attack outcome', (s) => s.finishAttack(id, toFinish(state, endedAt, final)));
    if (i === 0) run = written;
    else if (written) legs.push(written);
    if (!verifying || i > 0) records.release(id);
  });
  return { run, legs };
}

/** What each host's revert gave, for the metrics and the shutdown summary. */
export function legAborts(flight: Flight, attack: string, deadlineAt: number): AbortOutcome[] {
  return flight.legs
    .filter((l) => l.id !== null && l.abortResult !== null)
    .map((l) => ({
      attackId: l.id as string,
      attack,
      host: l.host.name,
      result: l.abortResult as AbortResult,
      deadlineAt,
    }));
}
