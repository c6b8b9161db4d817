import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSshExecutor } from '../../../src/adapters/ssh/index.js';
import type { SshSettings } from '../../../src/config/config.js';
import type { HostDef } from '../../../src/domain/model.js';
import { canRunSshd, freePort, type SshdFixture, startSshd } from '../../support/sshd.js';
import { hostFor, jobFor, newId, quietLogger, realClock, settingsFor, traceAttack } from './helpers.js';

/** OpenSSH's own fingerprint of a public key line, to compare with what the executor reports. */
function opensshFingerprint(dir: string, publicKey: string): string {
  const file = join(dir, `fp-${Date.now()}-${Math.random()}.pub`);
  writeFileSync(file, `${publicKey}\n`);
  return execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', file], { encoding: 'utf8' }).split(/\s+/)[1] ?? '';
}

function otherHostKey(dir: string): string {
  const path = join(dir, `other-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path]);
  return readFileSync(`${path}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
}

describe.skipIf(!canRunSshd() && !process.env.CI)('ssh connections: host keys, credentials and unreachable hosts', () => {
  let fixture: SshdFixture;
  let silent: Server | null = null;
  const held: Socket[] = [];

  beforeAll(async () => {
    fixture = await startSshd(2);
  });

  afterAll(async () => {
    for (const s of held) s.destroy();
    await new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve()));
    await fixture?.stop();
  });

  const knownHostsWith = (name: string, text: string): string => {
    const path = join(fixture.dir, `known_hosts_${name}`);
    writeFileSync(path, text);
    return path;
  };

  const tryIt = async (settings: SshSettings, host: HostDef) => {
    const executor = createSshExecutor({ settings, logger: quietLogger, clock: realClock });
    const id = newId();
    const job = jobFor(
      id,
      traceAttack(fixture.workDir, { run: 'touch "$CHAOSCAT_PARAM_DIR/started.$CHAOSCAT_ATTACK_ID"' }),
      host,
    );
    const preflight = await executor.preflight(job);
    const start = await executor.start(job).then(
      // Let it finish: closing the executor at once would stop it (stdin closes) before it ran.
      async (running) => {
        await running.done;
        return null;
      },
      (error: { code?: string; message: string }) => error,
    );
    await executor.close();
    return { preflight, start, ran: existsSync(`${fixture.workDir}/started.${id}`) };
  };

  it('refuses a host whose key is not in known_hosts, naming the host and the fingerprint, and runs nothing', async () => {
    const known = knownHostsWith('unknown', `${fixture.hosts[1]?.knownHostsLine}\n`);
    const { preflight, start, ran } = await tryIt(settingsFor(fixture, { knownHosts: known }), hostFor(fixture, 0));
    const fingerprint = opensshFingerprint(fixture.dir, fixture.hosts[0]?.hostKey ?? '');
    expect(fingerprint).toMatch(/^SHA256:/);
    expect(start?.code).toBe('SSH_HOST_KEY_UNKNOWN');
    expect(start?.message).toContain('host-0');
    expect(start?.message).toContain(fingerprint);
    expect(preflight.ok).toBe(false);
    expect(!preflight.ok && preflight.reason).toContain(fingerprint);
    expect(ran).toBe(false);
  });

  it('refuses a host whose key changed, loudly', async () => {
    const port = fixture.hosts[0]?.port;
    const known = knownHostsWith('changed', `[127.0.0.1]:${port} ${otherHostKey(fixture.dir)}\n`);
    const { start, ran } = await tryIt(settingsFor(fixture, { knownHosts: known }), hostFor(fixture, 0));
    expect(start?.code).toBe('SSH_HOST_KEY_CHANGED');
    expect(start?.message).toContain('HOST KEY CHANGED');
    expect(start?.message).toContain(opensshFingerprint(fixture.dir, fixture.hosts[0]?.hostKey ?? ''));
    expect(ran).toBe(false);
  });

  it('refuses a key marked @revoked even when it is also listed as known', async () => {
    const known = knownHostsWith('revoked', `${fixture.hosts[0]?.knownHostsLine}\n@revoked * ${fixture.hosts[0]?.hostKey}\n`);
    const { start, ran } = await tryIt(settingsFor(fixture, { knownHosts: known }), hostFor(fixture, 0));
    expect(start?.code).toBe('SSH_HOST_KEY_REVOKED');
    expect(ran).toBe(false);
  });

  it('accepts a hashed known_hosts entry made by ssh-keygen -H', async () => {
    const known = knownHostsWith('hashed', `${fixture.hosts[0]?.knownHostsLine}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', known], { stdio: 'ignore' });
    expect(readFileSync(known, 'utf8')).toMatch(/^\|1\|/);
    const { preflight, start, ran } = await tryIt(settingsFor(fixture, { knownHosts: known }), hostFor(fixture, 0));
    expect(preflight).toEqual({ ok: true });
    expect(start).toBeNull();
    expect(ran).toBe(true);
  });

  it('accepts a line naming several hosts, and ignores @cert-authority lines', async () => {
    const [a, b] = fixture.hosts;
    const known = knownHostsWith(
      'multi',
      `@cert-authority * ${b?.hostKey}\nweb-9,[127.0.0.1]:${a?.port},10.9.9.9 ${a?.hostKey}\n`,
    );
    const { preflight } = await tryIt(settingsFor(fixture, { knownHosts: known }), hostFor(fixture, 0));
    expect(preflight).toEqual({ ok: true });
    const other = await tryIt(settingsFor(fixture, { knownHosts: known }), hostFor(fixture, 1));
    expect(other.start?.code).toBe('SSH_HOST_KEY_UNKNOWN');
  });

  it('reports an authentication failure with SSH_AUTH', async () => {
    const { preflight, start, ran } = await tryIt(settingsFor(fixture, { privateKey: fixture.strangerKey }), hostFor(fixture, 0));
    expect(start?.code).toBe('SSH_AUTH');
    expect(start?.message).toContain('authentication failed');
    expect(!preflight.ok && preflight.reason).toContain('host-0');
    expect(ran).toBe(false);
  });

  it('refuses a private key file that holds no usable key, naming the file, and runs nothing', async () => {
    const bad = join(fixture.dir, 'not-a-key');
    writeFileSync(bad, 'this is not a key\n', { mode: 0o600 });
    const { start, ran } = await tryIt(settingsFor(fixture, { privateKey: bad }), hostFor(fixture, 0));
    expect(start?.code).toBe('SSH_CONFIG');
    expect(start?.message).toContain(bad);
    expect(ran).toBe(false);
  });

  it('reads known_hosts and the key again for every connection: an edit counts at once', async () => {
    const host = hostFor(fixture, 0);
    const file = knownHostsWith('edited', readFileSync(fixture.knownHosts, 'utf8'));
    const settings = settingsFor(fixture, { knownHosts: file });
    expect((await tryIt(settings, host)).ran).toBe(true);
    // The operator removes the host's line: the next connection is refused, without a restart.
    writeFileSync(
      file,
      readFileSync(fixture.knownHosts, 'utf8')
        .split('\n')
        .filter((l) => !l.includes(`:${host.port} `))
        .join('\n'),
    );
    const after = await tryIt(settings, host);
    expect(after.start?.code).toBe('SSH_HOST_KEY_UNKNOWN');
    expect(after.ran).toBe(false);
    // And the key: a stranger's key in the same file is refused at the next connection.
    const key = join(fixture.dir, 'swapped_key');
    writeFileSync(key, readFileSync(fixture.clientKey), { mode: 0o600 });
    const keyed = settingsFor(fixture, { privateKey: key });
    expect((await tryIt(keyed, host)).ran).toBe(true);
    writeFileSync(key, readFileSync(fixture.strangerKey), { mode: 0o600 });
    expect((await tryIt(keyed, host)).start?.code).toBe('SSH_AUTH');
  });

  it('reports a refused connection with SSH_CONNECT', async () => {
    const port = await freePort();
    const { preflight, start } = await tryIt(settingsFor(fixture), hostFor(fixture, 0, { port }));
    expect(start?.code).toBe('SSH_CONNECT');
    expect(start?.message).toContain('ECONNREFUSED');
    expect(!preflight.ok && preflight.reason).toContain('ECONNREFUSED');
  });

  it('gives up on a host that accepts TCP but never answers, with SSH_TIMEOUT', async () => {
    silent = createServer((socket) => {
      held.push(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent?.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const { preflight, start } = await tryIt(settingsFor(fixture, { connectTimeout: 1_500 }), hostFor(fixture, 0, { port }));
    expect(start?.code).toBe('SSH_TIMEOUT');
    expect(preflight.ok).toBe(false);
  });

  it('reaches a host through a jump host, checking both keys', async () => {
    const [jump, target] = fixture.hosts;
    const viaJump = hostFor(fixture, 1, { jumpHost: { address: '127.0.0.1', port: jump?.port ?? 0 } });
    const { preflight, start, ran } = await tryIt(settingsFor(fixture), viaJump);
    expect(preflight).toEqual({ ok: true });
    expect(start).toBeNull();
    expect(ran).toBe(true);
    // The same through a jump host whose key is unknown: refused at the first hop.
    const onlyTarget = knownHostsWith('jump', `${target?.knownHostsLine}\n`);
    const refused = await tryIt(settingsFor(fixture, { knownHosts: onlyTarget }), viaJump);
    expect(refused.start?.code).toBe('SSH_HOST_KEY_UNKNOWN');
    expect(refused.start?.message).toContain('jump host');
  });

  it('uses the global jump host when the host names none, and the per-host user over the global one', async () => {
    const jump = fixture.hosts[0];
    const settings = settingsFor(fixture, {
      user: 'nobody-here',
      jumpHost: { address: '127.0.0.1', port: jump?.port ?? 0, user: fixture.user },
    });
    const { preflight } = await tryIt(settings, hostFor(fixture, 1, { user: fixture.user }));
    expect(preflight).toEqual({ ok: true });
  });

  it('authenticates through ssh-agent when no key file is configured', async () => {
    const socket = join(fixture.dir, 'agent.sock');
    const out = execFileSync('ssh-agent', ['-s', '-a', socket], { encoding: 'utf8' });
    const agentPid = Number(/SSH_AGENT_PID=(\d+)/.exec(out)?.[1]);
    try {
      execFileSync('ssh-add', [fixture.clientKey], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
      const settings = { ...settingsFor(fixture), privateKey: undefined, agent: true };
      const executor = createSshExecutor({ settings, logger: quietLogger, clock: realClock, agentSocket: socket });
      expect(await executor.preflight(jobFor(newId(), traceAttack(fixture.workDir), hostFor(fixture, 0)))).toEqual({ ok: true });
      await executor.close();
      // Neither a key file nor an agent: refused before connecting, with the reason.
      const none = createSshExecutor({ settings: { ...settings, agent: false }, logger: quietLogger, clock: realClock });
      const result = await none.preflight(jobFor(newId(), traceAttack(fixture.workDir), hostFor(fixture, 0)));
      expect(!result.ok && result.reason).toContain('no credentials');
      await none.close();
    } finally {
      if (agentPid > 0) process.kill(agentPid, 'SIGTERM');
    }
  });

  it('fails pre-flight with the reason when a required command is missing', async () => {
    const executor = createSshExecutor({ settings: settingsFor(fixture), logger: quietLogger, clock: realClock });
    const attack = traceAttack(fixture.workDir, { requires: ['sh', 'chaoscat-no-such-tool'] });
    const result = await executor.preflight(jobFor(newId(), attack, hostFor(fixture, 0)));
    expect(result).toEqual({ ok: false, cause: 'missing-command', reason: 'host-0: missing command chaoscat-no-such-tool' });
    await executor.close();
  });

  it('fails pre-flight when the attack needs sudo the user does not have', async () => {
    const executor = createSshExecutor({ settings: settingsFor(fixture), logger: quietLogger, clock: realClock });
    const attack = traceAttack(fixture.workDir, { sudo: true });
    const result = await executor.preflight(jobFor(newId(), attack, hostFor(fixture, 0)));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/host-0: .*sudo -n/);
    await executor.close();
  });

  it('fails pre-flight when the host lacks a var the attack needs, without connecting', async () => {
    const executor = createSshExecutor({ settings: settingsFor(fixture), logger: quietLogger, clock: realClock });
    const attack = traceAttack(fixture.workDir, { name: 'process-kill', hostVars: ['process'] });
    const result = await executor.preflight(jobFor(newId(), attack, hostFor(fixture, 0, { port: 1 })));
    expect(result).toEqual({
      ok: false,
      cause: 'missing-var',
      reason: 'host-0: host var process not set (process-kill needs it)',
    });
    await executor.close();
  });
});
