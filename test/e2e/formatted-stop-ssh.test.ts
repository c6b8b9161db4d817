import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { type LiveBot, startBot } from '../support/run-bot.js';
import { canRunSshd, type SshdFixture, startSshd, testUserProcesses } from '../support/sshd.js';
import { writeTestConfig } from '../support/test-config.js';

/**
 * Issue 22, case 3, against a real sshd host: a stop typed in a hurry, with an emoji and Slack
 * formatting, halts the live attack from the console and leaves no process of it on the host.
 */
describe('a formatted stop halts a live attack over SSH', () => {
  let sshd: SshdFixture;
  let file: string;
  const marker = `sleep 48${process.pid % 100}3`;

  beforeAll(async () => {
    if (!canRunSshd()) throw new Error('these tests need /usr/sbin/sshd (openssh-server) and root');
    sshd = await startSshd(1);
    ({ file } = writeTestConfig(
      {
        dryRun: false,
        ssh: { user: sshd.user, privateKey: sshd.clientKey, knownHosts: sshd.knownHosts, connectTimeout: '10s' },
        hosts: [{ name: 'web-1', address: '127.0.0.1', port: sshd.hosts[0]?.port, tags: ['web'] }],
        schedule: { tick: '0 0 1 1 *', cooldown: '10m' },
      },
      [{ name: 'sleeper', weight: 1, duration: '20s', targets: ['web'], run: `${marker}\n`, rollback: 'true\n' }],
    ));
  }, 120_000);

  afterAll(async () => {
    await sshd?.stop();
  });

  it(':octagonal_sign: *STOP!* reverts the attack on the host and halts', async () => {
    const bot: LiveBot = await startBot(['--config', file]);
    try {
      bot.say('run-once sleeper web-1');
      await bot.waitFor(/Started #1 sleeper on web-1 for 20s/);
      await eventually(() => testUserProcesses(marker).length > 0, 'the attack process on the host', {
        timeoutMs: 30_000,
        everyMs: 50,
      });
      bot.say(':octagonal_sign: *STOP!* end of test');
      await bot.waitFor(/#1 sleeper on web-1 reverted \(took [^)]*\) — stopped by console: end of test\n/);
      expect(testUserProcesses(marker)).toEqual([]);
      expect(bot.stdout()).not.toMatch(/I don't know/);
    } finally {
      bot.child.stdin.end();
      await bot.exited;
    }
  });
});
