import { execFile } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNNER_VERSION } from '../../src/adapters/ssh/host-runner-script.js';
import { tempDir } from '../support/cleanup.js';
import { runBot } from '../support/run-bot.js';
import { canRunSshd, type SshdFixture, startSshd } from '../support/sshd.js';
import { REPO, writeTestConfig } from '../support/test-config.js';

const run = promisify(execFile);

/**
 * Putting chaoscat-host on hosts as an operator would: `chaoscat hosts bundle` and the shipped Ansible
 * playbook run by the real ansible-playbook over SSH, `chaoscat hosts install` through sudo once, and
 * `chaoscat hosts check`. Two sshd hosts: one for an admin account with full sudo (Ansible's and the
 * first install's), one for the bot's user, limited to the runner. Opt-in (CHAOSCAT_TEST_SUDO=1): it
 * writes sudoers files while it runs and removes them afterwards.
 */
describe.skipIf(!canRunSshd() || process.env.CHAOSCAT_TEST_SUDO !== '1')('installing the attack runner on hosts', () => {
  let admin: SshdFixture;
  let bot: SshdFixture;
  let root: string;
  let runnerPath: string;
  const adminSudoers = `/etc/sudoers.d/chaoscat-admin-test-${process.pid}`;
  const botSudoers = `/etc/sudoers.d/chaoscat-bot-test-${process.pid}`;
  const attacks = [{ name: 'trace', weight: 1, duration: '2s', run: 'sleep 1', rollback: 'true' }];

  const config = (user: SshdFixture, extra: Record<string, unknown> = {}) =>
    writeTestConfig(
      {
        ssh: {
          user: user.user,
          privateKey: user.clientKey,
          agent: false,
          knownHosts: user.knownHosts,
          hostRunner: 'installed',
          runnerPath,
          runnerState: join(root, 'state'),
        },
        hosts: [{ name: 'host-1', address: '127.0.0.1', port: user.hosts[0]?.port, tags: ['web'] }],
        ...extra,
      },
      attacks,
    ).file;

  beforeAll(async () => {
    admin = await startSshd(1, { user: 'chaoscat-admin' });
    bot = await startSshd(1, { user: 'chaoscat-runner' });
    writeFileSync(adminSudoers, `${admin.user} ALL=(root) NOPASSWD: ALL\n`, { mode: 0o440 });
    root = tempDir('chaoscat-install-');
    chmodSync(root, 0o755);
    mkdirSync(join(root, 'libexec'), { mode: 0o755 });
    runnerPath = join(root, 'libexec', 'chaoscat', 'chaoscat-host');
  });
  afterAll(async () => {
    rmSync(adminSudoers, { force: true });
    rmSync(botSudoers, { force: true });
    await admin?.stop();
    await bot?.stop();
  });

  it('the shipped playbook, run by ansible-playbook, installs what `hosts check` then finds ready', async () => {
    const bundle = join(root, 'bundle');
    const made = await runBot(['hosts', 'bundle', bundle, '--sudoers', botSudoers, '--config', config(bot)], '');
    expect(made.code, made.stderr).toBe(0);
    expect(readFileSync(join(bundle, 'sudoers'), 'utf8')).toBe(`${bot.user} ALL=(root) NOPASSWD: ${runnerPath}\n`);
    const inventory = join(root, 'inventory.ini');
    writeFileSync(
      inventory,
      `host-1 ansible_host=127.0.0.1 ansible_port=${admin.hosts[0]?.port} ansible_user=${admin.user} ansible_ssh_private_key_file=${admin.clientKey} ansible_ssh_common_args='-o UserKnownHostsFile=${admin.knownHosts} -o IdentitiesOnly=yes' ansible_python_interpreter=/usr/bin/python3\n`,
    );
    // The "remote" is this machine: its temp goes under this test's dir too, writable by the admin account.
    const remoteTemp = join(root, 'ansible-remote');
    mkdirSync(remoteTemp);
    chmodSync(remoteTemp, 0o1777);
    const env = {
      ...process.env,
      ANSIBLE_LOCAL_TEMP: join(root, 'ansible-local'),
      ANSIBLE_REMOTE_TEMP: remoteTemp,
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_RETRY_FILES_ENABLED: '0',
      // Nothing of Ansible's outlives the test: no ControlPersist master keeping an SSH session (and
      // so the test user) alive for a minute, no ~/.ansible of root's.
      ANSIBLE_SSH_ARGS: '-o ControlMaster=no -o ControlPersist=no',
      ANSIBLE_HOME: join(root, 'ansible-home'),
      ANSIBLE_SSH_CONTROL_PATH_DIR: join(root, 'ansible-cp'),
    };
    const played = await run(
      'ansible-playbook',
      ['-i', inventory, join(REPO, 'deploy', 'ansible', 'chaoscat-host.yml'), '-e', `chaoscat_bundle=${bundle}`],
      { env, cwd: root },
    );
    expect(played.stdout).toMatch(/host-1\s*: ok=\d+\s+changed=[1-9]/);
    expect(readFileSync(botSudoers, 'utf8')).toBe(`${bot.user} ALL=(root) NOPASSWD: ${runnerPath}\n`);

    const checked = await runBot(['hosts', 'check', '--config', config(bot)], '');
    expect(checked.code, `${checked.stdout}${checked.stderr}`).toBe(0);
    expect(checked.stdout).toMatch(
      new RegExp(`host-1\\s+${RUNNER_VERSION} \\(sha256 [0-9a-f]{12}…\\)\\s+1 of 1 match\\s+(v2|none)\\s+runner only`),
    );

    // An attack changed on the host: named, and the check fails.
    appendFileSync(join(root, 'libexec', 'chaoscat', 'attacks', 'trace', 'run'), 'id\n');
    const changed = await runBot(['hosts', 'check', '--config', config(bot)], '');
    expect(changed.code).toBe(2);
    expect(changed.stdout).toContain('attacks changed on the host since they were installed: trace');
  }, 180_000);

  it('`hosts install` uses sudo once where it may, and where sudo is limited says how to install by hand', async () => {
    const installed = await runBot(['hosts', 'install', 'host-1', '--sudoers', botSudoers, '--config', config(admin)], '');
    expect(installed.code, `${installed.stdout}${installed.stderr}`).toBe(0);
    expect(installed.stdout).toContain('host-1: installed');
    // The sudoers file names the admin now; put the bot's line back for the next step.
    writeFileSync(botSudoers, `${bot.user} ALL=(root) NOPASSWD: ${runnerPath}\n`, { mode: 0o440 });

    const refused = await runBot(['hosts', 'install', 'host-1', '--sudoers', botSudoers, '--config', config(bot)], '');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('host-1: NOT installed');
    expect(refused.stderr).toContain('chaoscat hosts install --print > chaoscat-install.sh');

    const printed = await runBot(['hosts', 'install', '--print', '--config', config(bot)], '');
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(new RegExp(`^# ChaosCat: install chaoscat-host ${RUNNER_VERSION}\\b`));
    expect(printed.stdout).toContain('visudo -c -q -f');
  }, 120_000);
});
