import { afterEach, describe, expect, it } from 'vitest';
import { attackMessage } from '../../../src/adapters/slack/blocks.js';
import { ANNOUNCE_START_TIMEOUT_MS } from '../../../src/adapters/slack/poster.js';
import { mrkdwn } from '../../../src/adapters/slack/text.js';
import type { AttackRecord } from '../../../src/domain/model.js';
import type { ChatEvent, StartNote } from '../../../src/ports/chat.js';
import { startNoteText, verdictLine } from '../../../src/words/announcements.js';
import { actionIds, contextTexts } from '../../support/block-shapes.js';
import { eventually } from '../../support/eventually.js';
import { FixedClock, ManualTimers } from '../../support/fakes.js';
import {
  ADMIN,
  attackRecord,
  CHANNEL,
  NOBODY,
  startTransport,
  stopButton,
  type TransportHarness,
  type TransportOptions,
} from './slack-harness.js';

let h: TransportHarness | undefined;
afterEach(async () => {
  const x = h;
  h = undefined;
  await x?.close();
});

async function harness(opts: TransportOptions = {}): Promise<TransportHarness> {
  h = await startTransport(opts);
  return h;
}

const FORCED: StartNote = { forcedBy: { kind: 'user', user: 'U0ADMIN' } };
/** The note as the words say it: the layout must carry it whole. */
const NOTE = startNoteText(FORCED);

function started(record: AttackRecord = attackRecord(), note?: StartNote): Extract<ChatEvent, { kind: 'attack-started' }> {
  return { kind: 'attack-started', record, attack: null, ...(note ? { note } : {}) };
}

const running = (r: AttackRecord): AttackRecord => ({ ...r, state: 'running', startedAt: r.createdAt, remotePgid: 4242 });

function ended(r: AttackRecord, state: AttackRecord['state'], extra: Partial<AttackRecord> = {}): AttackRecord {
  return { ...running(r), state, endedAt: r.createdAt + 60_000, ...extra };
}

