import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSshExecutor } from '../../../src/adapters/ssh/index.js';
import { loadAttacks } from '../../../src/config/load.js';
import type { AttackDef } from '../../../src/domain/model.js';
import type { Executor } from '../../../src/ports/executor.js';
import { eventually } from '../../support/eventually.js';
import { canRunSshd, type SshdFixture, startSshd } from '../../support/sshd.js';
import { attackProcesses, hostFor, jobFor, newId, ON_HOST, quietLogger, realClock, settingsFor } from './helpers.js';

const ATTACKS_DIR = resolve(import.meta.dirname, '../../../attacks');
const library = loadAttacks(ATTACKS_DIR);
const byName = (name: string): AttackDef => {
  const attack = library.find((a) => a.name === name);
  if (!attack) throw new Error(`no attack ${name}`);
  return attack;
};
const EXPECTED = [
  'cpu-burn',
  'disk-fill',
  'dns-failure',
  'host-reboot',
  'io-stress',
  'memory-hog',
  'network-blackhole',
  'network-latency',
  'packet-loss',
  'process-kill',
  'service-restart',
];

describe('the attack library', () => {
  it('holds every attack of the catalogue, one file each, named after its file', () => {
    expect(library.map((a) => a.name).sort()).toEqual(EXPECTED);
    for (const a of library) expect(a.file.endsWith(`${a.name}.yaml`)).toBe(true);
    expect(readdirSync(ATTACKS_DIR).filter((f) => f.endsWith('.yaml'))).toHaveLength(EXPECTED.length);
  });

  it('gives every attack a bounded duration and a rollback; host-reboot is never scheduled', () => {
    for (const a of library) {
      expect(a.durationMs, a.name).toBeGreaterThan(0);
      expect(a.durationMs, a.name).toBeLessThanOrEqual(10 * 60_000);
      expect(a.rollback.trim(), a.name).not.toBe('');
    }
    expect(byName('host-reboot').weight).toBe(0);
    expect(library.filter((a) => a.name !== 'host-reboot').every((a) => a.weight > 0)).toBe(true);
  });

  it.each(library.map((a) => [a.name, a] as const))('%s: run and rollback pass sh -n', (_name, attack) => {
    for (const script of [attack.run, attack.rollback]) {
      const dash = spawnSync('/bin/sh', ['-n'], { input: script, encoding: 'utf8' });
      expect(dash.stderr).toBe('');
      expect(dash.status).toBe(0);
    }
  });

  it.each(
    library.map((a) => [a.name, a] as const),
  )('%s: every parameter and host var it reads has a default or is declared', (_name, attack) => {
    const text = `${attack.run}\n${attack.rollback}`;
    for (const [, key] of text.matchAll(/CHAOSCAT_PARAM_([A-Z0-9_]+)/g)) expect(Object.keys(attack.params)).toContain(key);
    for (const [, key] of text.matchAll(/CHAOSCAT_VAR_([A-Z0-9_]+)/g)) {
      expect(attack.hostVars.map((v) => v.toUpperCase())).toContain(key);
    }
  });

  it('declares root for the attacks that need it, and only those', () => {
    const needRoot = library
      .filter((a) => a.sudo)
      .map((a) => a.name)
      .sort();
    expect(needRoot).toEqual([
      'dns-failure',
      'host-reboot',
      'network-blackhole',
      'network-latency',
      'packet-loss',
      'process-kill',
      'service-restart',
    ]);
  });
});

