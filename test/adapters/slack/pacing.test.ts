import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PACE } from '../../../src/adapters/slack/channel-pacer.js';
import { eventually } from '../../support/eventually.js';
import { FixedClock, ManualTimers } from '../../support/fakes.js';
import {
  attackRecord,
  CHANNEL,
  NOBODY,
  type SlackHarness,
  startHarness,
  startTransport,
  type TransportHarness,
} from './slack-harness.js';

let h: { close(): Promise<void> } | undefined;
afterEach(async () => {
  const x = h;
  h = undefined;
  await x?.close();
});

function manualTime(): { clock: FixedClock; timers: ManualTimers } {
  const clock = new FixedClock(Date.now());
  return { clock, timers: new ManualTimers(clock) };
}

async function transport(): Promise<TransportHarness & { clock: FixedClock; timers: ManualTimers }> {
  const time = manualTime();
  const x = await startTransport({ ...time, tuning: { pace: DEFAULT_PACE } });
  // The transport's stop waits for its queues, bounded on its (manual) timers: time moves on while it stops.
  h = {
    close: async () => {
      const closing = x.close();
      await time.timers.advance(60_000);
      await closing;
    },
  };
  return { ...x, ...time };
}

const texts = (x: { posted(c?: string): { text: string }[] }) => x.posted().map((m) => m.text);

describe('posting pace: about one message a second per channel', () => {
  it('lets a burst of three through, then one a second, losing none and keeping the order', async () => {
    const x = await transport();
    for (let i = 1; i <= 5; i++)
      await x.transport.announce({ kind: 'notice', notice: { kind: 'transport', text: `notice ${i}` } });
    await eventually(() => x.posted().length === 3, 'the burst');
    await eventually(() => x.timers.pending > 0, 'the pacer to wait');
    await x.timers.advance(999);
    expect(x.posted()).toHaveLength(3);
    await x.timers.advance(1);
    await eventually(() => x.posted().length === 4, 'the fourth, a second later');
    await eventually(() => x.timers.pending > 0, 'the pacer to wait again');
    await x.timers.advance(999);
    expect(x.posted()).toHaveLength(4);
    await x.timers.advance(1);
    await eventually(() => x.posted().length === 5, 'the fifth');
    expect(texts(x)).toEqual(['notice 1', 'notice 2', 'notice 3', 'notice 4', 'notice 5']);
    expect(x.standin.callsTo('chat.postMessage')).toHaveLength(5);
  });

  it('holds the whole channel for a 429’s Retry-After, then sends what waited', async () => {
    const x = await transport();
    x.standin.failNext('chat.postMessage', 1, { kind: 'rate-limit', retryAfter: 3 });
    await x.transport.announce({ kind: 'notice', notice: { kind: 'transport', text: 'rate limited' } });
    await eventually(() => x.standin.callsTo('chat.postMessage').length === 1 && x.timers.pending > 0, 'the 429');
    // A reply to a command in the same channel (the other Web API client) waits too.
    x.standin.mention({ user: NOBODY, channel: CHANNEL, text: `<@${x.standin.botUserId}> hosts` });
    await eventually(() => x.inbound.length === 1, 'the command');
    await x.timers.advance(2_999);
    expect(x.standin.callsTo('chat.postMessage')).toHaveLength(1);
    await x.timers.advance(1);
    await eventually(() => x.posted().length === 2, 'both, once the wait is over');
    expect(texts(x)).toEqual(['rate limited', 'heard: hosts']);
    expect(x.standin.callsTo('chat.postMessage').map((c) => c.answer)).toEqual(['429', 'ok', 'ok']);
  });
});

