import type { Coverage, Paged } from '../../domain/answers.js';
import { gapsOf } from '../../domain/gaps.js';
import { isFinal } from '../../domain/model.js';
import type { Reply } from '../../ports/chat.js';
import { type LearnedAnswer, learnedAnswerText } from '../../words/answers.js';
import type { AppContext } from '../context.js';

/** A refusal for the asker alone (in Slack, ephemeral). */
function refuse(answer: LearnedAnswer): { reply: Reply; outcome: string } {
  return { reply: { text: learnedAnswerText(answer), ephemeral: true }, outcome: 'invalid' };
}

/**
 * `answer #ID [paged=…] [runbook=…] [note …]`: what someone on call learned from an attack that
 * touched hosts and has ended. Anyone may answer; the fields given replace what that person said
 * before. Answered to its author alone; the thread keeps the questions.
 */
export function answer(
  ctx: Pick<AppContext, 'answers' | 'clock' | 'config' | 'store'>,
  actor: string,
  cmd: { readonly id: string; readonly paged?: Paged; readonly runbook?: Coverage; readonly note?: string },
): { reply: Reply; outcome: string } {
  if (!ctx.answers) return refuse({ kind: 'not-kept', what: 'answers' });
  const record = ctx.store.getAttack(cmd.id);
  if (!record) return refuse({ kind: 'no-attack', id: cmd.id, inTeam: ctx.config.teams.length > 1 });
  if (record.dryRun) return refuse({ kind: 'dry-run', record });
  if (!isFinal(record.state)) return refuse({ kind: 'not-ended', record });
  ctx.answers.record({
    attackId: record.id,
    by: actor,
    at: ctx.clock.now(),
    ...(cmd.paged ? { paged: cmd.paged } : {}),
    ...(cmd.runbook ? { runbook: cmd.runbook } : {}),
    ...(cmd.note ? { note: cmd.note } : {}),
  });
  const mine = ctx.answers.answersOf(record.id).find((a) => a.by === actor);
  return { reply: { text: learnedAnswerText({ kind: 'noted', record, answer: mine ?? cmd }), ephemeral: true }, outcome: 'ok' };
}

/**
 * `fixed #ID [note]` (admins): the gaps attack #ID found — a monitoring gap, nobody paged, a runbook
 * that fell short — are dealt with; the report's backlog stops listing them. Told in the channel.
 */
export function fixed(
  ctx: Pick<AppContext, 'answers' | 'clock' | 'store'>,
  actor: string,
  id: string,
  note: string,
): { reply: Reply; outcome: string } {
  if (!ctx.answers) return refuse({ kind: 'not-kept', what: 'gaps' });
  const record = ctx.store.getAttack(id);
  if (!record) return refuse({ kind: 'no-attack', id, inTeam: false });
  const gaps = gapsOf(record, ctx.answers.answersOf(id));
  if (gaps.length === 0) return refuse({ kind: 'no-gaps', record });
  ctx.answers.markFixed({ attackId: id, by: actor, at: ctx.clock.now(), note });
  return { reply: { text: learnedAnswerText({ kind: 'fixed', by: actor, record, gaps, note }) }, outcome: 'ok' };
}
