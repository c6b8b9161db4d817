import type { AbortOutcome } from '../ports/chat.js';
import { remoteId } from './attack-runner.js';
import type { AppContext } from './context.js';
import { abortLine } from './halt.js';

/**
 * At start: every attack not in a final state was in flight when the bot died. Revert each on its
 * host (kill what is left, run rollback), mark it `orphaned` with what was found, and announce it.
 */
export async function recoverOrphans(ctx: AppContext): Promise<AbortOutcome[]> {
  const orphans = ctx.store.unfinishedAttacks();
  return Promise.all(
    orphans.map(async (record) => {
      const host = ctx.config.hosts.find((h) => h.name === record.host);
      const attack = ctx.config.attacks.find((a) => a.name === record.attack) ?? null;
      const started = ctx.clock.now();
      const result = record.dryRun
        ? { outcome: 'reverted' as const, detail: 'dry run: nothing was touched', tookMs: 0 }
        : host
          ? await ctx.executor.recover({
              id: remoteId(ctx.store, record.id),
              attack,
              host,
              remotePgid: record.remotePgid,
              deadlineAt: record.deadlineAt,
            })
          : {
              outcome: 'failed' as const,
              detail: `host ${record.host} is no longer configured`,
              tookMs: ctx.clock.now() - started,
            };
      const outcome: AbortOutcome = {
        attackId: record.id,
        attack: record.attack,
        host: record.host,
        result,
        deadlineAt: record.deadlineAt,
      };
      const found = `the bot stopped while it was ${record.state}; recovery: ${abortLine(outcome, ctx.config.timezone).replace(/^#\S+ \S+ on \S+: /, '')}`;
      try {
        ctx.store.finishAttack(record.id, {
          state: 'orphaned',
          endedAt: ctx.clock.now(),
          reason: found,
          rollbackOk: result.outcome === 'reverted',
        });
      } catch (error) {
        ctx.logger.error({ err: error, id: record.id }, 'cannot record the orphan recovery');
      }
      const updated = ctx.store.getAttack(record.id) ?? record;
      ctx.announcer.announce({ kind: 'orphan-recovered', record: updated, outcome }).catch(() => {});
      ctx.logger.warn({ id: record.id, result }, 'orphaned attack recovered');
      return outcome;
    }),
  );
}
