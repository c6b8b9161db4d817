import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import type { LiveBot } from '../support/run-bot.js';
import { SlackStandin, startBotOnStandin } from '../support/slack-standin.js';
import { writeTestConfig } from '../support/test-config.js';

/** Issue 14, "Logs": as a Slack daemon, stderr is JSON only and a routine reconnect is no error. */
describe('logs of the bot in Slack (stand-in)', () => {
  let slack: SlackStandin;
  let bot: LiveBot;

  beforeAll(async () => {
    slack = await SlackStandin.start();
    const { file } = writeTestConfig({ slack: { channel: 'C0CHAOS01', admins: ['U0ADMIN'] }, schedule: { tick: '0 0 1 1 *' } });
    bot = await startBotOnStandin(slack, file);
  }, 60_000);

  afterAll(async () => {
    if (bot && bot.child.exitCode === null) bot.child.kill('SIGTERM');
    await bot?.exited;
    await slack?.close();
  });

  it('every stderr line is a JSON record; a dropped socket is a warning without a stack, then it reconnects', async () => {
    const connections = () => bot.stderr().match(/"msg":"Slack Socket Mode connected; waiting for its first pong"/g)?.length ?? 0;
    const before = connections();
    slack.dropSockets();
    await eventually(
      () => {
        if (connections() === before) throw new Error(`not yet; stderr:\n${bot.stderr()}`);
        return true;
      },
      'a reconnect',
      { everyMs: 20 },
    );
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    const lines = bot
      .stderr()
      .split('\n')
      .filter((l) => l !== '');
    const records = lines.map((l) => {
      try {
        return JSON.parse(l) as { level: number; msg: string };
      } catch {
        throw new Error(`not a JSON log record: ${l}`);
      }
    });
    expect(records.map((r) => r.msg)).toEqual(
      expect.arrayContaining([
        'connected to Slack (Socket Mode)',
        'Slack Socket Mode disconnected: no attack starts until it is back',
      ]),
    );
    expect(records.filter((r) => r.level >= 50)).toEqual([]);
    expect(bot.stderr()).not.toMatch(/\\n\s+at /);
  });
});
