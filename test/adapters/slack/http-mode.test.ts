import { createHmac } from 'node:crypto';
import { stringify } from 'node:querystring';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually.js';
import { ADMIN, CHANNEL, NOBODY, type SlackHarness, startHarness, stopButton } from './slack-harness.js';

const SECRET = 'standin-signing-secret';

let h: SlackHarness | undefined;
afterEach(async () => {
  const x = h;
  h = undefined;
  await x?.close();
});

/** Slack's v0 request signature: HMAC-SHA256 over `v0:<timestamp>:<body>` with the signing secret. */
function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

interface SendOptions {
  timestamp?: number;
  secret?: string;
  signature?: string;
}

async function send(x: SlackHarness, body: string, contentType: string, o: SendOptions = {}): Promise<number> {
  const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
  const res = await fetch(`http://127.0.0.1:${x.transport.port}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': o.signature ?? sign(o.secret ?? SECRET, timestamp, body),
    },
    body,
  });
  await res.text();
  return res.status;
}

function mentionBody(x: SlackHarness, user: string, text: string): string {
  const ts = `1700000100.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  return JSON.stringify(x.standin.eventCallback({ type: 'app_mention', user, text, ts, channel: CHANNEL, event_ts: ts }));
}

describe('Slack transport in HTTP mode (signed requests)', () => {
  it('accepts a correctly signed mention and answers it', async () => {
    const x = await startHarness({ mode: 'http' });
    h = x;
    expect(x.transport.mode).toBe('http');
    expect(x.standin.okCalls('apps.connections.open')).toEqual([]);
    expect(await send(x, mentionBody(x, NOBODY, `<@${x.standin.botUserId}> status here`), 'application/json')).toBe(200);
    await eventually(() => x.posted().length > 0, 'the reply');
    expect(x.store.auditBetween(0, Date.now() + 1)).toContainEqual(
      expect.objectContaining({ actor: NOBODY, transport: 'slack-mention', command: 'status', outcome: 'ok' }),
    );
  });

  it('accepts a correctly signed slash command and a signed Stop button press', async () => {
    const x = await startHarness({ mode: 'http' });
    h = x;
    const command = stringify(x.standin.commandBody({ user: ADMIN, channel: CHANNEL, text: 'run-once cpu-burn web-1' }));
    expect(await send(x, command, 'application/x-www-form-urlencoded')).toBe(200);
    await eventually(() => x.top('1') !== undefined && x.store.getAttack('1')?.state === 'running', 'the attack');
    const top = x.top('1')!;
    const press = x.standin.buttonPayload({
      user: NOBODY,
      channel: CHANNEL,
      messageTs: top.ts,
      actionId: 'chaoscat_stop',
      value: stopButton(top.blocks)?.value ?? '',
    });
    expect(await send(x, stringify({ payload: JSON.stringify(press) }), 'application/x-www-form-urlencoded')).toBe(200);
    await eventually(() => x.store.getState().halt !== null, 'the halt');
    expect(x.store.getState().halt).toMatchObject({ by: NOBODY, reason: 'Stop button' });
    await eventually(() => x.store.getAttack('1')?.state === 'reverted', 'the revert');
  });

  it('rejects a bad signature: 401, nothing runs', async () => {
    const x = await startHarness({ mode: 'http' });
    h = x;
    const body = mentionBody(x, ADMIN, `<@${x.standin.botUserId}> stop`);
    expect(await send(x, body, 'application/json', { secret: 'not-the-secret' })).toBe(401);
    expect(await send(x, body, 'application/json', { signature: 'v0=00' })).toBe(401);
    expect(await send(x, body, 'application/json', { signature: 'v1=whatever' })).toBe(401);
    // A good request afterwards is handled, so nothing earlier was merely slow.
    expect(await send(x, mentionBody(x, NOBODY, `<@${x.standin.botUserId}> hosts`), 'application/json')).toBe(200);
    await eventually(() => x.posted().length > 0, 'the reply to the good request');
    expect(x.store.getState().halt).toBeNull();
    expect(x.store.auditBetween(0, Date.now() + 1).map((a) => a.command)).toEqual(['hosts']);
  });

  it('rejects a stale timestamp even when correctly signed', async () => {
    const x = await startHarness({ mode: 'http' });
    h = x;
    const body = mentionBody(x, ADMIN, `<@${x.standin.botUserId}> stop`);
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    expect(await send(x, body, 'application/json', { timestamp: tenMinutesAgo })).toBe(401);
    expect(x.store.getState().halt).toBeNull();
    expect(x.store.auditBetween(0, Date.now() + 1)).toEqual([]);
  });

  it('hears only while the Web API answers its auth.test probe', async () => {
    const x = await startHarness({ mode: 'http' });
    h = x;
    expect(x.transport.hearing()).toEqual({ ok: true });
    x.standin.failNext('auth.test', 1_000, { kind: 'http', status: 500 });
    await eventually(() => !x.transport.hearing().ok, 'the probe to fail');
    expect(x.transport.hearing()).toMatchObject({ ok: false, reason: expect.stringContaining('HTTP 500') });
    expect(await x.bot.tick()).toMatchObject({ kind: 'skipped', code: 'deaf' });
    x.standin.clearFailures();
    await eventually(() => x.transport.hearing().ok, 'the probe to pass');
    expect(await x.bot.tick()).toMatchObject({ kind: 'attacked' });
  });
});
