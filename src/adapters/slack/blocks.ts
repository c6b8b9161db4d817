import type { types } from '@slack/bolt';
import { formatDuration } from '../../domain/duration.js';
import { type AttackDef, type AttackRecord, type AttackState, isFinal } from '../../domain/model.js';
import type { StartNote } from '../../ports/chat.js';
import { attackStateText, endedText, eventText, startNoteText, verdictLine } from '../../words/announcements.js';
import { hostsText, triggerText } from '../../words/format.js';
import { when } from '../../words/tokens.js';
import { cut, mrkdwn, truncate } from './text.js';

/** Slack's limits: a section's or a context element's text, and a field's. */
const MAX_SECTION = 3_000;
const MAX_FIELD = 2_000;

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
  cancelled: ':no_entry_sign:',
  orphaned: ':warning:',
};

/**
 * The Stop button: anyone may press it, it asks to confirm first. `value` says where it was pressed
 * (an attack's id, or the App Home); `halts` what it halts ("ChaosCat", "ChaosCat for every team").
 */
export const stopButton = (value: string, halts = 'ChaosCat'): types.Button => ({
  type: 'button',
  action_id: STOP_ACTION_ID,
  style: 'danger',
  text: { type: 'plain_text', text: 'Stop', emoji: true },
  value,
  confirm: {
    title: { type: 'plain_text', text: 'Stop all chaos?' },
    text: {
      type: 'mrkdwn',
      text: `This reverts every attack in flight and halts ${halts}. Nothing starts again until an admin says \`start\`.`,
    },
    confirm: { type: 'plain_text', text: 'Stop' },
    deny: { type: 'plain_text', text: 'Cancel' },
    style: 'danger',
  },
});

export interface AttackMessageExtras {
  /** What the start event carried (e.g. the health gate is skipped); shown for the attack's whole life. */
  readonly note?: StartNote | undefined;
  /**
   * Why the attack was never started although this message reached Slack (it came after the runner
   * gave up waiting for it). The message then offers no Stop button: there is nothing to stop.
   */
  readonly notStarted?: string | undefined;
}

/**
 * The announcement of one attack, as first posted (with the red Stop button) and, once the record is
 * final, as updated (no button: there is nothing left to stop).
 */
export function attackMessage(
  record: AttackRecord,
  attack: AttackDef | null,
  timezone: string,
  extras: AttackMessageExtras = {},
): SlackMessage {
  const { note, notStarted } = extras;
  if (notStarted !== undefined) return notStartedMessage(record, notStarted);
  const final = isFinal(record.state);
  const dry = record.dryRun ? ' — _dry run: nothing is touched_' : ' — *LIVE*';
  const hosts = hostsText(record);
  const many =
    record.hosts && record.hosts.length > 3
      ? `${record.hosts.slice(0, 3).join(', ')} and ${record.hosts.length - 3} more`
      : hosts;
  const head = cut(
    `${STATE_EMOJI[record.state]} *Chaos attack #${record.id}*: \`${record.attack}\` on \`${many}\`${dry}`,
    MAX_SECTION,
  );
  const fields: types.MrkdwnElement[] = [
    { type: 'mrkdwn', text: `*Attack*\n${mrkdwn(record.attack)}` },
    {
      type: 'mrkdwn',
      text: cut(
        `*${record.hosts && record.hosts.length > 1 ? `Hosts (${record.hosts.length})` : 'Host'}*\n${mrkdwn(hosts)}`,
        MAX_FIELD,
      ),
    },
    { type: 'mrkdwn', text: `*Duration*\n${formatDuration(record.durationMs)}` },
    { type: 'mrkdwn', text: `*Triggered by*\n${mrkdwn(triggerText(record.trigger))}` },
    { type: 'mrkdwn', text: `*Mode*\n${record.dryRun ? 'dry run' : 'live'}` },
    { type: 'mrkdwn', text: `*State*\n${attackStateText(record)}` },
  ];
  const notes: string[] = [];
  if (note) notes.push(`:warning: ${mrkdwn(startNoteText(note))}`);
  if (attack?.description) notes.push(mrkdwn(attack.description));
  if (attack?.runbook) notes.push(`:book: Runbook: <${attack.runbook}|${mrkdwn(attack.runbook.replace(/^https?:\/\//, ''))}>`);
  if (final && record.reason) notes.push(mrkdwn(truncate(record.reason, 1_500)));
  if (final && record.verdict) notes.push(mrkdwn(verdictLine(record)));
  if (!final && !record.dryRun) {
    notes.push(
      `If the bot loses the host, its on-host timer kills the attack and runs its rollback by ${when(record.deadlineAt, timezone)}.`,
    );
  }
  const blocks: types.KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: head } },
    { type: 'section', fields },
  ];
  if (notes.length > 0)
    blocks.push({ type: 'context', elements: notes.map((text) => ({ type: 'mrkdwn', text: cut(text, MAX_SECTION) })) });
  if (!final) blocks.push({ type: 'actions', block_id: `chaoscat_attack_${record.id}`, elements: [stopButton(record.id)] });
  const text = final ? endedText(record, [], timezone) : eventText({ kind: 'attack-started', record, attack, note }, timezone);
  return { text: truncate(mrkdwn(text)), blocks };
}

function notStartedMessage(record: AttackRecord, why: string): SlackMessage {
  const text = `Not started: #${record.id} ${record.attack} on ${record.host} — ${why}`;
  const head = `:no_entry_sign: *Chaos attack #${record.id}*: \`${record.attack}\` on \`${record.host}\` — *not started*`;
  return {
    text: mrkdwn(text),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: head } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: cut(mrkdwn(`Nothing ran on the host: ${why}`), MAX_SECTION) }] },
    ],
  };
}
