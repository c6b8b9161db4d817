import { describe, expect, it } from 'vitest';
import { attackMessage, STOP_ACTION_ID } from '../../../src/adapters/slack/blocks.js';
import { replyMessage } from '../../../src/adapters/slack/reply-blocks.js';
import { codeBlock, decodeEntities, mrkdwn, stripMention } from '../../../src/adapters/slack/text.js';
import { formatDuration } from '../../../src/domain/duration.js';
import type { AttackRecord } from '../../../src/domain/model.js';
import type { StartNote } from '../../../src/ports/chat.js';
import { endedText, eventText, startNoteText } from '../../../src/words/announcements.js';
import { triggerText } from '../../../src/words/format.js';
import { actionIds, blockTypes, contextTexts, fieldValue } from '../../support/block-shapes.js';
import { attackRecord } from '../../support/records.js';

const record: AttackRecord = attackRecord({
  id: '7',
  attack: 'cpu-burn',
  host: 'web-1',
  trigger: { kind: 'schedule' },
  dryRun: false,
  state: 'running',
  createdAt: Date.parse('2026-11-24T20:00:00Z'),
  startedAt: Date.parse('2026-11-24T20:00:01Z'),
  deadlineAt: Date.parse('2026-11-24T20:06:00Z'),
  durationMs: 300_000,
  remotePgid: 42,
});

const buttons = (blocks: unknown) => JSON.stringify(blocks).match(new RegExp(STOP_ACTION_ID, 'g')) ?? [];

describe('Slack text', () => {
  it('keeps the mentions the core writes and escapes the rest, so <!channel> pings nobody', () => {
    expect(mrkdwn('Halted by <@U1> & <!subteam^S1|oncall>: x < y > z <!channel> <!here>')).toBe(
      'Halted by <@U1> &amp; <!subteam^S1|oncall>: x &lt; y &gt; z &lt;!channel&gt; &lt;!here&gt;',
    );
  });

  it('decodes what Slack encoded, and strips only the bot’s own mention', () => {
    expect(decodeEntities('stop a &lt;b&gt; &amp;amp;')).toBe('stop a <b> &amp;');
    expect(stripMention('<@UBOT> run-once <@UBOT|chaoscat> x <@U2>', 'UBOT')).toBe('run-once x <@U2>');
  });

  it('puts preformatted text in a code block that a fence inside cannot end', () => {
    expect(codeBlock('a ``` b <c>')).toBe('```\na `\u200b`\u200b` b &lt;c&gt;\n```');
    expect(replyMessage({ text: '*3 hosts:*', block: 'web-1' }).blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '*3 hosts:*' } },
      { type: 'section', text: { type: 'mrkdwn', text: '```\nweb-1\n```' } },
    ]);
  });
});

describe('attack announcement blocks', () => {
  it('while running: what, where, how long, who, live or dry, and a red Stop button with a confirm dialog', () => {
    const m = attackMessage(record, null, 'America/Los_Angeles');
    const json = JSON.stringify(m.blocks);
    expect(json).toContain('*Chaos attack #7*: `cpu-burn` on `web-1` — *LIVE*');
    expect(fieldValue(m.blocks, 'Duration')).toBe(formatDuration(record.durationMs));
    expect(fieldValue(m.blocks, 'Triggered by')).toBe(triggerText(record.trigger));
    expect(fieldValue(m.blocks, 'Mode')).toBe('live');
    // In each reader's own zone (Slack's <!date^…>), the config's zone as the fallback.
    const deadline = Math.floor(record.deadlineAt / 1000);
    expect(json).toContain(
      `its on-host timer kills the attack and runs its rollback by <!date^${deadline}^{date_short_pretty} {time}|12:06 PST>.`,
    );
    expect(json).not.toMatch(/by itself/);
    expect(buttons(m.blocks)).toHaveLength(1);
    expect(blockTypes(m.blocks)).toEqual(['section', 'section', 'context', 'actions']);
    expect(actionIds(m.blocks)).toEqual([STOP_ACTION_ID]);
    expect(json).toContain('"style":"danger"');
    // The fallback text is the start event's own sentence, as the words module tells it.
    expect(m.text).toBe(
      mrkdwn(eventText({ kind: 'attack-started', record, attack: null, note: undefined }, 'America/Los_Angeles')),
    );
  });

  it('once final: the outcome, the reason, and no button', () => {
    const done = {
      ...record,
      state: 'reverted' as const,
      endedAt: record.startedAt! + 65_000,
      rollbackOk: true,
      reason: 'stopped by <@U1>: db <sad>',
    };
    const m = attackMessage(done, null, 'UTC');
    expect(buttons(m.blocks)).toEqual([]);
    const json = JSON.stringify(m.blocks);
    expect(json).toContain(':leftwards_arrow_with_hook: *Chaos attack #7*');
    expect(fieldValue(m.blocks, 'State')).toBe('reverted after 1m 5s, rollback ok');
    // The reason as stored, escaped for mrkdwn; the fallback text is the words module's ending.
    expect(contextTexts(m.blocks)).toEqual([mrkdwn(done.reason)]);
    expect(m.text).toBe(mrkdwn(endedText(done, [], 'UTC')));
    expect(m.text).not.toContain('<sad>');
  });

  it('carries the start note (a forced health gate) in the blocks and the fallback text, for the whole life', () => {
    const forced: StartNote = { forcedBy: { kind: 'user', user: 'U0ADMIN01' } };
    const note = startNoteText(forced);
    expect(note).toBe("Health gate skipped (--force by <@U0ADMIN01>) for this attack's whole life.");
    const m = attackMessage(record, null, 'UTC', { note: forced });
    expect(JSON.stringify(m.blocks)).toContain(`:warning: ${note}`);
    expect(m.text).toContain(note);
    expect(buttons(m.blocks)).toHaveLength(1);
    const done = attackMessage({ ...record, state: 'completed', endedAt: record.startedAt! + 1_000 }, null, 'UTC', {
      note: forced,
    });
    expect(JSON.stringify(done.blocks)).toContain(note);
  });

  it('an announcement that came too late says nothing ran, and offers no button', () => {
    const m = attackMessage(record, null, 'UTC', { notStarted: 'Slack did not answer within 10s' });
    expect(buttons(m.blocks)).toEqual([]);
    expect(blockTypes(m.blocks)).toEqual(['section', 'context']);
    expect(actionIds(m.blocks)).toEqual([]);
    expect(m.text).toBe('Not started: #7 cpu-burn on web-1 — Slack did not answer within 10s');
  });

  it('a cancelled attack says it never touched the host', () => {
    const m = attackMessage({ ...record, state: 'cancelled', startedAt: null, endedAt: record.createdAt }, null, 'UTC');
    expect(buttons(m.blocks)).toEqual([]);
    expect(actionIds(m.blocks)).toEqual([]);
    expect(fieldValue(m.blocks, 'State')).toBe('cancelled: nothing ran on the host');
  });
});
