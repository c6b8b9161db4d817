import { formatDuration } from '../domain/duration.js';
import type { AbortOutcome, Reply } from '../ports/chat.js';
import type { AppContext } from './context.js';
import { localTime, who } from './format.js';

export function abortLine(o: AbortOutcome, timezone: string): string {
  const head = `#${o.attackId} ${o.attack} on ${o.host}`;
  switch (o.result.outcome) {
    case 'reverted':
      return `${head}: reverted in ${formatDuration(o.result.tookMs)}`;
    case 'unreachable':
      return `${head}: unreachable — will end by itself at ${localTime(o.deadlineAt, timezone, 'HH:mm')} (${o.result.detail})`;
    default:
      return `${head}: revert failed — ${o.result.detail}; it ends by itself at ${localTime(o.deadlineAt, timezone, 'HH:mm')}`;
  }
}

/**
 * `stop [reason]`: anyone may. Persists the halt first, then aborts every attack in flight at
 * once. The halt stays latched across restarts until `start`.
 */
export async function stop(ctx: AppContext, actor: string, reason: string): Promise<{ reply: Reply; outcome: string }> {
  const at = ctx.clock.now();
  const halt = { by: actor, at, reason };
  const writeError = ctx.latch.halt(halt);
  const aborted = await ctx.runner.abortAll(`stopped by ${actor}${reason ? `: ${reason}` : ''}`);
  ctx.announcer.announce({ kind: 'halted', halt, aborted }).catch(() => {});
  const lines = [`Halted by ${who(actor)}${reason ? `: ${reason}` : ''}. Nothing starts until an admin says \`start\`.`];
  if (aborted.length === 0) lines.push('No attack was in flight.');
  for (const o of aborted) lines.push(abortLine(o, ctx.config.timezone));
  if (writeError) {
    lines.push(`Warning: the halt could not be saved (${writeError.message}); it holds until this bot restarts.`);
  }
  return { reply: { text: lines.join('\n') }, outcome: writeError ? 'error' : 'ok' };
}

/** `start`: admins only (checked by the caller). Clears the halt. */
export function start(ctx: AppContext, actor: string): { reply: Reply; outcome: string } {
  const state = ctx.latch.state();
  if (!state.halt) return { reply: { text: 'Not halted: the scheduler is already running.' }, outcome: 'ok' };
  try {
    ctx.latch.resume();
  } catch (error) {
    return { reply: { text: `Still halted: the start could not be saved (${(error as Error).message}).` }, outcome: 'error' };
  }
  const at = ctx.clock.now();
  ctx.announcer.announce({ kind: 'resumed', by: actor, at }).catch(() => {});
  return { reply: { text: `Resumed by ${who(actor)}. The scheduler may attack again within business hours.` }, outcome: 'ok' };
}
