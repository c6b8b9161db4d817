import type { types } from '@slack/bolt';
import { COVERAGE, type Coverage, MAX_NOTE_CHARS, PAGED, type Paged } from '../../domain/answers.js';
import type { AttackRecord } from '../../domain/model.js';
import { COVERAGE_WORDS, PAGED_WORDS, questionsText } from '../../words/answers.js';
import { attackLine } from '../../words/format.js';
import type { SlackMessage } from './blocks.js';
import { cut, mrkdwn, truncate } from './text.js';

/** Every answer button's action id starts with this; the transport listens for them. */
export const ANSWER_ACTION_PREFIX = 'chaoscat_answer_';
/** The "Add a note" button, and the modal it opens. */
export const NOTE_ACTION_ID = 'chaoscat_answer_note';
export const NOTE_VIEW_ID = 'chaoscat_answer_note_view';
const NOTE_BLOCK = 'note';
const NOTE_INPUT = 'text';

/** A button's value: the attack and the answer (`ID:paged:no`). */
function value(id: string, field: 'paged' | 'runbook', choice: string): string {
  return `${id}:${field}:${choice}`;
}

/**
 * What pressing an answer button says to the core: `answer #ID paged=no`, the command anyone can
 * type. Null for a value that is not one of ours (nothing else of the payload reaches the core).
 */
export function answerButtonCommand(raw: string | undefined): string | null {
  const match = /^([1-9][0-9]{0,14}):(paged|runbook):([a-z-]{2,10})$/.exec(raw ?? '');
  if (!match) return null;
  const [, id, field, choice] = match;
  const allowed: readonly string[] = field === 'paged' ? PAGED : COVERAGE;
  return allowed.includes(choice as string) ? `answer #${id} ${field}=${choice}` : null;
}

/** The attack id a note button or note modal is for; null when it is not one. */
export function noteAttackId(raw: string | undefined): string | null {
  return /^[1-9][0-9]{0,14}$/.test(raw ?? '') ? (raw as string) : null;
}

function button(id: string, field: 'paged' | 'runbook', choice: Paged | Coverage, text: string): types.Button {
  return {
    type: 'button',
    action_id: `${ANSWER_ACTION_PREFIX}${field}_${choice}`,
    text: { type: 'plain_text', text },
    value: value(id, field, choice),
  };
}

/** The questions after a live attack's verdict, in its thread: two rows of buttons and a note. */
export function questionsMessage(r: AttackRecord, runbook: string | null): SlackMessage {
  const book = runbook ? ` Runbook: <${runbook}|${runbook.replace(/^https?:\/\//, '')}>` : '';
  const blocks: types.KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: cut(
          `:mag: *What did we learn from ${mrkdwn(attackLine(r))}?* Anyone on call may answer; each person's latest answer counts.${book}`,
          3_000,
        ),
      },
    },
    { type: 'section', text: { type: 'mrkdwn', text: '*Were you paged?*' } },
    {
      type: 'actions',
      block_id: `chaoscat_paged_${r.id}`,
      elements: PAGED.map((p) => button(r.id, 'paged', p, PAGED_WORDS[p])),
    },
    { type: 'section', text: { type: 'mrkdwn', text: '*Did the runbook cover it?*' } },
    {
      type: 'actions',
      block_id: `chaoscat_runbook_${r.id}`,
      elements: COVERAGE.map((c) => button(r.id, 'runbook', c, COVERAGE_WORDS[c])),
    },
    {
      type: 'actions',
      block_id: `chaoscat_note_${r.id}`,
      elements: [{ type: 'button', action_id: NOTE_ACTION_ID, text: { type: 'plain_text', text: 'Add a note' }, value: r.id }],
    },
  ];
  return { text: truncate(mrkdwn(questionsText(r, runbook))), blocks };
}

/** Where the answer to a note goes back to: the channel and thread the button was pressed in. */
export interface NoteOrigin {
  readonly id: string;
  readonly channel: string;
  readonly threadTs?: string | undefined;
}

/** The modal "Add a note" opens (views.open); its origin rides in private_metadata. */
export function noteModal(origin: NoteOrigin): types.ModalView {
  return {
    type: 'modal',
    callback_id: NOTE_VIEW_ID,
    private_metadata: JSON.stringify(origin),
    title: { type: 'plain_text', text: `A note on #${origin.id}` },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: NOTE_BLOCK,
        label: { type: 'plain_text', text: 'What did you learn? (what paged, what was missing)' },
        element: { type: 'plain_text_input', action_id: NOTE_INPUT, multiline: true, max_length: MAX_NOTE_CHARS },
      },
    ],
  };
}

/** The origin and the note of a submitted modal; null when the submission is not one of ours. */
export function readNoteSubmission(view: {
  readonly private_metadata?: string;
  readonly state?: { readonly values?: Record<string, Record<string, { readonly value?: string | null }>> };
}): { origin: NoteOrigin; note: string } | null {
  let origin: Partial<NoteOrigin>;
  try {
    origin = JSON.parse(view.private_metadata ?? '') as Partial<NoteOrigin>;
  } catch {
    return null;
  }
  const id = noteAttackId(origin.id);
  const note = view.state?.values?.[NOTE_BLOCK]?.[NOTE_INPUT]?.value?.trim() ?? '';
  if (!id || typeof origin.channel !== 'string' || note === '') return null;
  return {
    origin: { id, channel: origin.channel, ...(typeof origin.threadTs === 'string' ? { threadTs: origin.threadTs } : {}) },
    note: note.replace(/\s+/g, ' ').slice(0, MAX_NOTE_CHARS),
  };
}
