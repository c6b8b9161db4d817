import type { Coverage, Paged } from '../../domain/answers.js';
import { gapsOf } from '../../domain/gaps.js';
import { isFinal } from '../../domain/model.js';
import type { Reply } from '../../ports/chat.js';
import { answerWords, GAP_WORDS } from '../../words/answers.js';
import { attackLine, who } from '../../words/format.js';
import type { AppContext } from '../context.js';

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
  const refuse = (text: string) => ({ reply: { text, ephemeral: true }, outcome: 'invalid' });
  if (!ctx.answers) return refuse('Answers are not kept by this bot.');
  const record = ctx.store.getAttack(cmd.id);
  if (!record) return refuse(`There is no attack #${cmd.id}${ctx.config.teams.length > 1 ? ' in this team' : ''}.`);
  if (record.dryRun)
    return refuse(`${attackLine(record)} was a dry run: it touched nothing, so there is nothing to learn from it.`);
  if (!isFinal(record.state)) return refuse(`${attackLine(record)} has not ended yet: answer once it has.`);
  ctx.answers.record({
    attackId: record.id,
    by: actor,
    at: ctx.clock.now(),
    ...(cmd.paged ? { paged: cmd.paged } : {}),
    ...(cmd.runbook ? { runbook: cmd.runbook } : {}),
    ...(cmd.note ? { note: cmd.note } : {}),
  });
  const mine = ctx.answers.answersOf(record.id).find((a) => a.by === actor);
  return {
    reply: { text: `Thanks — noted for ${attackLine(record)}: ${answerWords(mine ?? cmd)}.`, ephemeral: true },
    outcome: 'ok',
  };
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
  const refuse = (text: string) => ({ reply: { text, ephemeral: true }, outcome: 'invalid' });
  if (!ctx.answers) return refuse('Gaps are not kept by this bot.');
  const record = ctx.store.getAttack(id);
  if (!record) return refuse(`There is no attack #${id}.`);
  const gaps = gapsOf(record, ctx.answers.answersOf(id));
  if (gaps.length === 0) {
    return refuse(
      `${attackLine(record)} found no gaps (no monitoring gap, nobody said they were not paged or that the runbook fell short).`,
    );
  }
  ctx.answers.markFixed({ attackId: id, by: actor, at: ctx.clock.now(), note });
  const what = gaps.map((g) => GAP_WORDS[g]).join(', ');
  return {
    reply: { text: `${who(actor)} marked the gaps of ${attackLine(record)} fixed (${what})${note ? `: ${note}` : ''}.` },
    outcome: 'ok',
  };
}
