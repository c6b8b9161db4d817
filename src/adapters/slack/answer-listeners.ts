import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Inbound } from '../../ports/chat.js';
import {
  ANSWER_ACTION_PREFIX,
  answerButtonCommand,
  NOTE_ACTION_ID,
  NOTE_VIEW_ID,
  noteAttackId,
  noteModal,
  readNoteSubmission,
} from './answer-blocks.js';
import type { ReplyTarget } from './replies.js';

/** Runs a command from Slack and answers it (inbound.ts `answer`). */
export type Answerer = (inbound: Inbound, target: ReplyTarget, ephemeral: boolean) => Promise<void>;

interface AnswerButtonBody {
  readonly user?: { readonly id?: string };
  readonly channel?: { readonly id?: string };
  readonly container?: { readonly channel_id?: string; readonly message_ts?: string };
  readonly message?: { readonly ts?: string; readonly thread_ts?: string };
  readonly actions?: readonly { readonly action_id?: string; readonly value?: string }[];
  readonly trigger_id?: string;
}

/**
 * The questions after a verdict: each answer button is the `answer #ID field=choice` anyone can type,
 * answered to whoever pressed it; "Add a note" opens a modal, whose text becomes `answer #ID note …`.
 * Only the attack id and fixed words come from the payload; the note is text for the database, never
 * for a shell.
 */
export function listenForAnswers(
  app: App,
  deps: { readonly logger: Logger; readonly track: (work: Promise<void>) => void },
  answer: Answerer,
): void {
  const { logger, track } = deps;
  app.action(new RegExp(`^${ANSWER_ACTION_PREFIX}(paged|runbook)_`), async ({ ack, body }) => {
    await ack();
    const b = body as AnswerButtonBody;
    const user = b.user?.id;
    const channel = b.channel?.id ?? b.container?.channel_id;
    const text = answerButtonCommand(b.actions?.[0]?.value);
    if (!user || !channel || !text) {
      logger.error('answer button payload without user, channel or a value of ours; ignored');
      return;
    }
    const threadTs = b.message?.thread_ts ?? b.message?.ts ?? b.container?.message_ts;
    track(answer({ text, actor: user, transport: 'slack-button', channel }, { channel, user, threadTs }, true));
  });

  app.action({ action_id: NOTE_ACTION_ID }, async ({ ack, body, client }) => {
    await ack();
    const b = body as AnswerButtonBody;
    const id = noteAttackId(b.actions?.[0]?.value);
    const channel = b.channel?.id ?? b.container?.channel_id;
    if (!id || !channel || !b.trigger_id) {
      logger.error('note button payload without an attack, channel or trigger; ignored');
      return;
    }
    const threadTs = b.message?.thread_ts ?? b.message?.ts;
    try {
      await client.views.open({ trigger_id: b.trigger_id, view: noteModal({ id, channel, threadTs }) });
    } catch (error) {
      logger.error({ err: error, id }, 'cannot open the note modal');
    }
  });

  app.view(NOTE_VIEW_ID, async ({ ack, body, view }) => {
    await ack();
    const user = body.user?.id;
    const read = readNoteSubmission(view as Parameters<typeof readNoteSubmission>[0]);
    if (!user || !read) {
      logger.error('note submission without a user, an attack of ours or a note; ignored');
      return;
    }
    const { origin, note } = read;
    track(
      answer(
        { text: `answer #${origin.id} note ${note}`, actor: user, transport: 'slack-modal', channel: origin.channel },
        { channel: origin.channel, user, threadTs: origin.threadTs },
        true,
      ),
    );
  });
}
