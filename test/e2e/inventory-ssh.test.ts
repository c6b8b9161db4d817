import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { type LiveBot, runBot, startBot } from '../support/run-bot.js';
import { canRunSshd, type SshdFixture, startSshd, testUserProcesses } from '../support/sshd.js';
import { writeTestConfig } from '../support/test-config.js';

/** The real bot, the real ansible-inventory, a real sshd host known only from the inventory. */
describe('a host from an Ansible inventory, attacked over SSH', () => {
  let sshd: SshdFixture;
  const marker = `sleep 48${process.pid % 100}3`;

  beforeAll(async () => {
    if (!canRunSshd()) throw new Error('these tests need /usr/sbin/sshd (openssh-server) and root');
    sshd = await startSshd(1);
  }, 120_000);

  afterAll(async () => {
    await sshd?.stop();
  });

  const yaml = (port: number, user: string) => `all:
  children:
    web:
      hosts:
        web-1:
          ansible_host: 127.0.0.1
          ansible_port: ${port}
          ansible_user: ${user}
          process: sleep
    db:
      hosts:
        db-1: { ansible_host: 127.0.0.2 }
`;
  const ini = (port: number, user: string) => `[web]
web-1 ansible_host=127.0.0.1 ansible_port=${port} ansible_user=${user} process=sleep

[db]
db-1 ansible_host=127.0.0.2
`;

  it.each([
    ['YAML', 'inventory.yaml', yaml],
    ['INI', 'inventory.ini', ini],
  ])('%s inventory: run-once on its host runs on it; hosts shows where it came from', async (_format, name, text) => {
    const { file, dir } = writeTestConfig(
      {
        dryRun: false,
        ssh: { user: 'nobody-by-default', privateKey: sshd.clientKey, knownHosts: sshd.knownHosts, connectTimeout: '10s' },
        hosts: [],
        inventory: [{ kind: 'ansible', source: name, groups: ['web'] }],
        schedule: { tick: '0 0 1 1 *', cooldown: '10m' },
      },
      [
        {
          name: 'sleeper',
          weight: 1,
          duration: '20s',
          targets: ['web'],
          hostVars: ['process'],
          run: `${marker}\n`,
          rollback: 'true\n',
        },
      ],
    );
    const port = sshd.hosts[0]?.port as number;
    writeFileSync(join(dir, name), text(port, sshd.user));
    const bot: LiveBot = await startBot(['--config', file]);
    try {
      bot.say('hosts');
      await bot.waitFor(new RegExp(`web-1\\s+127\\.0\\.0\\.1:${port}\\s+web\\s+ansible:${dir}/${name.replace('.', '\\.')}`));
      await bot.waitFor(new RegExp(`ansible:.*${name.replace('.', '\\.')}: 1 host, refreshed`));
      bot.say('run-once sleeper web-1');
      await bot.waitFor(/Started #1 sleeper on web-1 for 20s/);
      await eventually(() => testUserProcesses(marker).length > 0, 'the attack process on the inventory host', {
        timeoutMs: 30_000,
        everyMs: 50,
      });
      bot.say('stop end of test');
      await bot.waitFor(/#1 sleeper on web-1 reverted/);
      expect(testUserProcesses(marker)).toEqual([]);
    } finally {
      bot.child.stdin.end();
      await bot.exited;
    }
  });
});

describe('a source that cannot be read', () => {
  const config = () => {
    const { file, dir } = writeTestConfig({
      hosts: [{ name: 'web-1', address: '127.0.0.1', tags: ['web'] }],
      inventory: [{ kind: 'ansible', source: 'broken.yaml' }],
    });
    writeFileSync(join(dir, 'broken.yaml'), 'all:\n  hosts: [a\n');
    return file;
  };

  it('is an error in check-config (exit 2), after printing what every source gave', async () => {
    const result = await runBot(['check-config', '--config', config()], '');
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(
      /ansible:.*broken\.yaml: never answered \(ansible-inventory failed \(exit \d+\): Completely failed to parse/,
    );
    expect(result.stdout).toMatch(/Hosts \(1\):\n {2}web-1 127\.0\.0\.1:22 \[web\] from config/);
    expect(result.stderr).toMatch(
      /chaoscat: inventory source\(s\) failed:\n {2}ansible:.*broken\.yaml: ansible-inventory failed/,
    );
  });

  it('is not fatal at bot start: the bot starts, takes nothing from it, and says why', async () => {
    const bot = await startBot(['--config', config()]);
    try {
      await eventually(
        () => /^! warning: inventory ansible:.*broken\.yaml: never answered \(.*\); no hosts from it/m.test(bot.stdout()),
        'the start-up warning',
        { timeoutMs: 30_000, everyMs: 50 },
      );
      bot.say('status');
      await bot.waitFor(/broken\.yaml: never answered/);
      bot.say('hosts');
      await bot.waitFor(/1 host:/);
    } finally {
      bot.child.stdin.end();
      await bot.exited;
    }
  });
});
