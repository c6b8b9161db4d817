import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { attackEnv } from '../../../src/domain/attack-env.js';
import type { AttackDef, HostDef } from '../../../src/domain/model.js';
import type { Clock } from '../../../src/ports/clock.js';
import type { AttackJob, OrphanJob } from '../../../src/ports/executor.js';
import type { SshdFixture } from '../../support/sshd.js';

export { settingsFor } from '../../support/sshd.js';

export const quietLogger = pino({ level: process.env.CHAOSCAT_TEST_LOG ?? 'silent' });
export const realClock: Clock = { now: () => Date.now() };

export function hostFor(fixture: SshdFixture, index: number, overrides: Partial<HostDef> = {}): HostDef {
  const host = fixture.hosts[index];
  if (!host) throw new Error(`no sshd #${index}`);
  return { name: `host-${index}`, address: '127.0.0.1', port: host.port, tags: [], vars: {}, ...overrides };
}

let seq = 0;
/** Unique per run and per test file, so parallel files never share an attack id on this one machine. */
export function newId(): string {
  seq += 1;
  return `t${process.pid}-${Date.now().toString(36)}-${seq}`;
}

/**
 * A harmless attack that leaves traces the test can see: started.<id> when it runs and rollback.<id>
 * (one line per rollback run) when it is undone. It keeps a child busy so the group has several members.
 */
export function traceAttack(dir: string, overrides: Partial<AttackDef> = {}): AttackDef {
  return {
    name: 'trace',
    description: 'test attack that leaves traces',
    weight: 1,
    durationMs: 3_000,
    targets: [],
    requires: [],
    sudo: false,
    params: { DIR: dir },
    hostVars: [],
    run: [
      'echo "started $CHAOSCAT_ATTACK_ID"',
      'touch "$CHAOSCAT_PARAM_DIR/started.$CHAOSCAT_ATTACK_ID"',
      'sleep 600 &',
      'sleep 600',
    ].join('\n'),
    rollback: 'echo rolled >> "$CHAOSCAT_PARAM_DIR/rollback.$CHAOSCAT_ATTACK_ID"; echo "rollback done"',
    file: 'test',
    probes: [],
    recoveryMs: null,
    abortOnDeviation: false,
    ...overrides,
  };
}

const BOT_ADDRESSES = ['192.0.2.10'];

export function jobFor(id: string, attack: AttackDef, host: HostDef, durationMs = attack.durationMs): AttackJob {
  return { id, attack, host, durationMs, env: attackEnv({ id, attack, host, durationMs, botAddresses: BOT_ADDRESSES }) };
}

/** An orphan as the app records it: its environment built by the same domain builder as a live attack's. */
export function orphanFor(
  id: string,
  attack: AttackDef | null,
  host: HostDef,
  remotePgid: number | null,
  deadlineAt = 0,
): OrphanJob {
  const durationMs = attack?.durationMs ?? 60_000;
  return {
    id,
    attack,
    host,
    remotePgid,
    deadlineAt,
    env: attackEnv({ id, attack, host, durationMs, botAddresses: BOT_ADDRESSES }),
  };
}

interface Proc {
  readonly pid: number;
  readonly pgid: number;
  readonly state: string;
}

export function readProc(pid: string): Proc | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const rest = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    return { pid: Number(pid), state: rest[0] ?? '', pgid: Number(rest[2]) };
  } catch {
    return null;
  }
}

/** Live (not zombie) processes of an attack on this machine: marked with its id, or in its group. */
export function attackProcesses(id: string, pgid: number | null = null): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const proc = readProc(entry);
    if (!proc || proc.state === 'Z') continue;
    if (pgid !== null && proc.pgid === pgid) {
      found.push(proc.pid);
      continue;
    }
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0');
      if (environ.includes(`CHAOSCAT_RUN=${id}`)) found.push(proc.pid);
    } catch {
      /* gone */
    }
  }
  return found;
}

export interface Pasted {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command line as a person pastes it into a terminal (`sh -c`, the line untouched), where
 * `ssh` is OpenSSH's client given the fixture's key and known_hosts with -F (strict host key
 * checking, no prompts), as an operator's ~/.ssh/config would. Also the hops of `-J` go through it.
 */
export async function runPasted(fixture: SshdFixture, line: string, shell = '/bin/sh'): Promise<Pasted> {
  const dir = mkdtempSync(join(tmpdir(), 'chaoscat-pasted-'));
  try {
    const config = join(dir, 'config');
    writeFileSync(
      config,
      [
        `IdentityFile ${fixture.clientKey}`,
        'IdentitiesOnly yes',
        `UserKnownHostsFile ${fixture.knownHosts}`,
        'GlobalKnownHostsFile /dev/null',
        'StrictHostKeyChecking yes',
        'BatchMode yes',
        'ConnectTimeout 10',
        'LogLevel ERROR',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    writeFileSync(join(dir, 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F '${config}' "$@"\n`, { mode: 0o755 });
    return await new Promise<Pasted>((resolve, reject) => {
      const child = spawn(shell, ['-c', line], {
        env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}` },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', reject);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr });
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How the ssh tests poll a host: a check may start a process (pgrep), so every 50 ms, for up to 30 s. */
export const ON_HOST = { timeoutMs: 30_000, everyMs: 50 } as const;

/** A loopback TCP relay in front of an sshd, so a test can cut or freeze the bot's connection. */
export class TcpProxy {
  private constructor(
    private readonly server: Server,
    private readonly sockets: Set<Socket>,
    private readonly state: { holdHostSide: boolean; accepted: number },
    readonly port: number,
  ) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const sockets = new Set<Socket>();
    const state = { holdHostSide: false, accepted: 0 };
    const server = createServer((client) => {
      state.accepted += 1;
      const upstream = connect(targetPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => {});
        s.on('close', () => sockets.delete(s));
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => {
        if (!state.holdHostSide) upstream.destroy();
      });
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return new TcpProxy(server, sockets, state, typeof address === 'object' && address ? address.port : 0);
  }

  get connections(): number {
    return this.sockets.size;
  }

  /** How many connections the proxy has accepted so far. */
  get accepted(): number {
    return this.state.accepted;
  }

  /** Stops accepting and destroys every relayed connection: both ends see the connection drop. */
  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  /**
   * Stops relaying without closing anything: the host sees a silent, still-open connection. With
   * `holdHostSide`, the host's side stays open even after the bot's side closes (a half-dead link),
   * while new connections are still relayed.
   */
  freeze(options: { holdHostSide?: boolean } = {}): void {
    if (options.holdHostSide) this.state.holdHostSide = true;
    for (const s of this.sockets) {
      s.unpipe();
      s.pause();
    }
  }

  async close(): Promise<void> {
    if (this.server.listening) await this.cut();
    for (const s of this.sockets) s.destroy();
  }
}
