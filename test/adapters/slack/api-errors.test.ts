import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, CHANNEL, type SlackHarness, startHarness, waitFor } from './slack-harness.js';

let h: SlackHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const answers = (x: SlackHarness, method: string) => x.standin.callsTo(method).map((c) => c.answer);

describe('Slack Web API trouble never crashes the bot nor touches an attack', () => {
  it('starts the attack without waiting for Slack to take the announcement', async () => {
    const x = await startHarness();
    h = x;
    x.standin.stall('chat.postMessage');
    expect(await x.bot.tick()).toMatchObject({ kind: 'attacked', attackId: '1' });
    expect(x.store.getAttack('1')?.state).toBe('running');
    await waitFor(() => x.standin.stalledRequests > 0, 'the announcement to reach Slack');
    expect(x.standin.okCalls('chat.postMessage')).toEqual([]);
    x.standin.unstall();
    await waitFor(() => x.top('1') !== undefined, 'the announcement');
  });

  it('retries through HTTP 500, a transient ok:false and a 429 with Retry-After, in order', async () => {
    const x = await startHarness();
    h = x;
    x.standin.failNext('chat.postMessage', 1, { kind: 'http', status: 500 });
    x.standin.failNext('chat.postMessage', 1, { kind: 'ok-false', error: 'internal_error' });
    x.standin.failNext('chat.postMessage', 1, { kind: 'rate-limit', retryAfter: 1 });
    expect(await x.bot.tick()).toMatchObject({ kind: 'attacked' });
    await waitFor(() => (x.top('1')?.updates ?? 0) > 0, 'the final update');
    expect(answers(x, 'chat.postMessage').slice(0, 4)).toEqual(['http 500', 'internal_error', '429', 'ok']);
    expect(x.thread(x.top('1')!.ts).map((m) => m.text)).toEqual([
      'dry run: nothing touched',
      expect.stringMatching(/^#1 cpu-burn on web-\d \(dry run\) completed/),
    ]);
    expect(x.store.getAttack('1')).toMatchObject({ state: 'completed', rollbackOk: true });
  });

  it('gives up after bounded tries, logs it, posts the rest to the channel, and keeps answering', async () => {
    const x = await startHarness();
    h = x;
    x.standin.failNext('chat.postMessage', 4, { kind: 'http', status: 503 });
    expect(await x.bot.tick()).toMatchObject({ kind: 'attacked' });
    await waitFor(() => x.posted().some((m) => m.text.includes('completed')), 'the result');
    expect(answers(x, 'chat.postMessage').slice(0, 4)).toEqual(['http 503', 'http 503', 'http 503', 'http 503']);
    expect(x.top('1')).toBeUndefined();
    expect(x.posted().map((m) => [m.threadTs, m.text])).toEqual([
      [undefined, expect.stringMatching(/^#1 cpu-burn on web-\d \(dry run\): dry run: nothing touched$/)],
      [undefined, expect.stringMatching(/^#1 cpu-burn on web-\d \(dry run\) completed/)],
    ]);
    expect(x.standin.callsTo('chat.update')).toEqual([]);
    expect(x.logs.some((l) => l.msg.startsWith('cannot announce the attack'))).toBe(true);
    expect(x.store.getAttack('1')?.state).toBe('completed');
    x.standin.mention({ user: ADMIN, channel: CHANNEL, text: `<@${x.standin.botUserId}> history` });
    await waitFor(() => x.posted().some((m) => m.text.startsWith('Last 1 attacks:')), 'an answer');
  });

  it('does not retry an error that retrying cannot fix (channel_not_found)', async () => {
    const x = await startHarness();
    h = x;
    x.standin.failNext('chat.postMessage', 1, { kind: 'ok-false', error: 'channel_not_found' });
    x.standin.failNext('chat.update', 1, { kind: 'ok-false', error: 'cant_update_message' });
    expect(await x.bot.tick()).toMatchObject({ kind: 'attacked' });
    await waitFor(() => x.posted().some((m) => m.text.includes('completed')), 'the result');
    expect(answers(x, 'chat.postMessage')[0]).toBe('channel_not_found');
    expect(answers(x, 'chat.postMessage')[1]).toBe('ok');
    expect(x.logs.some((l) => l.reason === 'channel_not_found' && l.giveUp === true)).toBe(true);
    expect(x.store.getAttack('1')?.state).toBe('completed');
  });

  it('an update that fails leaves the record intact and is logged', async () => {
    const x = await startHarness();
    h = x;
    x.standin.failNext('chat.update', 10, { kind: 'ok-false', error: 'cant_update_message' });
    x.standin.mention({ user: ADMIN, channel: CHANNEL, text: `<@${x.standin.botUserId}> run-once cpu-burn web-1` });
    await waitFor(() => x.standin.callsTo('chat.update').length > 0, 'the update attempt');
    await waitFor(() => x.logs.some((l) => l.msg === 'cannot update the attack announcement'), 'the log');
    expect(x.standin.callsTo('chat.update')).toHaveLength(1);
    expect(x.store.getAttack('1')).toMatchObject({ state: 'completed' });
  });
});
