import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SshSettings } from '../../src/config/config.js';

/** The non-root login the test hosts accept. */
export const TEST_USER = 'chaoscat-test';
export const SSHD = '/usr/sbin/sshd';

export interface SshdHost {
  readonly port: number;
  readonly pid: number;
  /** `ssh-ed25519 AAAA...` */
  readonly hostKey: string;
  /** The known_hosts line for 127.0.0.1 on this port. */
  readonly knownHostsLine: string;
  /** sshd's stderr so far (-e), for failing tests. */
  log(): string;
}

export interface SshdFixture {
  readonly dir: string;
  readonly user: string;
  /** Private key the hosts accept. */
  readonly clientKey: string;
  /** Private key the hosts do not accept. */
  readonly strangerKey: string;
  /** known_hosts with every host's key (plain `[127.0.0.1]:port` lines). */
  readonly knownHosts: string;
  readonly hosts: readonly SshdHost[];
  /** A directory every test host user may write to. */
  readonly workDir: string;
  stop(): Promise<void>;
}

/** Whether the real-sshd tests can run here: sshd installed and we are root (to run sshd and useradd). */
export function canRunSshd(): boolean {
  return existsSync(SSHD) && typeof process.getuid === 'function' && process.getuid() === 0;
}

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Creates the test user if missing (several test files may race here) and makes sure it is not locked. */
export function ensureTestUser(user: string = TEST_USER): void {
  const exists = () => {
    try {
      run('id', ['-u', user]);
      return true;
    } catch {
      return false;
    }
  };
  if (!exists()) {
    try {
      run('useradd', ['--create-home', '--shell', '/bin/sh', '--password', '*', user]);
    } catch (error) {
      if (!exists()) throw error;
    }
  }
  // sshd without PAM refuses a locked account ("!" password).
  const shadow = run('getent', ['shadow', user]).split(':')[1] ?? '';
  if (shadow.startsWith('!')) run('usermod', ['--password', '*', user]);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves true once something on the port speaks SSH. */
function sshBanner(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('data', (data) => done(data.toString().startsWith('SSH-')));
  });
}

function keygen(path: string, comment: string): string {
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
  return readFileSync(`${path}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
}

async function startOne(dir: string, index: number, user: string): Promise<{ host: SshdHost; child: ChildProcess }> {
  const hostKeyPath = join(dir, `host${index}_ed25519`);
  const hostKey = keygen(hostKeyPath, `host${index}`);
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const config = join(dir, `sshd${index}.conf`);
    writeFileSync(
      config,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${hostKeyPath}`,
        `PidFile ${join(dir, `sshd${index}.pid`)}`,
        'UsePAM no',
        'StrictModes no',
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin no',
        `AllowUsers ${user}`,
        'AllowTcpForwarding yes',
        'MaxStartups 200',
        'MaxSessions 50',
        'LogLevel INFO',
        '',
      ].join('\n'),
    );
    let log = '';
    const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-20_000);
    });
    let exited = false;
    child.on('exit', () => {
      exited = true;
    });
    const deadline = Date.now() + 15_000;
    while (!exited && Date.now() < deadline) {
      if (await sshBanner(port)) {
        const host: SshdHost = {
          port,
          pid: child.pid ?? 0,
          hostKey,
          knownHostsLine: `[127.0.0.1]:${port} ${hostKey}`,
          log: () => log,
        };
        return { host, child };
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (!exited && child.pid) process.kill(child.pid, 'SIGTERM');
    if (attempt === 4) throw new Error(`sshd did not start on port ${port}: ${log}`);
  }
  throw new Error('unreachable');
}

/**
 * Starts `count` sshd instances on 127.0.0.1 (one per test "host"), each with its own host key, that
 * accept `user` (default chaoscat-test) with the fixture's client key.
 */
export async function startSshd(count = 1, options: { user?: string } = {}): Promise<SshdFixture> {
  const user = options.user ?? TEST_USER;
  ensureTestUser(user);
  // sshd refuses to start without its privilege separation directory.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(join(tmpdir(), 'chaoscat-sshd-'));
  // sshd reads authorized_keys as the test user: the directory and file must be readable to it.
  chmodSync(dir, 0o755);
  const clientKey = join(dir, 'client_ed25519');
  const strangerKey = join(dir, 'stranger_ed25519');
  const clientPub = keygen(clientKey, 'chaoscat-bot');
  keygen(strangerKey, 'stranger');
  writeFileSync(join(dir, 'authorized_keys'), `${clientPub} chaoscat-bot\n`, { mode: 0o644 });
  chmodSync(join(dir, 'authorized_keys'), 0o644);
  const workDir = join(dir, 'work');
  mkdirSync(workDir);
  chmodSync(workDir, 0o1777);
  const started: { host: SshdHost; child: ChildProcess }[] = [];
  try {
    for (let i = 0; i < count; i++) started.push(await startOne(dir, i, user));
  } catch (error) {
    for (const s of started) s.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `${started.map((s) => s.host.knownHostsLine).join('\n')}\n`);
  return {
    dir,
    user,
    clientKey,
    strangerKey,
    knownHosts,
    hosts: started.map((s) => s.host),
    workDir,
    async stop() {
      await Promise.all(
        started.map(
          ({ child }) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) {
                resolve();
                return;
              }
              child.once('exit', () => resolve());
              child.kill('SIGTERM');
              setTimeout(() => {
                if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
              }, 3_000).unref();
            }),
        ),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** SSH settings that reach the fixture's hosts: its user, key and known_hosts. */
export function settingsFor(fixture: SshdFixture, overrides: Partial<SshSettings> = {}): SshSettings {
  return {
    user: fixture.user,
    privateKey: fixture.clientKey,
    agent: false,
    knownHosts: fixture.knownHosts,
    connectTimeout: 10_000,
    keepaliveInterval: 2_000,
    outputLimitBytes: 16_384,
    ...overrides,
  };
}