describe.skipIf(!canRunSshd() && !process.env.CI)('the attack library on a real host (non-root user)', () => {
  let fixture: SshdFixture;
  let executor: Executor;

  beforeAll(async () => {
    fixture = await startSshd(1);
    executor = createSshExecutor({ settings: settingsFor(fixture), logger: quietLogger, clock: realClock });
  });
  afterAll(async () => {
    await executor?.close();
    await fixture?.stop();
  });

  const leftovers = () => readdirSync(fixture.workDir).filter((f) => f.startsWith('chaoscat-'));

  it.each([
    ['cpu-burn', { WORKERS: '1' }],
    ['memory-hog', { SIZE_MB: '16' }],
    ['disk-fill', { SIZE_MB: '4', MIN_FREE_MB: '1' }],
    ['io-stress', { WORKERS: '1', FILE_MB: '2', MIN_FREE_MB: '1' }],
  ] as const)('%s runs to its deadline at a small size and leaves nothing behind', async (name, params) => {
    const base = byName(name);
    const attack: AttackDef = {
      ...base,
      params: { ...base.params, ...params, ...('DIR' in base.params ? { DIR: fixture.workDir } : {}) },
    };
    const id = newId();
    const job = jobFor(id, attack, hostFor(fixture, 0), 2_000);
    expect(await executor.preflight(job)).toEqual({ ok: true });
    const running = await executor.start(job);
    const result = await running.done;
    expect(result.outputTail).not.toMatch(/refusing/);
    expect(result).toMatchObject({ outcome: 'completed', rollbackOk: true });
    expect(attackProcesses(id, running.remotePgid)).toEqual([]);
    expect(leftovers()).toEqual([]);
  });

  it('disk-fill stopped mid-attack removes its file', async () => {
    const base = byName('disk-fill');
    const attack: AttackDef = { ...base, params: { ...base.params, SIZE_MB: '4', MIN_FREE_MB: '1', DIR: fixture.workDir } };
    const id = newId();
    const running = await executor.start(jobFor(id, attack, hostFor(fixture, 0), 5_000));
    await eventually(() => leftovers().length > 0, 'the fill file', ON_HOST);
    expect((await running.abort('stop')).outcome).toBe('reverted');
    expect(leftovers()).toEqual([]);
    expect(attackProcesses(id, running.remotePgid)).toEqual([]);
  });

  it('memory-hog refuses a size that would starve the host, and the refusal is the reason', async () => {
    const base = byName('memory-hog');
    const attack: AttackDef = { ...base, params: { ...base.params, SIZE_MB: '99999999' } };
    const result = await (await executor.start(jobFor(newId(), attack, hostFor(fixture, 0), 5_000))).done;
    expect(result.outcome).toBe('failed');
    expect(result.exitCode).toBe(3);
    expect(result.outputTail).toContain('refusing');
  });

  it.each(
    library.filter((a) => a.sudo).map((a) => [a.name, a] as const),
  )('%s (needs root) fails pre-flight for a user without sudo, saying so', async (_name, attack) => {
    const host = hostFor(fixture, 0, { vars: { process: 'nginx', unit: 'nginx.service' } });
    const result = await executor.preflight(jobFor(newId(), attack, host));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^host-0: (.* may not run it through "sudo -n"|missing command)/);
  });
});

