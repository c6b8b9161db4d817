import { COMMAND_WORDS, type Command, parseCommand } from '../../domain/command-parser.js';
import type { Inbound, Reply } from '../../ports/chat.js';
import { errorMessage } from '../../ports/errors.js';
import type { AuditAction, AuditLog } from '../../ports/store.js';
import { type CommandAnswer, commandAnswerText } from '../../words/command-replies.js';
import type { AppContext, ContextOf } from '../context.js';
import { answer, fixed } from './answer.js';
import { help, history, historyDetail, listAttacks, listHosts } from './catalogue.js';
import { resolve, start, stop } from './halt.js';
import { runOnce } from './run-once.js';
import { status } from './status.js';

/** Produces the daily report for a local date (YYYY-MM-DD) or yesterday; supplied by the report feature. */
export type ReportCommand = (date: string | undefined, inbound: Inbound) => Promise<Reply>;

/**
 * What the dispatcher reads itself (who is an admin, the team's game days) and what each command it
 * routes to reads.
 */
type DispatchContext = Pick<AppContext, 'authorizer' | 'gameDays'> &
  ContextOf<typeof runOnce> &
  ContextOf<typeof stop> &
  ContextOf<typeof start> &
  ContextOf<typeof resolve> &
  ContextOf<typeof answer> &
  ContextOf<typeof fixed> &
  ContextOf<typeof status> &
  ContextOf<typeof history> &
  ContextOf<typeof historyDetail> &
  ContextOf<typeof listAttacks> &
  ContextOf<typeof listHosts>;

/** What handleCommand reads: every command's context, and what the audit row needs. */
export type CommandContext = DispatchContext & ContextOf<typeof auditCommand>;

const ADMIN_ONLY = new Set(['run-once', 'start', 'resolve', 'fixed']);

/** The dispatcher's own reply; what it did not understand is for the asker alone (in Slack, ephemeral). */
function said(answer: CommandAnswer, ephemeral = false): Reply {
  return { text: commandAnswerText(answer), ...(ephemeral ? { ephemeral: true } : {}) };
}

function commandWord(cmd: Command): string {
  switch (cmd.kind) {
    case 'unknown':
      return 'unknown';
    case 'invalid':
      return cmd.command;
    case 'history-detail':
      return 'history';
    default:
      return cmd.kind;
  }
}

/**
 * The one entry point every transport calls with untrusted text. Parses, authorises, runs the use
 * case, and writes the audit row whatever happens. Never throws.
 */
export async function handleCommand(ctx: CommandContext, inbound: Inbound, report?: ReportCommand): Promise<Reply> {
  const cmd = parseCommand(inbound.text);
  const word = commandWord(cmd);
  let outcome = 'ok';
  let reply: Reply;
  let action: AuditAction | undefined;
  try {
    ({ reply, outcome, action } = await dispatch(ctx, cmd, inbound, report));
  } catch (error) {
    ctx.logger.error({ err: error, command: word }, 'command failed');
    reply = said({ kind: 'failed', command: word, cause: errorMessage(error) });
    outcome = 'error';
  }
  auditCommand(ctx, inbound, word, outcome, reply, action ?? (word === 'stop' || word === 'start' ? 'none' : null));
  return reply;
}

/** The audit row of a command, allowed or not; a store that refuses it is logged, never thrown. */
export function auditCommand(
  ctx: Pick<AppContext, 'clock' | 'logger'> & { readonly store: Pick<AuditLog, 'audit'> },
  inbound: Inbound,
  command: string,
  outcome: string,
  reply: Reply,
  action: AuditAction | null = null,
): void {
  try {
    ctx.store.audit({
      at: ctx.clock.now(),
      actor: inbound.actor,
      transport: inbound.transport,
      command,
      text: inbound.text,
      outcome,
      detail: reply.text.slice(0, 500),
      action,
    });
  } catch (error) {
    ctx.logger.error({ err: error }, 'cannot write the audit log');
  }
}

async function dispatch(
  ctx: DispatchContext,
  cmd: Command,
  inbound: Inbound,
  report: ReportCommand | undefined,
): Promise<{ reply: Reply; outcome: string; action?: AuditAction }> {
  const ok = (reply: Reply) => ({ reply, outcome: 'ok' });
  const needsAdmin = ADMIN_ONLY.has(cmd.kind) || (cmd.kind === 'run-once' && cmd.force);
  if (needsAdmin && !(await ctx.authorizer.isAdmin(inbound.actor))) {
    const admins = ctx.authorizer.describeAdmins();
    return { reply: said({ kind: 'not-admin', command: cmd.kind, admins }, true), outcome: 'refused' };
  }
  switch (cmd.kind) {
    case 'run-once':
      return runOnce(ctx, inbound.actor, cmd);
    case 'stop':
      return stop(ctx, inbound.actor, cmd.reason);
    case 'start':
      return start(ctx, inbound.actor);
    case 'resolve':
      return resolve(ctx, inbound.actor, cmd.id, cmd.note);
    case 'answer':
      return answer(ctx, inbound.actor, cmd);
    case 'fixed':
      return fixed(ctx, inbound.actor, cmd.id, cmd.note);
    case 'status':
      return ok(status(ctx));
    case 'history':
      return ok(history(ctx, cmd.limit, cmd.filter));
    case 'history-detail':
      return ok(historyDetail(ctx, cmd.id));
    case 'attacks':
      return ok(listAttacks(ctx));
    case 'hosts':
      return ok(listHosts(ctx));
    case 'report':
      if (!report) return { reply: said({ kind: 'no-report' }), outcome: 'invalid' };
      return ok(await report(cmd.date, inbound));
    case 'approve':
    case 'skip':
      if (!ctx.gameDays) {
        return { reply: said({ kind: 'which-team', verb: cmd.kind, name: cmd.name }, true), outcome: 'invalid' };
      }
      return cmd.kind === 'approve'
        ? ctx.gameDays.approve(inbound.actor, cmd.name, cmd.at)
        : ctx.gameDays.skip(inbound.actor, cmd.name, cmd.at);
    case 'help':
      return ok(help());
    // What the bot did not understand is for the asker alone (in Slack, ephemeral).
    case 'empty':
      return ok(said({ kind: 'empty' }, true));
    case 'invalid':
      return { reply: said({ kind: 'invalid', command: cmd.command, problem: cmd.problem }, true), outcome: 'invalid' };
    case 'unknown':
      return { reply: said({ kind: 'unknown', word: cmd.word, commands: COMMAND_WORDS }, true), outcome: 'invalid' };
  }
}