describe('posting never twice', () => {
  it('a post whose answer was lost (internal_error) is found in the channel, not posted again', async () => {
    const x = await transport();
    x.standin.failNext('chat.postMessage', 1, { kind: 'done-but', error: 'internal_error' });
    await x.transport.announce({ kind: 'notice', notice: { kind: 'transport', text: 'only once' } });
    await eventually(() => x.logs.some((l) => l.msg.includes('had reached Slack')), 'the lookup');
    expect(x.standin.okCalls('conversations.history')).toHaveLength(1);
    expect(texts(x)).toEqual(['only once']);
    expect(x.standin.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('an attack’s top message whose answer was lost is found, and its thread goes under it', async () => {
    const x = await transport();
    x.standin.failNext('chat.postMessage', 1, { kind: 'done-but', error: 'internal_error' });
    const record = attackRecord();
    expect(await x.transport.announceStart({ kind: 'attack-started', record, attack: null })).toEqual({ ok: true });
    const top = x.top(record.id);
    expect(x.posted()).toHaveLength(1);
    x.standin.failNext('chat.postMessage', 1, { kind: 'done-but', error: 'internal_error' });
    await x.transport.announce({ kind: 'attack-progress', record, progress: { kind: 'started', hosts: 1 } });
    await eventually(() => x.standin.okCalls('conversations.replies').length === 1, 'the lookup in the thread');
    await eventually(() => x.logs.filter((l) => l.msg.includes('had reached Slack')).length === 2, 'the second lookup');
    expect(x.thread(top?.ts ?? '').map((m) => m.text)).toEqual(['started on the host']);
    expect(x.standin.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('a post that did not reach Slack is tried again and appears once', async () => {
    const x = await transport();
    x.standin.failNext('chat.postMessage', 1, { kind: 'ok-false', error: 'internal_error' });
    await x.transport.announce({ kind: 'notice', notice: { kind: 'transport', text: 'after a retry' } });
    await eventually(() => x.standin.okCalls('conversations.history').length === 1 && x.timers.pending > 0, 'the back-off');
    expect(x.posted()).toEqual([]);
    await x.timers.advance(1_000);
    await eventually(() => x.posted().length === 1, 'the retry');
    expect(texts(x)).toEqual(['after a retry']);
  });
});

describe('a halt is never delayed by the posting queue', () => {
  it('halts at once and announces it before the notices waiting in the channel, which follow', async () => {
    const time = manualTime();
    const x: SlackHarness = await startHarness({ ...time, tuning: { pace: DEFAULT_PACE } });
    h = x;
    for (let i = 1; i <= 8; i++)
      await x.transport.announce({ kind: 'notice', notice: { kind: 'transport', text: `notice ${i}` } });
    await eventually(() => x.posted().length === 3 && time.timers.pending > 0, 'the burst, then the pacer waiting');
    x.standin.mention({ user: NOBODY, channel: CHANNEL, text: `<@${x.standin.botUserId}> stop` });
    await eventually(() => x.store.getState().halt !== null, 'the halt');
    await eventually(
      () => x.posted().some((m) => m.threadTs === undefined && m.text.startsWith('Halted by')),
      'the announcement',
    );
    await eventually(() => x.posted().some((m) => m.threadTs !== undefined && m.text.includes('Halted by')), 'the reply');
    // Time has not moved: the notices still wait behind the halt.
    expect(x.posted().filter((m) => m.text.startsWith('notice'))).toHaveLength(3);
    for (let i = 0; i < 30 && x.posted().filter((m) => m.text.startsWith('notice')).length < 8; i++) {
      await time.timers.advance(1_000);
      await eventually(() => time.timers.pending > 0 || x.posted().length === 10, 'the pacer');
    }
    expect(texts(x).filter((t) => t.startsWith('notice'))).toEqual(Array.from({ length: 8 }, (_, i) => `notice ${i + 1}`));
  });
});

describe('safety messages first (issue 22, 9d)', () => {
  it('an attack’s ending (its revert) and a fault that may remain go before notices waiting in the channel', async () => {
    const x = await transport();
    const record = attackRecord({ id: '41', state: 'running' });
    expect(await x.transport.announceStart({ kind: 'attack-started', record, attack: null })).toEqual({ ok: true });
    for (let i = 1; i <= 8; i++)
      await x.transport.announce({ kind: 'notice', notice: { kind: 'transport', text: `notice ${i}` } });
    await eventually(
      () => x.posted().filter((m) => m.text.startsWith('notice')).length >= 2 && x.timers.pending > 0,
      'the pacer waiting',
    );
    await x.transport.announce({
      kind: 'attack-ended',
      record: { ...record, state: 'reverted', reason: 'stopped by U1: reverted in 80 ms' },
    });
    await x.transport.announce({
      kind: 'fault-may-remain',
      fault: {
        id: '42',
        attack: 'cpu-burn',
        host: 'web-2',
        detail: 'the rollback failed (exit 3)',
        manualRollback: null,
        openedAt: x.clock.now(),
        confirmedAt: null,
      },
    });
    await eventually(() => x.posted().some((m) => m.text.includes('FAULT MAY REMAIN')), 'the fault');
    await eventually(() => x.posted().some((m) => m.threadTs !== undefined && / reverted /.test(m.text)), 'the ending');
    // Time has not moved: most notices still wait behind them.
    expect(x.posted().filter((m) => m.text.startsWith('notice')).length).toBeLessThan(8);
    const order = texts(x);
    const posts = x.posted();
    // The thread keeps its order: its top message first, the ending in the thread after it.
    const top = posts.findIndex((m) => m.threadTs === undefined && m.text.includes('#41'));
    const ended = posts.findIndex((m) => m.threadTs !== undefined && / reverted /.test(m.text));
    expect(top).toBe(0);
    expect(ended).toBeGreaterThan(top);
    expect(order.find((t) => t.includes('FAULT MAY REMAIN'))).toMatch(
      /^<!here> :rotating_light: FAULT MAY REMAIN: #42 cpu-burn on web-2/,
    );
  });
});
