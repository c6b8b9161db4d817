import type { AttackRecord } from '../../domain/model.js';
import type { Reply } from '../../ports/chat.js';
import type { AuditAction } from '../../ports/store.js';
import { plural } from '../../words/common.js';
import { attackLine, who } from '../../words/format.js';
import { when } from '../../words/tokens.js';
import type { AppContext } from '../context.js';
import { askerText } from '../engine/flight.js';
import { inFlightText } from './run-once.js';

export { abortLine } from '../../words/endings.js';

/**
 * `stop [reason]`: anyone may. Latches the halt first (synchronously: of two stops, one wins and
 * the other is told who was first), cancels every reservation and pending attack on the spot, tells
 * every running attack to revert, and answers at once, whatever the hosts do: each host's result
 * follows as the attack's `attack-ended`, in its thread. The halt stays latched until `start`.
 */
export function stop(
  ctx: Pick<AppContext, 'clock' | 'config' | 'latch' | 'runner'>,
  actor: string,
  reason: string,
): { reply: Reply; outcome: string; action: AuditAction } {
  const at = ctx.clock.now();
  const latched = ctx.latch.halt({ by: actor, at, reason });
  const why = { kind: 'stopped', by: actor, note: reason } as const;
  if (latched.kind === 'already') {
    const h = latched.halt;
    const at = when(h.at, ctx.config.timezone);
    // The latch stays as it was; anything still running is reverted all the same.
    const { reverting } = ctx.runner.abortAll(why);
    const lines = [`Already halted by ${who(h.by)} at ${at}${h.reason ? `: ${h.reason}` : ''}. The halt is unchanged.`];
    for (const r of reverting) lines.push(`Reverting ${attackLine(r)}… its result follows as soon as the host answers.`);
    return { reply: { text: lines.join('\n') }, outcome: 'ok', action: 'halted' };
  }
  const cancelledText = ctx.runner
    .list()
    .filter((f) => f.life.phase === 'admitted')
    .map((f) => askerText(f.request));
  const { reverting, cancelled } = ctx.runner.abortAll(why);
  ctx.runner.announce({ kind: 'halted', halt: latched.halt, reverting });
  const lines = [`Halted by ${who(actor)}${reason ? `: ${reason}` : ''}. Nothing starts until an admin says \`start\`.`];
  // Each attack is named once, in the halt's announcement; its result is announced as it comes.
  if (reverting.length > 0)
    lines.push(
      `Reverting ${plural(reverting.length, 'attack')}: ${reverting.map((r) => `#${r.id}`).join(', ')}; each result follows as soon as its host answers.`,
    );
  for (const f of cancelled) {
    const record = f.id === null ? undefined : ctx.runner.records.get(f.id);
    if (record) lines.push(`Cancelled ${attackLine(record)} before it touched the host.`);
  }
  for (const text of cancelledText) lines.push(`Cancelled ${text} (it was still checking health).`);
  const awaiting = ctx.runner
    .awaitingVerdict()
    .map((f) => ctx.runner.records.get(f.id as string))
    .filter((r): r is AttackRecord => r !== undefined);
  for (const r of awaiting) lines.push(`${attackLine(r)} already ended; its verdict is pending and its probes keep running.`);
  if (ctx.runner.recovering > 0) {
    lines.push(
      `Start-up recovery is still reverting ${plural(ctx.runner.recovering, 'attack')} left by the previous run; their results follow.`,
    );
  } else if (reverting.length === 0 && cancelled.length === 0 && awaiting.length === 0) lines.push('No attack was in flight.');
  if (latched.writeError) {
    lines.push(`Warning: the database refused the halt (${latched.writeError.message}). Nothing starts meanwhile.`);
  }
  return { reply: { text: lines.join('\n') }, outcome: latched.writeError ? 'error' : 'ok', action: 'halted' };
}

/** `start`: admins only (checked by the caller). Clears the halt. */
export function start(
  ctx: Pick<AppContext, 'announcer' | 'clock' | 'faults' | 'latch' | 'runner'>,
  actor: string,
): { reply: Reply; outcome: string; action: AuditAction } {
  const open = ctx.faults.list();
  if (open.length > 0) {
    const which = open.map((f) => `#${f.id} ${f.attack} on ${f.host}`).join(', ');
    return {
      reply: {
        text: `Still halted: a fault may remain (${which}). Fix it, then an admin says ${open.map((f) => `\`resolve #${f.id}\``).join(', ')}; \`start\` alone does not clear it.`,
      },
      outcome: 'refused',
      action: 'none',
    };
  }
  const state = ctx.latch.state();
  if (!state.halt) return { reply: { text: 'Not halted: the scheduler is already running.' }, outcome: 'ok', action: 'none' };
  try {
    ctx.latch.resume();
  } catch (error) {
    return {
      reply: { text: `Still halted: the start could not be saved (${(error as Error).message}).` },
      outcome: 'error',
      action: 'none',
    };
  }
  const at = ctx.clock.now();
  ctx.announcer.announce({ kind: 'resumed', by: actor, at }).catch(() => {});
  const still =
    ctx.runner.inFlightCount > 0 ? ` Still in flight: ${inFlightText(ctx)}; nothing new starts before that ends.` : '';
  return {
    reply: { text: `Resumed by ${who(actor)}. The scheduler may attack again within business hours.${still}` },
    outcome: 'ok',
    action: 'resumed',
  };
}

/**
 * `resolve #ID [note]`: admins only (checked by the caller). The fault that may have remained after
 * attack #ID is fixed: it no longer holds the team halted. The halt itself stays until `start`.
 */
export function resolve(
  ctx: Pick<AppContext, 'faults' | 'latch'>,
  actor: string,
  id: string,
  note: string,
): { reply: Reply; outcome: string; action: AuditAction } {
  let done: boolean;
  try {
    done = ctx.faults.resolve(id, actor, note);
  } catch (error) {
    return {
      reply: { text: `Not resolved: it could not be saved (${(error as Error).message}).` },
      outcome: 'error',
      action: 'none',
    };
  }
  if (!done) {
    const open = ctx.faults.list();
    const others = open.length ? ` Open: ${open.map((f) => `#${f.id}`).join(', ')}.` : ' None is open.';
    return { reply: { text: `No open fault for #${id}.${others}` }, outcome: 'invalid', action: 'none' };
  }
  const left = ctx.faults.list();
  const next = left.length
    ? ` Still open: ${left.map((f) => `#${f.id} ${f.attack} on ${f.host}`).join(', ')}.`
    : ctx.latch.state().halt
      ? ' No fault is open now; ChaosCat stays halted until an admin says `start`.'
      : '';
  return {
    reply: { text: `Resolved #${id} by ${who(actor)}${note ? `: ${note}` : ''}.${next}` },
    outcome: 'ok',
    action: 'resolved',
  };
}
