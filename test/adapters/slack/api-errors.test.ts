import { afterEach, describe, expect, it } from 'vitest';
import { isFinal } from '../../../src/domain/model.js';
import { eventually } from '../../support/eventually.js';
import { ADMIN, CHANNEL, type SlackHarness, startHarness } from './slack-harness.js';

let h: SlackHarness | undefined;
afterEach(async () => {
  const x = h;
  h = undefined;
  await x?.close();
});

const answers = (x: SlackHarness, method: string) => x.standin.callsTo(method).map((c) => c.answer);

/** Attack #1 ended without ever being started on its host. */
function neverStarted(x: SlackHarness): boolean {
  const record = x.store.getAttack('1');
  return record !== undefined && isFinal(record.state) && record.startedAt === null;
}

describe('Slack Web API trouble never crashes the bot, and no announcement means no attack', () => {
  it('does not start the attack until Slack took the announcement', async () => {
    const x = await startHarness();
    h = x;
    x.standin.stall('chat.postMessage');
    const ticking = x.bot.tick();
    await eventually(() => x.standin.stalledRequests > 0, 'the announcement to reach Slack');
    expect(x.store.getAttack('1')?.state).toBe('pending');
    x.standin.unstall();
    expect(await ticking).toMatchObject({ kind: 'attacked', attackId: '1' });
    expect(x.top('1')).toBeDefined();
    expect(x.store.getAttack('1')?.startedAt).not.toBeNull();
  });

  it('retries through HTTP 500, a transient ok:false and a 429 with Retry-After, in order', async () => {
    const x = await startHarness();
    h = x;
    x.standin.failNext('chat.postMessage', 1, { kind: 'http', status: 500 });
    x.standin.failNext('chat.postMessage', 1, { kind: 'ok-false', error: 'internal_error' });
    x.standin.failNext('chat.postMessage', 1, { kind: 'rate-limit', retryAfter: 1 });
    expect(await x.bot.tick()).toMatchObject({ kind: 'attacked' });
    await eventually(() => x.thread(x.top('1')?.ts ?? '').some((m) => m.text.includes('verdict')), 'the verdict');
    await eventually(() => (x.top('1')?.updates ?? 0) > 1, 'the final update with the verdict');
    expect(answers(x, 'chat.postMessage').slice(0, 4)).toEqual(['http 500', 'internal_error', '429', 'ok']);
    expect(x.thread(x.top('1')!.ts).map((m) => m.text)).toEqual([
      'dry run: nothing touched',
      expect.stringMatching(/^#1 cpu-burn on web-\d \(dry run\) completed/),
      expect.stringMatching(/^#1 cpu-burn on web-\d \(dry run\): verdict: held/),
    ]);
    expect(x.store.getAttack('1')).toMatchObject({ state: 'completed', rollbackOk: true });
  });

  it('does not attack when the announcement fails after bounded tries; says so in the channel and keeps answering', async () => {
    const x = await startHarness();
    h = x;
    x.standin.failNext('chat.postMessage', 4, { kind: 'http', status: 503 });
    expect(await x.bot.tick()).toMatchObject({
      kind: 'skipped',
      code: 'announce',
      reason: expect.stringContaining('Slack did not take the announcement: HTTP 503'),
    });
    expect(answers(x, 'chat.postMessage').slice(0, 4)).toEqual(['http 503', 'http 503', 'http 503', 'http 503']);
    expect(x.top('1')).toBeUndefined();
    await eventually(() => x.posted().length > 0, 'the outcome');
    expect(x.posted().map((m) => [m.threadTs, m.text])).toEqual([
      [undefined, expect.stringMatching(/^#1 cpu-burn on web-\d \(dry run\) .*Slack did not take the announcement: HTTP 503/)],
    ]);
    expect(x.standin.callsTo('chat.update')).toEqual([]);
    expect(x.logs.some((l) => l.msg.startsWith('cannot announce the attack'))).toBe(true);
    expect(neverStarted(x)).toBe(true);
    // `history here`: in the channel (a plain `history` answers only the asker).
    x.standin.mention({ user: ADMIN, channel: CHANNEL, text: `<@${x.standin.botUserId}> history here` });
    await eventually(() => x.posted().some((m) => m.text.startsWith('Last 1 attack:')), 'an answer');
  });

  it('does not retry an announcement Slack refuses (channel_not_found), and does not attack', async () => {
    const x = await startHarness();
    h = x;
    x.standin.failNext('chat.postMessage', 1, { kind: 'ok-false', error: 'channel_not_found' });
    expect(await x.bot.tick()).toMatchObject({
      kind: 'skipped',
      code: 'announce',
      reason: expect.stringContaining('Slack refused the announcement: channel_not_found'),
    });
    await eventually(() => x.posted().length > 0, 'the outcome');
    expect(answers(x, 'chat.postMessage')).toEqual(['channel_not_found', 'ok']);
    expect(x.logs.some((l) => l.reason === 'channel_not_found' && l.giveUp === true)).toBe(true);
    expect(neverStarted(x)).toBe(true);
  });

  it('an update that fails leaves the record intact and is logged', async () => {
    const x = await startHarness();
    h = x;
    x.standin.failNext('chat.update', 10, { kind: 'ok-false', error: 'cant_update_message' });
    x.standin.mention({ user: ADMIN, channel: CHANNEL, text: `<@${x.standin.botUserId}> run-once cpu-burn web-1` });
    await eventually(() => x.standin.callsTo('chat.update').length > 0, 'the update attempt');
    await eventually(() => x.logs.some((l) => l.msg === 'cannot update the attack announcement'), 'the log');
    await eventually(() => x.standin.callsTo('chat.update').length === 2, 'the update with the verdict');
    // One try each (the ending, then the verdict): Slack's refusal is not retried.
    expect(x.standin.callsTo('chat.update')).toHaveLength(2);
    expect(x.store.getAttack('1')).toMatchObject({ state: 'completed', verdict: 'held' });
  });
});
