import type { AttackRecord, HostDef } from '../../domain/model.js';
import type { FaultLeft } from '../../domain/refusal.js';
import type { ChatEvent } from '../../ports/chat.js';
import { errorMessage } from '../../ports/errors.js';
import { checkedText, nextContactFound } from '../../words/host-ends.js';
import { type Flight, recoveryJob } from './flight.js';
import type { LaunchContext } from './launch-context.js';
import type { RecordKeeper } from './record-keeper.js';
import type { RunnerDeps } from './runner-deps.js';

/**
 * The next contact with a host: attacks there whose end nobody saw (unreachable when aborted) are
 * checked, and what was left is recorded and told. Returns what may still be in place, if anything.
 */
export async function checkUnconfirmed(
  deps: Pick<RunnerDeps, 'store' | 'executor' | 'config' | 'clock' | 'botAddresses' | 'faults'>,
  records: RecordKeeper,
  announce: (event: ChatEvent) => void,
  host: HostDef,
): Promise<FaultLeft | null> {
  const { store, executor, config, clock } = deps;
  let open: AttackRecord[];
  try {
    open = store.unconfirmedAttacks(host.name);
  } catch (error) {
    // Unsure whether an earlier fault may remain there: not attacking it (fail closed).
    return { kind: 'unread', host: host.name, cause: errorMessage(error) };
  }
  let left: FaultLeft | null = null;
  for (const r of open) {
    const attack = config.attacks.find((a) => a.name === r.attack) ?? null;
    const result = await executor.recover(recoveryJob(store, r, attack, host, deps.botAddresses));
    if (result.outcome === 'unreachable') continue;
    const at = clock.now();
    const found = checkedText(result, at, config.timezone);
    if (result.outcome !== 'reverted') {
      const { rollbackOutput, manualRollback } = result;
      left ??= {
        kind: 'found',
        host: host.name,
        id: r.id,
        attack: r.attack,
        at,
        found: result.found,
        rollbackOutput,
        manualRollback,
      };
      deps.faults?.open({
        id: r.id,
        attack: r.attack,
        host: r.host,
        detail: nextContactFound(result.found),
        manualRollback: result.manualRollback ?? null,
        openedAt: clock.now(),
        confirmedAt: null,
      });
    }
    // Nothing left: noted on its fault, which an admin still resolves (nobody saw what happened meanwhile).
    else deps.faults?.confirmed(r.id);
    records.write({
      id: null,
      what: 'what the host check found',
      run: (s) => s.confirmAttack(r.id, found, result.outcome === 'reverted'),
    });
    announce({ kind: 'notice', notice: { kind: 'end-checked', record: r, result, at: clock.now() } });
  }
  return left;
}

/** The next contact with each of the flight's hosts: what may be left, every host's, or null. */
export async function checkFlight(ctx: LaunchContext, flight: Flight): Promise<FaultLeft[] | null> {
  const found = await Promise.all(flight.legs.map((l) => checkUnconfirmed(ctx.deps, ctx.records, ctx.announce, l.host)));
  const left = found.filter((f): f is FaultLeft => f !== null);
  return left.length ? left : null;
}
