import type { types } from '@slack/bolt';
import type { GameDayNotice } from '../../domain/game-day.js';
import { noticeText } from '../../words/game-day.js';
import type { SlackMessage } from './blocks.js';
import { cut, mrkdwn, truncate } from './text.js';

/** The action ids of a game-day notice's buttons; the transport listens for them. */
export const APPROVE_ACTION_ID = 'chaoscat_gameday_approve';
export const SKIP_ACTION_ID = 'chaoscat_gameday_skip';

/** A button's value: the game day and the start its notice is for (`NAME@EPOCHMS`). */
export function buttonValue(notice: Pick<GameDayNotice, 'name' | 'at'>): string {
  return `${notice.name}@${notice.at}`;
}

/**
 * What pressing a button says to the core: `approve NAME @AT` / `skip NAME @AT`, the same commands
 * an admin can type (the occurrence keeps an old notice from approving a later one). Null for a
 * value that is not one of ours.
 */
export function buttonCommand(verb: 'approve' | 'skip', value: string | undefined): string | null {
  const match = /^([a-z0-9][a-z0-9._-]{0,62})@(\d{1,15})$/i.exec(value ?? '');
  return match ? `${verb} ${match[1]} @${match[2]}` : null;
}

/** The notice with its Approve and Skip buttons. */
export function gameDayMessage(notice: GameDayNotice): SlackMessage {
  const text = mrkdwn(noticeText(notice));
  const value = buttonValue(notice);
  const approve: types.Button = {
    type: 'button',
    action_id: APPROVE_ACTION_ID,
    style: 'primary',
    text: { type: 'plain_text', text: 'Approve', emoji: true },
    value,
  };
  const skip: types.Button = {
    type: 'button',
    action_id: SKIP_ACTION_ID,
    style: 'danger',
    text: { type: 'plain_text', text: 'Skip', emoji: true },
    value,
    confirm: {
      title: { type: 'plain_text', text: 'Skip this game day?' },
      text: { type: 'mrkdwn', text: `This cancels game day ${mrkdwn(notice.name)} for this time only.` },
      confirm: { type: 'plain_text', text: 'Skip' },
      deny: { type: 'plain_text', text: 'Keep it' },
    },
  };
  return {
    text: truncate(text),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: cut(`:calendar: ${text}`, 3_000) } },
      {
        type: 'actions',
        block_id: `chaoscat_gameday_${notice.name}_${notice.at}`,
        elements: notice.approvals > 0 ? [approve, skip] : [skip],
      },
    ],
  };
}
