import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { freePort } from '../support/http-servers.js';
import { type LiveBot, startBot } from '../support/run-bot.js';
import { SlackStandin, STANDIN_APP_TOKEN, STANDIN_BOT_TOKEN, STANDIN_BOT_USER } from '../support/slack-standin.js';
import { writeTestConfig } from '../support/test-config.js';

const CHANNEL = 'C0CHAOS01';

interface Probe {
  status: number;
  body: { ready: boolean; reasons?: string[] };
}

/**
 * Issue 14, "Readiness": /readyz on the metrics port follows whether the real process can hear a
 * stop (the Slack socket going down and coming back) and says 503 while it shuts down.
 */
describe('readiness of the real process in Slack (stand-in)', () => {
  let slack: SlackStandin;
  let bot: LiveBot;
  let port: number;
  let webPort: number;

  const readyz = async (): Promise<Probe> => {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    return { status: res.status, body: (await res.json()) as Probe['body'] };
  };
  /** The same probe on the archive's port, asked under another Host name (as an orchestrator's probe does). */
  const webReadyz = async (): Promise<Probe> => {
    const { request } = await import('node:http');
    return new Promise((resolve, reject) => {
      request({ host: '127.0.0.1', port: webPort, path: '/readyz', headers: { host: `10.9.8.7:${webPort}` } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Probe['body'] }));
      })
        .on('error', reject)
        .end();
    });
  };
  const metric = async () =>
    (await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).match(/^chaoscat_hearing (\d)$/m)?.[1];
  /** Polls /readyz until `want` holds; returns that answer (a miss names the last answer and the bot's stderr). */
  const until = (want: (p: Probe) => boolean, what: string): Promise<Probe> =>
    eventually(
      async () => {
        const probe = await readyz();
        if (!want(probe)) throw new Error(`last ${JSON.stringify(probe)}\nstderr:\n${bot.stderr()}`);
        return probe;
      },
      `/readyz: ${what}`,
      { everyMs: 20 },
    );

  beforeAll(async () => {
    slack = await SlackStandin.start();
    port = await freePort();
    webPort = await freePort();
    const { file } = writeTestConfig(
      {
        slack: { channel: CHANNEL, admins: ['U0ADMIN'] },
        schedule: { tick: '0 0 1 1 *', cooldown: '10m' },
        metrics: { port },
        web: { port: webPort },
      },
      [{ name: 'cpu-burn', weight: 1, duration: '5m', targets: ['web'] }],
    );
    bot = await startBot(
      ['--config', file],
      { SLACK_BOT_TOKEN: STANDIN_BOT_TOKEN, SLACK_APP_TOKEN: STANDIN_APP_TOKEN, SLACK_API_URL: slack.apiUrl },
      /"msg":"ready"/,
    );
  }, 60_000);

  afterAll(async () => {
    slack?.unstall();
    if (bot && bot.child.exitCode === null) bot.child.kill('SIGTERM');
    await bot?.exited;
    await slack?.close();
  });

  it('is live and ready once connected, and chaoscat_hearing says 1', async () => {
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await readyz()).toEqual({ status: 200, body: { ready: true } });
    expect(await metric()).toBe('1');
    // The archive's port answers the probes too, whatever the Host (the archive's pages do not).
    expect((await fetch(`http://127.0.0.1:${webPort}/healthz`)).status).toBe(200);
    expect(await webReadyz()).toEqual({ status: 200, body: { ready: true } });
  });

  it('flips to 503 while the Slack socket is down and back to 200 once Slack says hello again', async () => {
    slack.holdHello = true;
    slack.dropSockets();
    const down = await until((p) => p.status === 503, '503 while the socket is down');
    expect(down.body.ready).toBe(false);
    expect(down.body.reasons).toEqual([expect.stringMatching(/^cannot hear stop: Slack Socket Mode is not connected/)]);
    expect(await metric()).toBe('0');
    expect(await webReadyz()).toEqual(down);
    // Still alive: a supervisor must not restart a bot that is only reconnecting.
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    slack.releaseHello();
    expect(await until((p) => p.status === 200, '200 after hello')).toEqual({ status: 200, body: { ready: true } });
    expect(await metric()).toBe('1');
  });

  it('says 503 "shutting down" while it reverts and flushes on SIGTERM', async () => {
    slack.mention({ user: 'U0ADMIN', channel: CHANNEL, text: `<@${STANDIN_BOT_USER}> run-once cpu-burn web-1` });
    await eventually(
      () => slack.messages.some((m) => m.channel === CHANNEL && !m.threadTs && /cpu-burn/.test(m.text)),
      'the announcement',
      { everyMs: 20 },
    );
    // A slow Slack keeps the shutdown in its bounded flush, so the probe can be asked meanwhile.
    slack.stall('chat.postMessage');
    slack.stall('chat.update');
    bot.child.kill('SIGTERM');
    const leaving = await until((p) => p.status === 503, '503 during shutdown');
    expect(leaving.body.reasons).toContain('shutting down');
    slack.unstall();
    expect(await bot.exited).toEqual({ code: 0, signal: null });
  });
});
