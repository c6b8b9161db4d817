import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually.js';
import { ADMIN, CHANNEL, type SlackHarness, startHarness } from './slack-harness.js';

let h: SlackHarness | undefined;
afterEach(async () => {
  const x = h;
  h = undefined;
  await x?.close();
});

/** While the stand-in holds `hello` back, the bot has a socket but is not connected: it must stay deaf. */
async function expectDeafUntilHello(x: SlackHarness, connectionsBefore: number): Promise<void> {
  await eventually(() => !x.transport.hearing().ok, 'the bot to notice');
  await eventually(() => x.standin.connectionsAccepted > connectionsBefore, 'a new connection');
  expect(x.transport.hearing()).toMatchObject({ ok: false, reason: expect.stringContaining('Socket Mode is not connected') });
  const outcome = await x.bot.tick();
  expect(outcome).toMatchObject({ kind: 'skipped', code: 'deaf' });
  expect(x.store.lastTick()?.outcome).toMatchObject({ kind: 'skipped', code: 'deaf' });
  expect(x.store.history({ limit: 5 })).toEqual([]);
  x.standin.releaseHello();
  await eventually(() => x.transport.hearing().ok, 'the bot to hear again');
}

describe('Slack Socket Mode connection: no ears, no chaos', () => {
  it('reconnects when Slack asks to (refresh_requested), starting nothing until it hears again', async () => {
    const x = await startHarness();
    h = x;
    x.standin.holdHello = true;
    x.standin.disconnect('refresh_requested');
    await expectDeafUntilHello(x, 1);
    expect(x.standin.okCalls('apps.connections.open')).toHaveLength(2);
    expect(x.standin.openSockets).toBe(1);
    // Commands arrive over the new connection, and the scheduler may attack again.
    expect(await x.bot.tick()).toMatchObject({ kind: 'attacked', attack: 'cpu-burn' });
    x.standin.mention({ user: ADMIN, channel: CHANNEL, text: `<@${x.standin.botUserId}> stop` });
    await eventually(() => x.store.getState().halt !== null, 'the stop over the new connection');
  });

  it('reconnects after the socket is dropped without a close frame', async () => {
    const x = await startHarness();
    h = x;
    x.standin.holdHello = true;
    x.standin.dropSockets();
    await expectDeafUntilHello(x, 1);
    expect(x.logs.some((l) => l.msg.startsWith('Slack Socket Mode disconnected'))).toBe(true);
    expect(await x.bot.tick()).toMatchObject({ kind: 'attacked' });
  });

  it('keeps trying when apps.connections.open fails, backing off, and recovers', async () => {
    const x = await startHarness();
    h = x;
    x.standin.failNext('apps.connections.open', 2, { kind: 'http', status: 500 });
    x.standin.failNext('apps.connections.open', 1, { kind: 'rate-limit', retryAfter: 1 });
    x.standin.dropSockets();
    await eventually(() => !x.transport.hearing().ok, 'the bot to notice');
    expect((await x.bot.tick()).kind).toBe('skipped');
    await eventually(() => x.transport.hearing().ok, 'the bot to hear again');
    expect(x.standin.callsTo('apps.connections.open').map((c) => c.answer)).toEqual(['ok', 'http 500', 'http 500', '429', 'ok']);
  });

  it('gives up on a connection that never says hello and opens another', async () => {
    const x = await startHarness({
      tuning: {
        reconnect: { hearingWindowMs: 2_000, reconnectMinMs: 50, reconnectBaseMs: 100, reconnectMaxMs: 500, helloTimeoutMs: 500 },
      },
    });
    h = x;
    x.standin.holdHello = true;
    x.standin.dropSockets();
    await eventually(() => x.standin.connectionsAccepted >= 4, 'several attempts');
    expect(x.transport.hearing().ok).toBe(false);
    x.standin.releaseHello();
    await eventually(() => x.transport.hearing().ok, 'the bot to hear again');
    await eventually(() => x.standin.openSockets === 1, 'one connection left');
  });
});
