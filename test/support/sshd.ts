import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SshSettings } from '../../src/config/config.js';
import { deferCleanup, tempDir } from './cleanup.js';
import { eventually } from './eventually.js';

/** The non-root login the test hosts accept. */
export const TEST_USER = 'chaoscat-test';

/** PIDs of the test user's processes whose command line contains `marker` (inspection only; pgrep, never pkill). */
export function testUserProcesses(marker: string): number[] {
  try {
    return execFileSync('pgrep', ['-u', TEST_USER, '-f', marker], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}
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

/**
 * Where `ensureTestUser` notes each user it created: a file in `dir`, by default tmpdir(), which under
 * vitest is the run's own directory, shared by every worker; test/support/global-setup.ts reads it and
 * removes those users when the run ends. (vitest workers are processes of their own: a file, not memory.)
 */
export function createdUsersFile(dir: string = tmpdir()): string {
  return join(dir, 'chaoscat-created-users');
}

/**
 * Creates the test user if missing (several test files may race here) and makes sure it is not locked.
 * A user it creates is noted in `createdUsersFile()`, so the run removes it at its end; a user that was
 * there before stays.
 */
export function ensureTestUser(user: string = TEST_USER): void {
  const exists = () => uidOf(user) !== undefined;
  if (!exists()) {
    let created = false;
    try {
      run('useradd', ['--create-home', '--shell', '/bin/sh', '--password', '*', user]);
      created = true;
    } catch (error) {
      if (!exists()) throw error;
    }
    // Only the caller whose useradd succeeded notes it: if it lost a race, the winner (another worker) noted it.
    if (created) appendFileSync(createdUsersFile(), `${user}\n`);
  }
  // sshd without PAM refuses a locked account ("!" password).
  const shadow = run('getent', ['shadow', user]).split(':')[1] ?? '';
  if (shadow.startsWith('!')) run('usermod', ['--password', '*', user]);
}

/** The uid of `user`, or undefined if there is no such user. */
export function uidOf(user: string): number | undefined {
  try {
    return Number(run('id', ['-u', user]).trim());
  } catch {
    return undefined;
  }
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

/**
 * A child subreaper (prctl PR_SET_CHILD_SUBREAPER) that runs sshd and reaps every process orphaned
 * below it at once, as a host's init does (systemd, tini). Some machines' PID 1 reaps only every
 * second or two, and an attack's killed processes linger there as zombies in its group, which a
 * stop must then tell from live ones by reading every process's stat. SIGTERM goes on to sshd.
 */
const REAPER = `
import ctypes, os, signal, sys
if ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) != 0:
    sys.exit("reaper: prctl(PR_SET_CHILD_SUBREAPER) failed")
pid = os.fork()
if pid == 0:
    # sshd goes with the reaper, even when the reaper is killed outright.
    ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)
    os.execv(sys.argv[1], sys.argv[1:])
signal.signal(signal.SIGTERM, lambda *_: os.kill(pid, signal.SIGTERM))
code = 1
while True:
    try:
        p, st = os.wait()
    except ChildProcessError:
        break
    except InterruptedError:
        continue
    if p == pid:
        code = os.waitstatus_to_exitcode(st)
        break
sys.exit(code if code >= 0 else 128 - code)
`;

/** Whether the sshd hosts can run under REAPER (python3 is there). */
export function canReapOrphans(): boolean {
  return existsSync('/usr/bin/python3');
}

/** Starts one sshd; every process it spawns goes into `children` at once, so the fixture can stop it whatever happens next. */
async function startOne(dir: string, index: number, user: string, children: ChildProcess[], reap: boolean): Promise<SshdHost> {
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
    const args = ['-D', '-e', '-f', config];
    const child = reap
      ? spawn('/usr/bin/python3', ['-c', REAPER, SSHD, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
      : spawn(SSHD, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(child);
    child.stderr?.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-20_000);
    });
    let exited = false;
    child.on('exit', () => {
      exited = true;
    });
    const giveUp = () => (exited ? 'it exited' : undefined);
    const up = await eventually(() => sshBanner(port), `sshd's banner on port ${port}`, {
      timeoutMs: 15_000,
      everyMs: 50,
      giveUp,
    }).then(
      () => true,
      () => false,
    );
    if (up) {
      return {
        port,
        pid: child.pid ?? 0,
        hostKey,
        knownHostsLine: `[127.0.0.1]:${port} ${hostKey}`,
        log: () => log,
      };
    }
    if (!exited && child.pid) process.kill(child.pid, 'SIGTERM');
    if (attempt === 4) throw new Error(`sshd did not start on port ${port}: ${log}`);
  }
  throw new Error('unreachable');
}

/**
 * Starts `count` sshd instances on 127.0.0.1 (one per test "host"), each with its own host key, that
 * accept `user` (default chaoscat-test) with the fixture's client key. `stop()` is registered with
 * `deferCleanup`, so the sshd processes and the dir go after the test file even if it fails before
 * stopping them; and the sshd processes are also ended when this process exits. `reapOrphans`
 * runs each sshd under a subreaper that reaps orphans at once, as a host's init does (REAPER).
 */
export async function startSshd(count = 1, options: { user?: string; reapOrphans?: boolean } = {}): Promise<SshdFixture> {
  const user = options.user ?? TEST_USER;
  const reap = options.reapOrphans === true;
  ensureTestUser(user);
  // sshd refuses to start without its privilege separation directory.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = tempDir('chaoscat-sshd-');
  const children: ChildProcess[] = [];
  // A child without a pid never started (spawn failed): nothing to stop, and no 'exit' to wait for.
  const running = () => children.filter((c) => c.pid !== undefined && c.exitCode === null && c.signalCode === null);
  // An 'exit' listener cannot wait: it only signals, and only the sshd processes this fixture spawned.
  const onExit = () => {
    for (const child of running()) child.kill('SIGTERM');
  };
  process.once('exit', onExit);
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await Promise.all(
        running().map(
          (child) =>
            new Promise<void>((resolve) => {
              child.once('exit', () => resolve());
              child.kill('SIGTERM');
              setTimeout(() => {
                if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
              }, 3_000).unref();
            }),
        ),
      );
      process.off('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };
  deferCleanup(stop);

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
  const hosts: SshdHost[] = [];
  try {
    for (let i = 0; i < count; i++) hosts.push(await startOne(dir, i, user, children, reap));
  } catch (error) {
    await stop();
    throw error;
  }
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `${hosts.map((h) => h.knownHostsLine).join('\n')}\n`);
  return { dir, user, clientKey, strangerKey, knownHosts, hosts, workDir, stop };
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
    hostRunner: 'push',
    runnerPath: '/usr/local/libexec/chaoscat/chaoscat-host',
    runnerState: '/var/lib/chaoscat',
    ...overrides,
  };
}
