import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from './eventually.js';

/**
 * A small real service on the test "host" (this machine, behind the sshd fixture), run as the
 * fixture's user so an attack over SSH may kill it: a `sleep <unique number>` whose whole command
 * line is its marker, and whose PID is kept in a pid file the attack reads. Optionally under a
 * supervisor loop that starts it again some seconds after it dies.
 */
export interface HostService {
  /** The service's whole command line, e.g. `sleep 9012345671`. */
  readonly marker: string;
  /** Holds the PID of the service (rewritten at every restart). */
  readonly pidFile: string;
  /** argv of a `command` probe that passes while the service runs. */
  readonly probe: readonly string[];
  /** PIDs of the service processes running now. */
  pids(): number[];
  /** Kills, by PID, the supervisor and every process of its process group. Safe to call twice. */
  stop(): Promise<void>;
}

export interface ServiceOptions {
  /** A directory the user may write in (the pid file goes there). */
  readonly dir: string;
  readonly user: string;
  /** When set, a supervisor loop restarts the service this many seconds after it dies. */
  readonly restartAfterS?: number;
}

let started = 0;

const PLAIN = 'echo $$ > "$1"; exec sleep "$2"';
const SUPERVISED = 'while :; do sleep "$2" & echo $! > "$1"; wait $!; sleep "$3"; done';

export function startService(options: ServiceOptions): HostService {
  const seconds = `9${String(process.pid).padStart(7, '0')}${started++ % 10}`;
  const marker = `sleep ${seconds}`;
  const pidFile = join(options.dir, `service-${seconds}.pid`);
  const script = options.restartAfterS === undefined ? PLAIN : SUPERVISED;
  const child = spawn('/bin/sh', ['-c', script, 'service', pidFile, seconds, String(options.restartAfterS ?? 0)], {
    cwd: options.dir,
    uid: idOf('-u', options.user),
    gid: idOf('-g', options.user),
    // Its own process group: the processes it starts are found, and killed, by that group.
    detached: true,
    stdio: 'ignore',
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
  });
  const leader = child.pid;
  if (leader === undefined) throw new Error(`could not start the service ${marker}`);
  let stopping: Promise<void> | undefined;
  return {
    marker,
    pidFile,
    probe: ['pgrep', '-u', options.user, '-x', '-f', marker],
    pids: () => pgrep(options.user, marker),
    stop: () => {
      stopping ??= stopGroup(child, leader);
      return stopping;
    },
  };
}

function idOf(flag: '-u' | '-g', user: string): number {
  return Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim());
}

function pgrep(user: string, marker: string): number[] {
  try {
    return execFileSync('pgrep', ['-u', user, '-x', '-f', marker], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // exit 1: none
  }
}

/** Live (not zombie) processes whose process group is `pgid`. */
function groupMembers(pgid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      // After "(comm) ": state, ppid, pgrp.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') found.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

function killPid(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

async function stopGroup(child: ChildProcess, leader: number): Promise<void> {
  // The leader (supervisor or plain service) first, so that nothing is started again meanwhile.
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    killPid(leader);
    await exited;
  }
  await eventually(
    () => {
      const left = groupMembers(leader);
      if (left.length === 0) return true;
      for (const pid of left) killPid(pid);
      throw new Error(`still running: ${left.join(', ')}`);
    },
    'the service processes to end',
    { timeoutMs: 5_000, everyMs: 20 },
  );
}
