import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAndWait } from '../support/daemon.js';
import { eventually } from '../support/eventually.js';
import { type LiveBot, runBot, SOURCE_ENTRY, startBot } from '../support/run-bot.js';
import { canRunSshd, type SshdFixture, startSshd } from '../support/sshd.js';
import { type AttackSpec, REPO, writeTestConfig } from '../support/test-config.js';
import { type HostService, startService } from '../support/verdict-service.js';

/**
 * The pipeline step against a running bot process (`chaoscat run` on the console) attacking a real
 * OpenSSH sshd on loopback, with a real small service whose steady state is probed.
 */
describe.skipIf(!canRunSshd())('the pipeline step against a running bot on a real sshd host', () => {
  let sshd: SshdFixture;
  let bot: LiveBot | undefined;
  const stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    sshd = await startSshd(1);
  }, 120_000);
  afterEach(async () => {
    if (bot) await killAndWait(bot.child, () => bot?.child.exitCode !== null || bot?.child.signalCode !== null);
    bot = undefined;
    for (let fn = stops.pop(); fn; fn = stops.pop()) await fn();
  }, 60_000);
  afterAll(async () => {
    await sshd?.stop();
  }, 30_000);

  async function service(): Promise<{ svc: HostService; dir: string }> {
    const dir = mkdtempSync(join(sshd.workDir, 'pipeline-'));
    chmodSync(dir, 0o777);
    const svc = startService({ dir, user: sshd.user });
    stops.push(() => svc.stop());
    await eventually(() => svc.pids().length === 1 && existsSync(svc.pidFile), `the service ${svc.marker}`);
    return { svc, dir };
  }

  function attacks(svc: HostService, dir: string): AttackSpec[] {
    const steadyState = [{ kind: 'command', name: 'service-running', command: [...svc.probe], timeout: '2s' }];
    return [
      {
        name: 'harmless',
        weight: 0,
        duration: '1s',
        targets: ['web'],
        run: 'exec sleep 60\n',
        rollback: 'true',
        steadyState,
        recovery: '2s',
      },
      {
        name: 'service-kill',
        weight: 0,
        duration: '1s',
        targets: ['web'],
        params: { PIDFILE: svc.pidFile },
        run: 'kill "$(cat "$CHAOSCAT_PARAM_PIDFILE")"\nexec sleep 60\n',
        rollback: 'true',
        steadyState,
        recovery: '2s',
      },
      {
        name: 'hold',
        weight: 0,
        duration: '60s',
        targets: ['web'],
        params: { MARK: join(dir, 'rolled-back') },
        run: 'exec sleep 120\n',
        rollback: 'touch "$CHAOSCAT_PARAM_MARK"\n',
      },
    ];
  }

  async function live(specs: AttackSpec[]): Promise<string> {
    const { dir, file } = writeTestConfig(
      {
        dryRun: false,
        timezone: 'UTC',
        businessHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00' },
        schedule: { tick: '0 0 1 1 *', cooldown: '10m' },
        verdict: { probeInterval: '500ms', recoveryWindow: '2s' },
        ssh: { user: sshd.user, privateKey: sshd.clientKey, knownHosts: sshd.knownHosts, agent: false },
        hosts: [{ name: 'web-1', address: '127.0.0.1', port: sshd.hosts[0]?.port, tags: ['web'] }],
      },
      specs,
    );
    bot = await startBot(['run', '--console', '--config', file]);
    const socket = join(dir, 'data', 'chaoscat.sock');
    await eventually(() => existsSync(socket), 'the control socket');
    return file;
  }

  it('exits 0 for a harmless attack and 3 when the service does not recover; then 4 (halted)', async () => {
    const { svc, dir } = await service();
    const file = await live(attacks(svc, dir));
    const ok = await runBot(['run-once', 'harmless', 'web-1', '--wait', '--json', '--config', file], '');
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ attack: 'harmless', state: 'completed', verdict: 'held' });
    const down = await runBot(['run-once', 'service-kill', 'web-1', '--wait', '--config', file], '');
    expect(down.code, `${down.stdout}\n${down.stderr}`).toBe(3);
    expect(down.stdout).toMatch(/not-recovered/);
    expect(svc.pids()).toEqual([]);
    // verdict.haltOnNotRecovered latched a halt: the next step is refused.
    const refused = await runBot(['run-once', 'harmless', '--wait', '--config', file], '');
    expect(refused.code, refused.stdout).toBe(4);
    expect(refused.stdout).toMatch(/halted/);
  }, 90_000);

  it('SIGINT on the waiting step reverts the attack on the host', async () => {
    const { svc, dir } = await service();
    const file = await live(attacks(svc, dir));
    const step = spawn(process.execPath, [...SOURCE_ENTRY, 'run-once', 'hold', 'web-1', '--wait', '--config', file], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    step.stderr.on('data', (d) => {
      err += d;
    });
    const exited = new Promise<number | null>((resolve) => step.on('exit', (code) => resolve(code)));
    await eventually(() => /Started/.test(err), 'the step to say Started');
    await bot?.waitFor(/hold/);
    step.kill('SIGINT');
    expect(await exited).toBe(130);
    await eventually(() => existsSync(join(dir, 'rolled-back')), 'the rollback on the host');
    await bot?.waitFor(/Halted by pipeline:/);
    expect(readFileSync(join(dir, 'rolled-back'), 'utf8')).toBe('');
  }, 90_000);
});
