import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { type LiveBot, startBot } from '../support/run-bot.js';
import { canRunSshd, type SshdFixture, startSshd, testUserProcesses } from '../support/sshd.js';
import { storedEnding } from '../support/stored-ending.js';
import { writeTestConfig } from '../support/test-config.js';

/**
 * The "done when", with the real bot process, a real sshd host and a live config: a run-once
 * runs on the host; stop leaves no process of it there and the row says reverted; after start the next
 * attack runs again. Then kill -9 mid-attack and a restart on the same database.
 */
describe('live attacks over SSH from the console', () => {
  let sshd: SshdFixture;
  let file: string;
  let dir: string;
  let rollbackLog: string;
  // A distinctive sleep so that this test's attack processes can be told from anything else.
  const marker = `sleep 47${process.pid % 100}1`;

  beforeAll(async () => {
    if (!canRunSshd()) throw new Error('these tests need /usr/sbin/sshd (openssh-server) and root');
    sshd = await startSshd(1);
    rollbackLog = join(sshd.workDir, 'rollback.log');
    ({ file, dir } = writeTestConfig(
      {
        dryRun: false,
        ssh: { user: sshd.user, privateKey: sshd.clientKey, knownHosts: sshd.knownHosts, connectTimeout: '10s' },
        hosts: [{ name: 'web-1', address: '127.0.0.1', port: sshd.hosts[0]?.port, tags: ['web'] }],
        schedule: { tick: '0 0 1 1 *', cooldown: '10m' },
      },
      [
        {
          name: 'sleeper',
          weight: 1,
          duration: '20s',
          targets: ['web'],
          run: `${marker}\n`,
          rollback: `echo "rolled back $CHAOSCAT_ATTACK_ID" >> ${rollbackLog}\n`,
        },
      ],
    ));
  }, 120_000);

  afterAll(async () => {
    await sshd?.stop();
  });

  it('run-once runs on the host; stop leaves nothing behind and records reverted; start allows the next', async () => {
    const bot: LiveBot = await startBot(['--config', file]);
    try {
      expect(bot.stdout()).toMatch(/LIVE/);
      bot.say('run-once sleeper web-1');
      await bot.waitFor(/Started #1 sleeper on web-1 for 20s/);
      await eventually(() => testUserProcesses(marker).length > 0, 'the attack process on the host', {
        timeoutMs: 30_000,
        everyMs: 50,
      });

      bot.say('stop end of test');
      // One duration per line: how long the attack ran ("took"), not also how long its revert took.
      await bot.waitFor(/#1 sleeper on web-1 reverted \(took [^)]*\) — stopped by console: end of test\n/);
      expect(bot.stdout()).not.toMatch(/reverted \(took [^\n]*reverted in/);
      expect(testUserProcesses(marker)).toEqual([]);
      expect(readFileSync(rollbackLog, 'utf8')).toMatch(/rolled back [0-9a-f]{8}-1\n/);
      bot.say('history');
      await bot.waitFor(/1 .*sleeper\s+web-1\s+console\s+reverted/);

      bot.say('start');
      await bot.waitFor(/Resumed by console/);
      bot.say('run-once sleeper web-1');
      await bot.waitFor(/Started #2 sleeper on web-1/);
      await eventually(() => testUserProcesses(marker).length > 0, 'the second attack on the host', {
        timeoutMs: 30_000,
        everyMs: 50,
      });
      bot.say('stop');
      await bot.waitFor(/#2 sleeper on web-1 reverted \(took .*\) — stopped by console\n/);
      expect(testUserProcesses(marker)).toEqual([]);
    } finally {
      bot.child.stdin.end();
      await bot.exited;
    }
  });

  it('kill -9 mid-attack, then a restart on the same database: nothing remains and the row is orphaned', async () => {
    let bot = await startBot(['--config', file]);
    bot.say('start');
    bot.say('run-once sleeper web-1');
    await bot.waitFor(/Started #\d+ sleeper on web-1/);
    await eventually(() => testUserProcesses(marker).length > 0, 'the attack process on the host', {
      timeoutMs: 30_000,
      everyMs: 50,
    });
    const id = /Started #(\d+) sleeper/.exec(bot.stdout())?.[1];
    bot.child.kill('SIGKILL');
    await bot.exited;

    bot = await startBot(['--config', file]);
    try {
      await bot.waitFor(new RegExp(`Recovered an orphaned attack: #${id} sleeper on web-1: `));
      await eventually(() => testUserProcesses(marker).length === 0, 'no attack process on the host', {
        timeoutMs: 30_000,
        everyMs: 50,
      });
      const db = new Database(join(dir, 'data', 'chaoscat.db'), { readonly: true });
      const row = db.prepare('SELECT state, reason FROM attacks WHERE id = ?').get(Number(id)) as {
        state: string;
        reason: string;
      };
      db.close();
      expect(row.state).toBe('orphaned');
      expect(storedEnding(join(dir, 'data', 'chaoscat.db'), Number(id))).toMatchObject({
        kind: 'orphaned',
        was: expect.stringMatching(/^running/),
      });
      await eventually(() => existsSync(rollbackLog) && readFileSync(rollbackLog, 'utf8').includes(`-${id}\n`), 'the rollback');
    } finally {
      bot.child.stdin.end();
      await bot.exited;
    }
  });
});
