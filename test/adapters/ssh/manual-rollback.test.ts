import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ManualRollbackSpec, manualRollbackCommand } from '../../../src/adapters/ssh/manual-rollback.js';
import { type Route, routeTo } from '../../../src/adapters/ssh/route.js';
import { envScript, manualScript } from '../../../src/adapters/ssh/wrapper.js';
import { attackEnv } from '../../../src/domain/attack-env.js';
import type { HostDef } from '../../../src/domain/model.js';
import { canRunSshd, type SshdFixture, startSshd } from '../../support/sshd.js';
import { hostFor, newId, runPasted, traceAttack } from './helpers.js';

const plain: Route = { user: 'chaoscat', address: '10.0.0.5', port: 2222, jump: null };

/** A rollback that leaves the environment it saw in $DIR/rollback.<id>, one line per run. */
const recordingRollback =
  'printf "%s|%s|%s|%s\\n" "$(id -un)" "$CHAOSCAT_HOST" "$CHAOSCAT_ATTACK" "$CHAOSCAT_PARAM_NOTE" >> "$CHAOSCAT_PARAM_DIR/rollback.$CHAOSCAT_ATTACK_ID"\necho "rollback done"';

function specFor(id: string, dir: string, host: HostDef, overrides: Partial<ManualRollbackSpec> = {}): ManualRollbackSpec {
  const attack = traceAttack(dir, { params: { DIR: dir, NOTE: `it's $(not run) \`either\`` } });
  return {
    id,
    env: attackEnv({ id, attack, host, durationMs: 3_000, botAddresses: ['192.0.2.10'] }),
    rollback: recordingRollback,
    sudo: false,
    ...overrides,
  };
}

/** What the remote login shell does with the line's command: `sh -c` it (here, on this machine). */
const SSH_AS_LOCAL_SHELL =
  'ssh() { while [ $# -gt 0 ]; do case "$1" in -p|-J) shift 2 ;; -t) shift ;; *) shift; break ;; esac; done; /bin/sh -c "$*"; }; ';

/** What the wrapper keeps on the host when a rollback failed: env.sh, rollback.sh and manual.sh. */
function keep(spec: ManualRollbackSpec, owner?: string): void {
  const kept = `/tmp/chaoscat-${spec.id}`;
  mkdirSync(kept, { mode: 0o700 });
  writeFileSync(join(kept, 'env.sh'), envScript(spec.env));
  writeFileSync(join(kept, 'rollback.sh'), spec.rollback);
  writeFileSync(join(kept, 'manual.sh'), manualScript(spec.id));
  if (owner) execFileSync('chown', ['-R', owner, kept]);
}

