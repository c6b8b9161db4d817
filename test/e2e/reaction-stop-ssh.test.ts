import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { type LiveBot, startBot } from '../support/run-bot.js';
import { SlackStandin, STANDIN_APP_TOKEN, STANDIN_BOT_TOKEN, STANDIN_BOT_USER } from '../support/slack-standin.js';
import { canRunSshd, type SshdFixture, startSshd, testUserProcesses } from '../support/sshd.js';
import { storedEnding } from '../support/stored-ending.js';
import { writeTestConfig } from '../support/test-config.js';

const CHANNEL = 'C0CHAOS01';

/**
 * Issue 26, "Stop with a reaction", end to end: the real bot process in Slack (the stand-in), a live
 * attack on a real sshd host, and an :octagonal_sign: reaction on its announcement by someone who is
 * no admin: the attack's processes are gone from the host, and the thread says who stopped it.
 */
describe('a stop reaction on the announcement reverts a live attack over SSH', () => {
  let sshd: SshdFixture;
  let slack: SlackStandin;
  let bot: LiveBot;
  let database = '';
  const marker = `sleep 49${process.pid % 100}7`;

  beforeAll(async () => {
    if (!canRunSshd()) throw new Error('these tests need /usr/sbin/sshd (openssh-server) and root');
    [sshd, slack] = await Promise.all([startSshd(1), SlackStandin.start()]);
    const { dir, file } = writeTestConfig(
      {
        dryRun: false,
        ssh: { user: sshd.user, privateKey: sshd.clientKey, knownHosts: sshd.knownHosts, connectTimeout: '10s' },
        hosts: [{ name: 'web-1', address: '127.0.0.1', port: sshd.hosts[0]?.port, tags: ['web'] }],
        schedule: { tick: '0 0 1 1 *', cooldown: '10m' },
        slack: { channel: CHANNEL, admins: ['U0ADMIN'] },
      },
      [{ name: 'sleeper', weight: 1, duration: '20s', targets: ['web'], run: `${marker}\n`, rollback: 'true\n' }],
    );
    database = join(dir, 'data', 'chaoscat.db');
    bot = await startBot(
      ['--config', file],
      { SLACK_BOT_TOKEN: STANDIN_BOT_TOKEN, SLACK_APP_TOKEN: STANDIN_APP_TOKEN, SLACK_API_URL: slack.apiUrl },
      /"msg":"ready"/,
    );
  }, 120_000);

  afterAll(async () => {
    if (bot && bot.child.exitCode === null) bot.child.kill('SIGTERM');
    await bot?.exited;
    await Promise.all([sshd?.stop(), slack?.close()]);
  });

  it('reverts it on the host and halts, "reaction on #1", by whoever reacted', async () => {
    slack.mention({ user: 'U0ADMIN', channel: CHANNEL, text: `<@${STANDIN_BOT_USER}> run-once sleeper web-1` });
    const announcement = () => slack.messages.find((m) => m.channel === CHANNEL && !m.threadTs && /#1\b/.test(m.text));
    await eventually(() => announcement() !== undefined, 'the announcement', { timeoutMs: 30_000, everyMs: 50 });
    await eventually(() => testUserProcesses(marker).length > 0, 'the attack process on the host', {
      timeoutMs: 30_000,
      everyMs: 50,
    });

    slack.reactionAdded({ user: 'U0ONCALL', reaction: 'octagonal_sign', channel: CHANNEL, ts: announcement()?.ts as string });
    await eventually(() => testUserProcesses(marker).length === 0, 'nothing of the attack left on the host', {
      timeoutMs: 30_000,
      everyMs: 50,
    });
    const thread = () => slack.messages.filter((m) => m.threadTs === announcement()?.ts).map((m) => m.text);
    await eventually(() => thread().some((t) => t.includes('reaction on #1')), 'the halt in the thread', {
      timeoutMs: 30_000,
      everyMs: 50,
    });
    await eventually(() => thread().some((t) => /reverted/.test(t)), 'the revert in the thread', {
      timeoutMs: 30_000,
      everyMs: 50,
    });
    expect(thread().find((t) => t.includes('reaction on #1'))).toMatch(/^Halted by <@U0ONCALL>/);
    // Stopped by whoever reacted, saying where, and reverted on the host: as stored.
    await eventually(() => storedEnding(database, 1) !== undefined, 'the ending stored');
    expect(storedEnding(database, 1)).toEqual({ kind: 'stopped', by: 'U0ONCALL', note: 'reaction on #1', revert: 'reverted' });
  });
});
