import type { AttackRecord } from '../../domain/model.js';
import type { Reply } from '../../ports/chat.js';
import { errorMessage } from '../../ports/errors.js';
import type { AuditAction } from '../../ports/store.js';
import {
  type ResolveAnswer,
  resolveText,
  type StartAnswer,
  type StopAnswer,
  startText,
  stopText,
} from '../../words/halt-replies.js';
import type { AppContext } from '../context.js';
import { inFlightOf } from './status.js';

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
  const tz = ctx.config.timezone;
  if (latched.kind === 'already') {
    // The latch stays as it was; anything still running is reverted all the same.
    const { reverting } = ctx.runner.abortAll(why);
    return { reply: { text: stopText({ kind: 'already', halt: latched.halt, reverting }, tz) }, outcome: 'ok', action: 'halted' };
  }
  const checking = ctx.runner
    .list()
    .filter((f) => f.life.phase === 'admitted')
    .map((f) => f.request.trigger);
  const { reverting, cancelled } = ctx.runner.abortAll(why);
  ctx.runner.announce({ kind: 'halted', halt: latched.halt, reverting });
  const recordOf = (id: string | null) => (id === null ? undefined : ctx.runner.records.get(id));
  const answer: StopAnswer = {
    kind: 'halted',
    by: actor,
    reason,
    reverting,
    cancelled: cancelled.map((f) => recordOf(f.id)).filter((r): r is AttackRecord => r !== undefined),
    checking,
    awaiting: ctx.runner
      .awaitingVerdict()
      .map((f) => recordOf(f.id))
      .filter((r): r is AttackRecord => r !== undefined),
    recovering: ctx.runner.recovering,
    writeError: latched.writeError?.message ?? null,
  };
  return { reply: { text: stopText(answer, tz) }, outcome: latched.writeError ? 'error' : 'ok', action: 'halted' };
}

/** `start`: admins only (checked by the caller). Clears the halt. */
export function start(
  ctx: Pick<AppContext, 'announcer' | 'clock' | 'faults' | 'latch' | 'runner'>,
  actor: string,
): { reply: Reply; outcome: string; action: AuditAction } {
  const said = (answer: StartAnswer, outcome: string, action: AuditAction) => ({
    reply: { text: startText(answer) },
    outcome,
    action,
  });
  const open = ctx.faults.list();
  if (open.length > 0) return said({ kind: 'faults', open }, 'refused', 'none');
  if (!ctx.latch.state().halt) return said({ kind: 'not-halted' }, 'ok', 'none');
  try {
    ctx.latch.resume();
  } catch (error) {
    return said({ kind: 'unsaved', cause: errorMessage(error) }, 'error', 'none');
  }
  const at = ctx.clock.now();
  ctx.announcer.announce({ kind: 'resumed', by: actor, at }).catch(() => {});
  return said({ kind: 'resumed', by: actor, inFlight: inFlightOf(ctx) }, 'ok', 'resumed');
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
  const said = (answer: ResolveAnswer, outcome: string, action: AuditAction) => ({
    reply: { text: resolveText(answer) },
    outcome,
    action,
  });
  let done: boolean;
  try {
    done = ctx.faults.resolve(id, actor, note);
  } catch (error) {
    return said({ kind: 'unsaved', cause: errorMessage(error) }, 'error', 'none');
  }
  if (!done) return said({ kind: 'unknown', id, open: ctx.faults.list() }, 'invalid', 'none');
  const answer: ResolveAnswer = {
    kind: 'resolved',
    id,
    by: actor,
    note,
    left: ctx.faults.list(),
    halted: ctx.latch.state().halt !== null,
  };
  return said(answer, 'ok', 'resolved');
}
