import type { TickOutcome } from '../../domain/model.js';
import { type Refusal, refusalCode } from '../../domain/refusal.js';
import { errorMessage } from '../../ports/errors.js';
import { refusalText } from '../../words/refusals.js';
import type { AppContext } from '../context.js';

/**
 * One scheduler tick: the runner admits it through the same gate as run-once (halted, in flight,
 * business hours, cooldown, hearing, health), draws, records, announces and starts. Every tick
 * records its outcome so `status` can say why nothing happened (through `record` when given: the
 * fleet writes every team's tick of a minute in one transaction). Never throws.
 */
export type TickRecorder = (at: number, outcome: TickOutcome) => void;

export async function tick(
  ctx: Pick<AppContext, 'clock' | 'config' | 'logger' | 'runner' | 'store'>,
  record?: TickRecorder,
): Promise<TickOutcome> {
  const now = ctx.clock.now();
  let outcome: TickOutcome;
  try {
    const launched = await ctx.runner.request({ asker: 'schedule', trigger: { kind: 'schedule' } });
    if (launched.ok) {
      const r = launched.record;
      outcome = { kind: 'attacked', attackId: r.id, attack: r.attack, host: r.host };
    } else {
      const what = launched.record ? `${launched.record.attack} on ${launched.record.host}: ` : '';
      outcome = {
        kind: 'skipped',
        code: refusalCode(launched.refusal),
        reason: `${what}${refusalText(launched.refusal, ctx.config.timezone)}`,
      };
    }
  } catch (error) {
    ctx.logger.error({ err: error }, 'tick failed');
    const refusal: Refusal = { kind: 'error', during: 'tick', cause: errorMessage(error) };
    outcome = { kind: 'skipped', code: 'error', reason: refusalText(refusal, ctx.config.timezone) };
  }
  try {
    if (record) record(now, outcome);
    else ctx.store.recordTick(now, outcome);
  } catch (error) {
    ctx.logger.error({ err: error, outcome }, 'cannot record the tick');
  }
  ctx.logger.info({ outcome }, 'tick');
  return outcome;
}