describe('announceStart: no announcement, no attack', () => {
  it('resolves ok once Slack took the top message, which carries the Stop button and the note', async () => {
    const x = await harness();
    expect(await x.transport.announceStart(started(attackRecord(), FORCED))).toEqual({ ok: true });
    const top = x.top('1');
    expect(stopButton(top?.blocks)).toMatchObject({ action_id: 'chaoscat_stop', style: 'danger', value: '1' });
    expect(JSON.stringify(top?.blocks)).toContain(NOTE);
    expect(top?.text).toContain(NOTE);
    expect(x.standin.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it.each([
    'channel_not_found',
    'not_in_channel',
  ])('resolves not ok with Slack’s error when Slack refuses the post (%s), without retrying; the rest goes to the channel', async (error) => {
    const x = await harness();
    x.standin.failNext('chat.postMessage', 1, { kind: 'ok-false', error });
    const record = attackRecord();
    expect(await x.transport.announceStart(started(record))).toEqual({
      ok: false,
      reason: `Slack refused the announcement: ${error}`,
    });
    expect(x.standin.callsTo('chat.postMessage').map((c) => c.answer)).toEqual([error]);
    await x.transport.announce({ kind: 'attack-ended', record: ended(record, 'cancelled', { startedAt: null }) });
    await eventually(() => x.posted().length > 0, 'the result in the channel');
    expect(x.posted().map((m) => [m.threadTs, m.text])).toEqual([
      [undefined, expect.stringMatching(/^#1 cpu-burn on web-1 not started \(cancelled\)/)],
    ]);
  });

  it('resolves not ok when retrying would outlast the bound (HTTP 503, next try a minute away)', async () => {
    const x = await harness({
      tuning: { retry: { attempts: 4, baseDelayMs: 60_000, maxDelayMs: 60_000, maxRetryAfterMs: 60_000 } },
    });
    x.standin.failNext('chat.postMessage', 4, { kind: 'http', status: 503 });
    expect(await x.transport.announceStart(started())).toEqual({
      ok: false,
      reason: 'Slack did not take the announcement: HTTP 503',
    });
    expect(x.standin.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('resolves not ok when Slack does not answer within the bound; a post that lands later loses its Stop button', async () => {
    const timers = new ManualTimers(new FixedClock(Date.now()));
    const x = await harness({ timers });
    x.standin.stall('chat.postMessage');
    const posted = x.transport.announceStart(started());
    await eventually(() => x.standin.stalledRequests > 0, 'the post to reach Slack');
    await timers.advance(ANNOUNCE_START_TIMEOUT_MS);
    expect(await posted).toEqual({ ok: false, reason: 'Slack did not answer within 10s' });

    x.standin.unstall();
    await eventually(() => (x.top('1')?.updates ?? 0) > 0, 'the late post to be withdrawn');
    expect(stopButton(x.top('1')?.blocks)).toBeUndefined();
    const late = attackMessage(attackRecord(), null, 'UTC', { notStarted: 'Slack did not answer within 10s' });
    expect(x.top('1')).toMatchObject({ text: late.text, blocks: late.blocks });
  });

  it('later events wait for the top message and land in its thread, in order; the final update drops the button', async () => {
    const x = await harness();
    const record = attackRecord();
    x.standin.stall('chat.postMessage');
    const posted = x.transport.announceStart(started(record, FORCED));
    await eventually(() => x.standin.stalledRequests > 0, 'the post to reach Slack');
    await x.transport.announce({
      kind: 'attack-progress',
      record: running(record),
      progress: { kind: 'started', hosts: 1 },
    });
    await x.transport.announce({
      kind: 'attack-ended',
      record: ended(record, 'completed', { exitCode: 0, rollbackOk: true }),
    });
    x.standin.unstall();
    expect(await posted).toEqual({ ok: true });
    await eventually(() => (x.top('1')?.updates ?? 0) > 0, 'the final update');
    const top = x.top('1')!;
    expect(x.thread(top.ts).map((m) => m.text)).toEqual([
      'started on the host',
      expect.stringMatching(/^#1 cpu-burn on web-1 completed \(took 1m, exit 0, rollback ok\)/),
    ]);
    expect(x.posted().filter((m) => m.threadTs === undefined)).toHaveLength(1);
    expect(stopButton(top.blocks)).toBeUndefined();
    expect(JSON.stringify(top.blocks)).toContain(NOTE);
  });

  it('posts over the Web API while Socket Mode is disconnected', async () => {
    const x = await harness();
    x.standin.holdHello = true;
    x.standin.dropSockets();
    await eventually(() => !x.transport.hearing().ok, 'the bot to notice');
    expect(await x.transport.announceStart(started())).toEqual({ ok: true });
    expect(stopButton(x.top('1')?.blocks)).toBeDefined();
    expect(x.transport.hearing().ok).toBe(false);
  });

  it('posts nothing once the transport is stopping, and says so', async () => {
    const x = await harness();
    await x.transport.stop();
    expect(await x.transport.announceStart(started())).toEqual({ ok: false, reason: 'the Slack transport is stopping' });
    expect(x.standin.callsTo('chat.postMessage')).toEqual([]);
  });
});

describe('a stop is announced at once, its results in each attack’s thread', () => {
  it('lists the attacks being reverted, marks their top messages, and each result follows in its own thread', async () => {
    const x = await harness();
    const one = attackRecord();
    const two = attackRecord({ id: '2', host: 'web-2' });
    const three = attackRecord({ id: '3', host: 'web-3' });
    for (const r of [one, two, three]) expect(await x.transport.announceStart(started(r))).toEqual({ ok: true });
    // #3 ended just before the stop listed it: its final message must keep no button.
    await x.transport.announce({ kind: 'attack-ended', record: ended(three, 'completed', { rollbackOk: true }) });
    const halt = { by: NOBODY, at: Date.parse('2026-11-24T20:05:00Z'), reason: 'db looks sad' };
    await x.transport.announce({ kind: 'halted', halt, reverting: [running(one), running(two), running(three)] });
    await eventually(() => x.posted().some((m) => m.text.startsWith('Halted by')), 'the stop announced');
    expect(x.posted().find((m) => m.text.startsWith('Halted by'))).toMatchObject({
      threadTs: undefined,
      text: `Halted by <@${NOBODY}> at <!date^${halt.at / 1000}^{date_short_pretty} {time}|20:05 UTC>: db looks sad.\nReverting #1 cpu-burn on web-1…\nReverting #2 cpu-burn on web-2…\nReverting #3 cpu-burn on web-3…`,
    });
    await eventually(() => (x.top('1')?.updates ?? 0) > 0 && (x.top('2')?.updates ?? 0) > 0, 'the top messages marked');
    // Marked as being reverted: the running record's announcement in state `aborting`, still with its button.
    expect(x.top('1')?.blocks).toEqual(attackMessage({ ...running(one), state: 'aborting' }, null, 'UTC').blocks);
    expect(actionIds(x.top('1')?.blocks)).toEqual(['chaoscat_stop']);

    await x.transport.announce({ kind: 'attack-ended', record: ended(one, 'reverted', { rollbackOk: true }) });
    await x.transport.announce({
      kind: 'attack-ended',
      record: ended(two, 'failed', { rollbackOk: false, reason: 'no route to host' }),
    });
    await x.transport.stop(); // drains the queues
    for (const [id, result] of [
      ['1', /^#1 cpu-burn on web-1 reverted \(took 1m, rollback ok\)$/],
      ['2', /^#2 cpu-burn on web-2 failed \(took 1m, ROLLBACK FAILED\) — no route to host$/],
    ] as const) {
      const top = x.top(id)!;
      expect(x.thread(top.ts).map((m) => m.text)).toEqual([expect.stringMatching(result)]);
      expect(stopButton(top.blocks)).toBeUndefined();
    }
    expect(stopButton(x.top('3')?.blocks)).toBeUndefined();
    expect(x.top('3')?.blocks).toEqual(attackMessage(ended(three, 'completed', { rollbackOk: true }), null, 'UTC').blocks);
  });

  it('is not held back by a report whose upload hangs', async () => {
    const x = await harness();
    x.standin.stall('files.getUploadURLExternal');
    const chart = { filename: 'timeline.png', title: 'Timeline', contentType: 'image/png', data: new Uint8Array([1, 2, 3]) };
    await x.transport.announce({ kind: 'report', reply: { text: 'ChaosCat report', attachments: [chart] } });
    await eventually(() => x.standin.stalledRequests > 0, 'the upload to hang');
    await x.transport.announce({ kind: 'halted', halt: { by: ADMIN, at: Date.now(), reason: '' }, reverting: [] });
    await x.transport.announce({ kind: 'resumed', by: ADMIN, at: Date.now() });
    await eventually(() => x.posted().some((m) => m.text.startsWith('Resumed by')), 'the stop and resume announced');
    expect(x.posted().map((m) => m.text.split(' ')[0])).toEqual(['ChaosCat', 'Halted', 'Resumed']);
    expect(x.standin.stalledRequests).toBe(1);
  });
});

describe('pacing: a stop is never queued behind announcements', () => {
  it('replies to a stop while more announcements hang than one Web API client runs at once', async () => {
    // The announcements hang for good (no client timeout, no give-up) until the stand-in lets them go.
    const x = await harness({ tuning: { announceStartTimeoutMs: 600_000, requestTimeoutMs: 600_000 } });
    const announcement = (args: Record<string, unknown>) => JSON.stringify(args.blocks ?? []).includes('chaoscat_stop');
    x.standin.stall('chat.postMessage', announcement);
    const starts = Array.from({ length: 110 }, (_, i) => x.transport.announceStart(started(attackRecord({ id: String(i + 1) }))));
    await eventually(() => x.standin.stalledRequests >= 100, 'the announcements to fill a client’s queue');
    x.standin.mention({ user: NOBODY, channel: CHANNEL, text: `<@${x.standin.botUserId}> stop` });
    await eventually(() => x.posted().some((m) => m.text === 'heard: stop'), 'the stop’s reply');
    // It went while every announcement still hung: none was answered, none gave up.
    expect(x.standin.okCalls('chat.postMessage').filter((c) => announcement(c.args))).toEqual([]);
    expect(x.logs.filter((l) => l.method === 'chat.postMessage')).toEqual([]);
    expect(x.inbound).toEqual([{ text: 'stop', actor: NOBODY, transport: 'slack-mention', channel: 'C0CHAOS' }]);
    x.standin.unstall();
    expect(new Set((await Promise.all(starts)).map((p) => JSON.stringify(p)))).toEqual(new Set(['{"ok":true}']));
  });
});

describe('the verdict', () => {
  it('goes to the attack’s thread; NOT RECOVERED is also broadcast to the channel', async () => {
    const x = await harness();
    const held = attackRecord();
    expect(await x.transport.announceStart(started(held))).toEqual({ ok: true });
    const heldVerdict: AttackRecord = { ...ended(held, 'completed'), verdict: 'held', verdictDetail: 'no probe failed' };
    await x.transport.announce({ kind: 'verdict', record: heldVerdict, halted: false });
    const other = attackRecord({ id: '2' });
    expect(await x.transport.announceStart(started(other))).toEqual({ ok: true });
    const notRecovered: AttackRecord = {
      ...ended(other, 'completed'),
      verdict: 'not-recovered',
      ttdMs: 8_000,
      verdictDetail: 'still failing 2m after the fault ended — checkout: connection refused',
    };
    await x.transport.announce({ kind: 'verdict', record: notRecovered, halted: true });
    await eventually(() => x.standin.callsTo('chat.postMessage').length === 4, 'both verdicts');
    const posts = x.standin.callsTo('chat.postMessage').map((c) => c.args);
    const verdictPosts = posts.filter((a) => String(a.text).includes('verdict'));
    expect(verdictPosts).toHaveLength(2);
    expect(verdictPosts[0]).toMatchObject({ thread_ts: x.top('1')?.ts });
    expect(verdictPosts[0]?.reply_broadcast).toBeUndefined();
    expect(verdictPosts[1]).toMatchObject({ thread_ts: x.top('2')?.ts });
    expect(String(verdictPosts[1]?.reply_broadcast)).toBe('true');
    // The verdict as the words tell it, saying the bot is now halted.
    expect(String(verdictPosts[0]?.text)).toBe(mrkdwn(verdictLine(heldVerdict)));
    expect(String(verdictPosts[1]?.text)).toBe(mrkdwn(verdictLine(notRecovered, true)));
    expect(verdictLine(notRecovered, true)).not.toBe(verdictLine(notRecovered, false));
    // Each ending message carries its own verdict.
    const verdictIn = (id: string, r: AttackRecord) => contextTexts(x.top(id)?.blocks).includes(mrkdwn(verdictLine(r)));
    await eventually(() => verdictIn('2', notRecovered), 'the ending message updated');
    expect(verdictIn('1', heldVerdict)).toBe(true);
  });
});
