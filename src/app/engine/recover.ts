import type { Ending } from '../../domain/ending.js';
import type { AttackRecord } from '../../domain/model.js';
import type { AbortOutcome } from '../../ports/chat.js';
import type { AbortResult } from '../../ports/executor.js';
import { knownHosts } from '../../ports/host-directory.js';
import { orphanFoundText } from '../../words/endings.js';
import { noVerdictText } from '../../words/verdicts.js';
import type { AppContext } from '../context.js';
import { recoveryJob } from './flight.js';
import { checkUnconfirmed } from './next-contact.js';

/**
 * At start: every attack not in a final state has no recorded ending: the bot stopped (or could
 * not write) before it knew how it ended. Revert each on its host (kill what is left, run the
 * rollback), mark it `orphaned` with what was found, and announce it. Then the attacks whose end
 * nobody saw (host unreachable when aborted) get their check: recovery is a contact too.
 */
export async function recoverOrphans(
  ctx: Pick<AppContext, 'announcer' | 'clock' | 'config' | 'executor' | 'hosts' | 'logger' | 'runner' | 'store'>,
  botAddresses: readonly string[] = [],
): Promise<AbortOutcome[]> {
  const orphans = ctx.store.unfinishedAttacks();
  ctx.runner.recovering = orphans.length;
  const outcomes = await Promise.all(orphans.map((record) => recoverOne(ctx, record, botAddresses)));
  drawUnknownVerdicts(ctx);
  if (!ctx.config.dryRun) await checkUnconfirmedHosts(ctx);
  return outcomes;
}

/** One orphan: reverted on its host (or not, and why), recorded as `orphaned` with what was found, announced. */
async function recoverOne(
  ctx: Pick<AppContext, 'announcer' | 'clock' | 'config' | 'executor' | 'hosts' | 'logger' | 'runner' | 'store'>,
  record: AttackRecord,
  botAddresses: readonly string[],
): Promise<AbortOutcome> {
  const host = knownHosts(ctx.hosts).find((h) => h.name === record.host);
  const attack = ctx.config.attacks.find((a) => a.name === record.attack) ?? null;
  const started = ctx.clock.now();
  const result: AbortResult = record.dryRun
    ? { outcome: 'reverted', found: { kind: 'dry-run' }, tookMs: 0 }
    : host
      ? await ctx.executor.recover(recoveryJob(ctx.store, record, attack, host, botAddresses))
      : { outcome: 'failed', found: { kind: 'unconfigured', host: record.host }, tookMs: ctx.clock.now() - started };
  const outcome: AbortOutcome = {
    attackId: record.id,
    attack: record.attack,
    host: record.host,
    result,
    deadlineAt: record.deadlineAt,
  };
  const found = orphanFoundText(record.state, record.host, result, record.deadlineAt, ctx.config.timezone);
  const endedAt = ctx.clock.now();
  const rollbackOk = result.outcome === 'reverted' ? true : result.outcome === 'unreachable' ? null : false;
  const unconfirmed = result.outcome === 'unreachable';
  const ending: Ending = { kind: 'orphaned', was: record.state, revert: result.outcome };
  // Kept and retried like every other write when the store refuses it.
  ctx.runner.records.write({
    id: null,
    what: 'the orphan recovery',
    run: (store) =>
      store.finishAttack(record.id, {
        state: 'orphaned',
        endedAt,
        reason: found,
        rollbackOk,
        unconfirmed,
        ending,
      }),
  });
  const updated = {
    ...record,
    state: 'orphaned' as const,
    endedAt,
    reason: found,
    rollbackOk,
    unconfirmed,
    ending,
  };
  ctx.announcer.announce({ kind: 'orphan-recovered', record: updated, outcome }).catch(() => {});
  ctx.logger.warn({ id: record.id, result }, 'orphaned attack recovered');
  ctx.runner.recovering--;
  return outcome;
}

/** Verdicts the previous process did not live to draw: unknown, said so (no guess either way). */
function drawUnknownVerdicts(ctx: Pick<AppContext, 'announcer' | 'logger' | 'runner' | 'store'>): void {
  try {
    for (const r of ctx.store.unverifiedAttacks()) {
      const detail = noVerdictText({ kind: 'restarted' });
      ctx.runner.records.write({
        id: null,
        what: 'an unknown verdict',
        run: (store) => store.setVerdict(r.id, { kind: 'unknown', ttdMs: null, ttrMs: null, detail }),
      });
      ctx.announcer
        .announce({ kind: 'verdict', record: { ...r, verdict: 'unknown', verdictDetail: detail }, halted: false })
        .catch(() => {});
    }
  } catch (error) {
    ctx.logger.error({ err: error }, 'cannot read the attacks whose verdict is missing');
  }
}

/** The attacks whose end nobody saw (host unreachable when aborted): each host gets its check now. */
async function checkUnconfirmedHosts(ctx: Pick<AppContext, 'hosts' | 'logger' | 'runner' | 'store'>): Promise<void> {
  let hosts: string[] = [];
  try {
    hosts = [...new Set(ctx.store.unconfirmedAttacks().map((r) => r.host))];
  } catch (error) {
    ctx.logger.error({ err: error }, 'cannot read the attacks whose end is unconfirmed');
  }
  await Promise.all(
    hosts.map((name) => {
      const host = knownHosts(ctx.hosts).find((h) => h.name === name);
      return host ? checkUnconfirmed(ctx.runner.deps, ctx.runner.records, (e) => ctx.runner.announce(e), host) : null;
    }),
  );
}
