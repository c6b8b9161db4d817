import type { AttackRecord } from '../../domain/model.js';
import type { AbortOutcome } from '../../ports/chat.js';
import { type LegFinal, toFinish } from './final-record.js';
import { type Flight, legId } from './flight.js';
import type { RecordKeeper, RecordWrites } from './record-keeper.js';

/** The rows of a run's hosts ("legs") as its life goes on: one row per host, the first is the run's. */

/** Every host that runs the fault is `running` from `startedAt`, with its process group. */
export function recordRunning(records: RecordKeeper, flight: Flight, startedAt: number): void {
  const changes = flight.legs.flatMap((leg) => {
    const id = leg.id;
    if (id === null || !leg.running) return [];
    const pgid = leg.running.remotePgid ?? null;
    return [
      {
        id,
        patch: { state: 'running' as const, startedAt, remotePgid: pgid },
        run: (s: RecordWrites) => s.markRunning(id, startedAt, pgid),
      },
    ];
  });
  records.updateAll(changes, 'the attack start');
}

export function recordAborting(records: RecordKeeper, flight: Flight, reason: string): void {
  const changes = flight.legs.flatMap((leg) => {
    const id = leg.id;
    return id === null
      ? []
      : [{ id, patch: { state: 'aborting' as const, reason }, run: (s: RecordWrites) => s.markAborting(id, reason) }];
  });
  records.updateAll(changes, 'the abort');
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
  const changes = finals.map(({ leg, state, fields }) => {
    const id = legId(leg);
    const final = { ...fields, state, endedAt };
    return { id, patch: final, run: (s: RecordWrites) => s.finishAttack(id, toFinish(state, endedAt, final)) };
  });
  const written = records.updateAll(changes, 'the attack outcome');
  changes.forEach(({ id }, i) => {
    if (!verifying || i > 0) records.release(id);
  });
  const [run, ...others] = written;
  return { run, legs: others.filter((r): r is AttackRecord => r !== undefined) };
}

/** What each host's revert gave, for the metrics and the shutdown summary. */
export function legAborts(flight: Flight, attack: string, deadlineAt: number): AbortOutcome[] {
  return flight.legs.flatMap((l) =>
    l.id !== null && l.abortResult !== null
      ? [{ attackId: l.id, attack, host: l.host.name, result: l.abortResult, deadlineAt }]
      : [],
  );
}