describe('the manual rollback command', () => {
  const host: HostDef = { name: 'web-1', address: '10.0.0.5', port: 2222, tags: [], vars: {} };
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = '';
  });

  it('is one short ssh line that reaches the host as the bot does and runs the rollback file kept there', () => {
    const line = manualRollbackCommand(plain, specFor('42', '/tmp', host));
    expect(line).toBe('ssh -p 2222 chaoscat@10.0.0.5 /bin/sh /tmp/chaoscat-42/manual.sh');
    expect(manualRollbackCommand(plain, specFor('42', '/tmp', host, { sudo: true }))).toBe(
      'ssh -p 2222 chaoscat@10.0.0.5 sudo -n /bin/sh /tmp/chaoscat-42/manual.sh',
    );
  });

  it.each([
    ['a jump host by name', { user: 'ops', address: 'bastion.example.com', port: 22 }, ' -J ops@bastion.example.com:22 '],
    ['a jump host on another port', { user: 'chaoscat', address: '192.0.2.1', port: 2200 }, ' -J chaoscat@192.0.2.1:2200 '],
    ['an IPv6 jump host, in brackets', { user: 'ops', address: '2001:db8::1', port: 22 }, " -J 'ops@[2001:db8::1]:22' "],
  ])('goes through %s with -J user@address:port', (_name, jump, expected) => {
    const line = manualRollbackCommand({ ...plain, jump }, specFor('42', '/tmp', host));
    expect(line.startsWith(`ssh -p 2222${expected}chaoscat@10.0.0.5 /bin/sh `)).toBe(true);
  });

  it.each([
    ['the host user, else ssh.user', { user: 'deploy' }, { user: 'chaoscat' }, 'deploy', null],
    ['ssh.user when the host has none', {}, { user: 'chaoscat' }, 'chaoscat', null],
    [
      "the host's jump host, logging in as the host user",
      { jumpHost: { address: 'bastion', port: 22 } },
      { user: 'chaoscat', jumpHost: { address: 'other', port: 22, user: 'x' } },
      'chaoscat',
      { user: 'chaoscat', address: 'bastion', port: 22 },
    ],
    [
      'ssh.jumpHost with its own user when the host has none',
      {},
      { user: 'chaoscat', jumpHost: { address: 'bastion', port: 2200, user: 'ops' } },
      'chaoscat',
      { user: 'ops', address: 'bastion', port: 2200 },
    ],
  ])('routes as the connection does: %s', (_name, hostPart, settings, user, jump) => {
    const route = routeTo({ ...host, ...hostPart }, settings);
    expect(route).toEqual({ user, address: '10.0.0.5', port: 2222, jump });
  });

  it.each([
    ['a user ssh would read as an option', { ...plain, user: '-oProxyCommand=touch /tmp/x' }],
    ['a user holding an @', { ...plain, user: 'a@b' }],
    ['an address with a space', { ...plain, address: '10.0.0.5 evil' }],
    ['an address ssh would read as an option', { ...plain, address: '-oProxyCommand=x' }],
    ['a jump host address with a colon and a name', { ...plain, jump: { user: 'ops', address: 'a:b;c', port: 22 } }],
    ['a port out of range', { ...plain, port: 70_000 }],
  ])('refuses %s rather than print it', (_name, route) => {
    expect(() => manualRollbackCommand(route, specFor('42', '/tmp', host))).toThrow(
      expect.objectContaining({ code: 'SSH_CONFIG' }),
    );
  });

  it.each([
    ['/bin/sh'],
    ['bash'],
  ])("pasted into %s, runs the kept rollback with the attack's environment, values kept literal, and cleans up", async (shell) => {
    dir = mkdtempSync(join(tmpdir(), 'chaoscat-manual-'));
    const id = newId();
    const spec = specFor(id, dir, host);
    keep(spec);
    const line = manualRollbackCommand(plain, spec);
    const r = await runLocally(shell, line);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('rollback done');
    const recorded = readFileSync(join(dir, `rollback.${id}`), 'utf8').trim();
    expect(recorded).toBe(`${userInfo().username}|web-1|trace|it's $(not run) \`either\``);
    expect(existsSync(`/tmp/chaoscat-${id}`)).toBe(false);
  });

  it('exits with the status of the rollback, says it, and keeps the files for another try', async () => {
    const id = newId();
    const spec = specFor(id, '/tmp', host, { rollback: 'echo still blocked >&2; exit 3' });
    keep(spec);
    try {
      const r = await runLocally('/bin/sh', manualRollbackCommand(plain, spec));
      expect(r.status).toBe(3);
      expect(r.stderr).toContain('still blocked');
      expect(r.stderr).toContain(`the rollback of attack ${id} exited with status 3`);
      expect(existsSync(`/tmp/chaoscat-${id}/manual.sh`)).toBe(true);
    } finally {
      rmSync(`/tmp/chaoscat-${id}`, { recursive: true, force: true });
    }
  });

  it('has the shape docs/wrapper-protocol.md shows', () => {
    const doc = readFileSync(new URL('../../../docs/wrapper-protocol.md', import.meta.url), 'utf8');
    const shown = /## When a rollback fails[\s\S]*?```sh\n(ssh [^\n]+)\n```/.exec(doc)?.[1] ?? '';
    const [head, tail] = shown.split('...');
    const route: Route = { ...plain, port: 22, jump: { user: 'ops', address: 'bastion.example.com', port: 22 } };
    const line = manualRollbackCommand(route, specFor('42', '/tmp', host));
    expect(head).toBeTruthy();
    expect(line.startsWith(head ?? '-')).toBe(true);
    expect(line.endsWith(tail ?? '-')).toBe(true);
  });
});

/** Runs the line with `ssh` standing for what sshd and the login shell do with its command. */
function runLocally(shell: string, line: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(shell, ['-c', SSH_AS_LOCAL_SHELL + line], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe.skipIf(!canRunSshd() && !process.env.CI)('the manual rollback command, pasted against a real sshd', () => {
  let fixture: SshdFixture;

  beforeAll(async () => {
    fixture = await startSshd(2);
  });
  afterAll(async () => {
    await fixture?.stop();
  });

  it.each([
    ['directly', null],
    ['through a jump host', 1],
  ])('logs in as the bot user and runs the rollback on the host, %s', async (_name, jumpIndex) => {
    const target = hostFor(fixture, 0, { name: 'web-1' });
    const host =
      jumpIndex === null ? target : { ...target, jumpHost: { address: '127.0.0.1', port: fixture.hosts[jumpIndex]?.port ?? 0 } };
    const route = routeTo(host, { user: fixture.user });
    const id = newId();
    const spec = specFor(id, fixture.workDir, host);
    keep(spec, fixture.user);
    const line = manualRollbackCommand(route, spec);
    if (jumpIndex !== null) expect(line).toContain(` -J ${fixture.user}@127.0.0.1:${fixture.hosts[jumpIndex]?.port} `);
    const r = await runPasted(fixture, line);
    expect(r.stderr).toContain(`the rollback of attack ${id} exited with status 0`);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('rollback done');
    const recorded = readFileSync(`${fixture.workDir}/rollback.${id}`, 'utf8').trim();
    expect(recorded).toBe(`${fixture.user}|web-1|trace|it's $(not run) \`either\``);
    expect(existsSync(`/tmp/chaoscat-${id}`)).toBe(false);
  });
});