/** Runs a script as root inside a network namespace of its own: iptables there touches nothing else. */
function inNetns(ns: string, script: string, env: Record<string, string>): ChildProcess {
  return spawn('ip', ['netns', 'exec', ns, '/bin/sh', '-c', script], {
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
}

function netnsRun(ns: string, args: string[]): string {
  return execFileSync('ip', ['netns', 'exec', ns, ...args], { encoding: 'utf8' });
}

const canNetns = (() => {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return false;
  const probe = `chaoscat-probe-${process.pid}`;
  const ok = spawnSync('ip', ['netns', 'add', probe]).status === 0;
  if (ok) spawnSync('ip', ['netns', 'del', probe]);
  return ok && spawnSync('ip', ['netns', 'exec', 'x'], { stdio: 'ignore' }).error === undefined;
})();

describe.skipIf(!canNetns && !process.env.CI)('root attacks, run as root in a network namespace of their own', () => {
  const ns = `chaoscat-test-${process.pid}`;
  beforeAll(() => {
    execFileSync('ip', ['netns', 'add', ns]);
    netnsRun(ns, ['ip', 'link', 'set', 'lo', 'up']);
    // With the nftables backend the filter table appears on first use: create it before comparing.
    netnsRun(ns, ['iptables', '-w', '5', '-N', 'CHAOSCAT-PROBE']);
    netnsRun(ns, ['iptables', '-w', '5', '-X', 'CHAOSCAT-PROBE']);
  });
  afterAll(() => {
    spawnSync('ip', ['netns', 'del', ns]);
  });

  const env = (attack: AttackDef): Record<string, string> => ({
    CHAOSCAT_ATTACK_ID: newId(),
    CHAOSCAT_DURATION_S: '60',
    CHAOSCAT_SSH_PORT: '2222',
    CHAOSCAT_SSHD_PORT: '22',
    CHAOSCAT_BOT_ADDRS: '192.0.2.10,2001:db8::1',
    CHAOSCAT_SSH_CLIENT: '192.0.2.11',
    ...Object.fromEntries(Object.entries(attack.params).map(([k, v]) => [`CHAOSCAT_PARAM_${k}`, v])),
  });

  const rules = () =>
    netnsRun(ns, ['iptables-save'])
      .replace(/^#.*$/gm, '')
      .replace(/\[\d+:\d+\]/g, '');

  it.each([
    ['network-blackhole', /-A CHAOSCAT-BH-OUT -p tcp -m tcp --sport 2222 -j RETURN/],
    ['dns-failure', /-A CHAOSCAT-DNS -p udp -m udp --dport 53 -j DROP/],
  ] as const)('%s adds its rules, sparing SSH and the bot, and its rollback removes exactly them (twice)', async (name, rule) => {
    const attack = byName(name);
    const before = rules();
    const vars = env(attack);
    const child = inNetns(ns, attack.run, vars);
    let output = '';
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    try {
      await eventually(() => /for 60s/.test(output), `${name} to apply its rules (${output})`, ON_HOST);
      const during = rules();
      expect(during).toMatch(rule);
      if (name === 'network-blackhole') {
        expect(during).toMatch(/-A CHAOSCAT-BH-OUT -d 192\.0\.2\.10\/32 -j RETURN/);
        expect(during).toMatch(/-A CHAOSCAT-BH-IN -s 192\.0\.2\.11\/32 -j RETURN/);
        expect(during).toMatch(/-A CHAOSCAT-BH-IN -p tcp -m tcp --dport 22 -j RETURN/);
        expect(during).not.toMatch(/2001:db8/);
      }
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }
    for (let i = 0; i < 2; i++) {
      const rollback = spawnSync('ip', ['netns', 'exec', ns, '/bin/sh', '-c', attack.rollback], {
        env: { ...process.env, ...vars },
      });
      expect(rollback.status).toBe(0);
    }
    expect(rules()).toBe(before);
  });

  it.each(['network-latency', 'packet-loss'])('%s undoes a run that failed halfway (no netem in this kernel)', (name) => {
    const attack = byName(name);
    const vars = { ...env(attack), CHAOSCAT_PARAM_IFACE: 'lo' };
    const run = spawnSync('ip', ['netns', 'exec', ns, '/bin/sh', '-c', attack.run], {
      env: { ...process.env, ...vars },
      timeout: 5_000,
    });
    const rollback = spawnSync('ip', ['netns', 'exec', ns, '/bin/sh', '-c', attack.rollback], {
      env: { ...process.env, ...vars },
    });
    expect(rollback.status).toBe(0);
    expect(netnsRun(ns, ['tc', 'qdisc', 'show', 'dev', 'lo'])).not.toMatch(/ca[78]:/);
    // Where the kernel has netem the run holds until the timeout kills it; otherwise it fails at once.
    if (!run.error) expect(run.status).not.toBe(0);
  });

  it('network-latency refuses an interface that does not exist', () => {
    const attack = byName('network-latency');
    const vars = { ...env(attack), CHAOSCAT_PARAM_IFACE: 'no-such-if0' };
    const run = spawnSync('ip', ['netns', 'exec', ns, '/bin/sh', '-c', attack.run], { env: { ...process.env, ...vars } });
    expect(run.status).toBe(3);
    expect(run.stderr.toString()).toContain("refusing: no interface 'no-such-if0'");
  });
});
