import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually.js';
import { ADMIN, CHANNEL, type SlackHarness, startHarness } from './slack-harness.js';

let h: SlackHarness | undefined;
afterEach(async () => {
  const x = h;
  h = undefined;
  await x?.close();
});

/**
 * A socket that stops delivering frames and answering pings without closing (issue 22, case 5): deaf
 * within the hearing window (2 s), dated from the last thing heard; nothing starts meanwhile; a new
 * connection counts only after its first pong.
 */
describe('a silent Socket Mode connection is deafness', () => {
  it('refuses to attack within the hearing window of silence, dates deafness from the last pong, and hears again after a new connection’s first pong', async () => {
    const x = await startHarness();
    h = x;
    expect(x.transport.hearing()).toEqual({ ok: true });
    const before = x.standin.connectionsAccepted;
    const silencedAt = Date.now();
    x.standin.silence();
    await eventually(() => !x.transport.hearing().ok, 'the bot to notice the silence', { timeoutMs: 10_000 });
    const noticedAfter = Date.now() - silencedAt;
    const hearing = x.transport.hearing();
    // Deaf while the silent socket is still open (the client drops it only after twice the window),
    // dated from the last pong heard before the silence.
    expect(x.standin.openSockets).toBe(1);
    expect(hearing).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^cannot hear stop: Slack Socket Mode has been silent for \d+(\.\d)? s/),
    });
    expect(!hearing.ok && hearing.since).toBeLessThanOrEqual(silencedAt);
    const outcome = await x.bot.tick();
    expect(outcome).toMatchObject({ kind: 'skipped', code: 'deaf' });
    expect(x.store.history({ limit: 5 })).toEqual([]);
    expect(noticedAfter).toBeGreaterThan(0);
    // The client drops the silent connection and opens another; it counts after its first pong.
    await eventually(() => x.standin.connectionsAccepted > before, 'a new connection');
    await eventually(() => x.transport.hearing().ok, 'the bot to hear again');
    expect(await x.bot.tick()).toMatchObject({ kind: 'attacked' });
    x.standin.mention({ user: ADMIN, channel: CHANNEL, text: `<@${x.standin.botUserId}> stop` });
    await eventually(() => x.store.getState().halt !== null, 'the stop over the new connection');
  });
});
