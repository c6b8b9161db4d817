import type { types } from '@slack/bolt';
import { endedText, eventText } from '../../app/announcements.js';
import { attackDuration, localTime, triggerText } from '../../app/format.js';
import { formatDuration } from '../../domain/duration.js';
import { type AttackDef, type AttackRecord, type AttackState, isFinal } from '../../domain/model.js';
import { mrkdwn, truncate } from './text.js';

/** The action id of the Stop button; the transport listens for it. */
export const STOP_ACTION_ID = 'chaoscat_stop';
/** What pressing Stop says to the core (reason: "Stop button"). */
export const STOP_BUTTON_TEXT = 'stop Stop button';

export interface SlackMessage {
  /** Fallback text: notifications, screen readers, clients without blocks. */
  readonly text: string;
  readonly blocks?: types.KnownBlock[];
}

const STATE_EMOJI: Record<AttackState, string> = {
  pending: ':rotating_light:',
  running: ':rotating_light:',
  aborting: ':hourglass_flowing_sand:',
  completed: ':white_check_mark:',
  reverted: ':leftwards_arrow_with_hook:',
  failed: ':x:',
  orphaned: ':warning:',
};

const stopButton = (attackId: string): types.Button => ({
  type: 'button',
  action_id: STOP_ACTION_ID,
  style: 'danger',
  text: { type: 'plain_text', text: 'Stop', emoji: true },
  value: attackId,
  confirm: {
    title: { type: 'plain_text', text: 'Stop all chaos?' },
    text: {
      type: 'mrkdwn',
      text: 'This reverts every attack in flight and halts ChaosCat. Nothing starts again until an admin says `start`.',
    },
    confirm: { type: 'plain_text', text: 'Stop' },
    deny: { type: 'plain_text', text: 'Cancel' },
    style: 'danger',
  },
});

function stateText(r: AttackRecord): string {
  if (!isFinal(r.state)) return r.state === 'aborting' ? 'reverting…' : 'in progress';
  const exit = r.exitCode === null ? '' : `, exit ${r.exitCode}`;
  const rollback = r.rollbackOk === null ? '' : r.rollbackOk ? ', rollback ok' : ', *rollback failed*';
  return `${r.state} after ${attackDuration(r)}${exit}${rollback}`;
}

/**
 * The announcement of one attack, as first posted (with the red Stop button) and, once the record is
 * final, as updated (no button: there is nothing left to stop).
 */
export function attackMessage(record: AttackRecord, attack: AttackDef | null, timezone: string): SlackMessage {
  const final = isFinal(record.state);
  const dry = record.dryRun ? ' — _dry run: nothing is touched_' : ' — *LIVE*';
  const head = `${STATE_EMOJI[record.state]} *Chaos attack #${record.id}*: \`${record.attack}\` on \`${record.host}\`${dry}`;
  const fields: types.MrkdwnElement[] = [
    { type: 'mrkdwn', text: `*Attack*\n${mrkdwn(record.attack)}` },
    { type: 'mrkdwn', text: `*Host*\n${mrkdwn(record.host)}` },
    { type: 'mrkdwn', text: `*Duration*\n${formatDuration(record.durationMs)}` },
    { type: 'mrkdwn', text: `*Triggered by*\n${mrkdwn(triggerText(record.trigger))}` },
    { type: 'mrkdwn', text: `*Mode*\n${record.dryRun ? 'dry run' : 'live'}` },
    { type: 'mrkdwn', text: `*State*\n${stateText(record)}` },
  ];
  const notes: string[] = [];
  if (attack?.description) notes.push(mrkdwn(attack.description));
  if (final && record.reason) notes.push(mrkdwn(truncate(record.reason, 1_500)));
  if (!final) notes.push(`Ends by itself by ${localTime(record.deadlineAt, timezone, 'HH:mm')} (${timezone}) whatever happens.`);
  const blocks: types.KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: head } },
    { type: 'section', fields },
  ];
  if (notes.length > 0) blocks.push({ type: 'context', elements: notes.map((text) => ({ type: 'mrkdwn', text })) });
  if (!final) blocks.push({ type: 'actions', block_id: `chaoscat_attack_${record.id}`, elements: [stopButton(record.id)] });
  const text = final ? endedText(record) : eventText({ kind: 'attack-started', record, attack }, timezone);
  return { text: mrkdwn(text), blocks };
}
