import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, rmSync, statfsSync, statSync, writeSync } from 'node:fs';
import { eventually } from './eventually.js';

/**
 * What the lifecycle e2e tests look at on the "host" (this machine, behind the sshd fixture): the
 * processes of an attack, found by the markers the wrapper puts in their initial environment
 * (CHAOSCAT_WRAPPER=<id>, CHAOSCAT_RUN=<id>); freezing them by PID; and a small tmpfs to fill.
 */

export interface Proc {
  readonly pid: number;
  readonly ppid: number;
  readonly uid: number;
  /** One letter: R, S, T (stopped), Z... */
  readonly state: string;
  /** Start time in clock ticks since boot: with the pid, names one process even if pids recycle. */
  readonly start: string;
  readonly cmd: string;
}

export function readProc(pid: number): Proc | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Fields after "(comm) ": state is field 3, ppid 4, starttime 22.
    const f = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    return {
      pid,
      ppid: Number(f[1]),
      uid: statSync(`/proc/${pid}`).uid,
      state: f[0] ?? '',
      start: f[19] ?? '',
      cmd: readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ').trim(),
    };
  } catch {
    return null; // gone meanwhile
  }
}

function environ(pid: string): string[] {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
  } catch {
    return [];
  }
}

/** Live (not zombie) processes whose initial environment holds a variable that matches. */
export function processesWith(match: (variable: string) => boolean): Proc[] {
  const found: Proc[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || !environ(entry).some(match)) continue;
    const proc = readProc(Number(entry));
    if (proc && proc.state !== 'Z') found.push(proc);
  }
  return found;
}

/** The processes an attack started on the host (the wrapper marks each with CHAOSCAT_RUN=<id>). */
export function attackProcesses(remoteId: string): Proc[] {
  return processesWith((v) => v === `CHAOSCAT_RUN=${remoteId}`);
}

/** The distinct attack ids of processes of `uid` running now, among ids starting with `prefix`. */
export function runningAttackIds(uid: number, prefix: string): string[] {
  const ids = new Set<string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const mark = environ(entry).find((v) => v.startsWith(`CHAOSCAT_RUN=${prefix}`));
    const proc = mark ? readProc(Number(entry)) : null;
    if (mark && proc && proc.uid === uid && proc.state !== 'Z') ids.add(mark.slice('CHAOSCAT_RUN='.length));
  }
  return [...ids];
}

export function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
}

/**
 * Stops processes with SIGSTOP, by PID, and continues exactly those with SIGCONT: a PID whose start
 * time changed is another process by now and is left alone.
 */
export class Freezer {
  private readonly frozen: Proc[] = [];

  /** Stops each process (one that already ended is skipped) and waits until the kernel shows it stopped. */
  async freeze(procs: readonly Proc[], timeoutMs = 5_000): Promise<void> {
    const stopped: Proc[] = [];
    for (const p of procs) {
      try {
        process.kill(p.pid, 'SIGSTOP');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ESRCH') continue;
        throw error;
      }
      this.frozen.push(p);
      stopped.push(p);
    }
    const moving = (p: Proc) => {
      const now = readProc(p.pid);
      return now !== null && now.start === p.start && now.state !== 'T' && now.state !== 'Z';
    };
    await eventually(
      () => {
        const left = stopped.filter(moving);
        if (left.length > 0) throw new Error(`not stopped yet: ${left.map((p) => `pid ${p.pid} (${p.cmd})`).join(', ')}`);
        return true;
      },
      'the kernel to show the processes stopped',
      { timeoutMs, everyMs: 5 },
    );
  }

  /**
   * Stops every process `find` returns, again and again until it finds no running one: a process
   * forked meanwhile is caught on the next round, and a stopped parent forks no more.
   */
  async freezeAll(find: () => Proc[], timeoutMs = 5_000): Promise<void> {
    await eventually(
      async () => {
        const running = find().filter((p) => p.state !== 'T');
        if (running.length === 0) return true;
        await this.freeze(running, timeoutMs);
        throw new Error(`just frozen, looking again: ${running.map((p) => p.pid).join(', ')}`);
      },
      'every process to be frozen',
      { timeoutMs, everyMs: 0 },
    );
  }

  /** SIGCONT to every process this freezer stopped that still is that process. Safe to call twice. */
  thaw(): void {
    for (const p of this.frozen.splice(0).reverse()) {
      const now = readProc(p.pid);
      if (!now || now.start !== p.start) continue;
      try {
        process.kill(p.pid, 'SIGCONT');
      } catch {
        /* ended meanwhile */
      }
    }
  }
}

const TMPFS_MAGIC = 0x01021994;

/** Mounts a tmpfs of `size` on `dir` (root only); false when this machine does not allow it. */
export function mountTmpfs(dir: string, size = '1m'): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** Whether `dir` is a tmpfs of at most 4 MiB: the only place a test may write until the disk is full. */
export function isSmallTmpfs(dir: string): boolean {
  const fs = statfsSync(dir);
  return fs.type === TMPFS_MAGIC && fs.blocks * fs.bsize <= 4 * 1024 * 1024;
}

/** Unmounts what mountTmpfs mounted (lazily if something still holds it). */
export function unmountTmpfs(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'pipe' });
  } catch {
    execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
  }
}

/** Writes `file` until the small tmpfs under it is full (ENOSPC); returns the bytes written. */
export function fillUntilFull(dir: string, file: string): number {
  if (!isSmallTmpfs(dir)) throw new Error(`${dir} is not a small tmpfs: refusing to fill it`);
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(4096, 0x5a);
  let written = 0;
  try {
    for (;;) {
      try {
        written += writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOSPC') return written;
        throw error;
      }
    }
  } finally {
    closeSync(fd);
  }
}

export function freeSpace(file: string): void {
  rmSync(file, { force: true });
}
