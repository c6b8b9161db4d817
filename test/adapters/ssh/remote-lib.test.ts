import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REMOTE_LIB } from '../../../src/adapters/ssh/remote-lib.js';
import { deferCleanup, tempDir } from '../../support/cleanup.js';
import { eventually } from '../../support/eventually.js';
import { attackProcesses, readProc } from './helpers.js';

/**
 * The host-side shell that finds and stops an attack's processes (remote-lib.ts), run here with
 * /bin/sh on this machine: an "attack" is a session of its own with the marker in its environment,
 * whose processes stay in its group, leave it (setsid) or drop the marker (env -i).
 */

let seq = 0;
const started: number[] = [];

afterEach(() => {
  // Anything a failed test left: only the processes these tests started, by pid.
  for (const pid of started.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

interface FakeAttack {
  readonly id: string;
  readonly pgid: number;
  readonly dir: string;
  /** Pids the attack wrote to files, by name. */
  pid(name: string): number;
}

async function startAttack(script: string, files: string[]): Promise<FakeAttack> {
  seq += 1;
  const id = `libtest${process.pid}-${seq}`;
  const dir = tempDir('chaoscat-lib-');
  const child = spawn('/bin/sh', ['-c', script], {
    cwd: dir,
    detached: true,
    stdio: 'ignore',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', CHAOSCAT_RUN: id },
  });
  const pgid = child.pid as number;
  started.push(pgid);
  child.unref();
  await eventually(
    () => files.every((f) => existsSync(join(dir, f)) && readFileSync(join(dir, f), 'utf8').trim() !== ''),
    `the fake attack to write ${files.join(', ')}`,
    { timeoutMs: 10_000 },
  );
  return { id, pgid, dir, pid: (name) => Number(readFileSync(join(dir, name), 'utf8').trim()) };
}

/** Runs a piece of the library with the attack's id and pgid set; stdout and exit status. */
function lib(attack: FakeAttack, body: string): { out: string; status: number } {
  const file = join(attack.dir, 'lib.sh');
  writeFileSync(file, REMOTE_LIB);
  try {
    const out = execFileSync('/bin/sh', ['-c', `CC_ID='${attack.id}'\nCC_PGID='${attack.pgid}'\n. ${file}\n${body}`], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    });
    return { out, status: 0 };
  } catch (error) {
    const e = error as { stdout?: string; status?: number };
    return { out: e.stdout ?? '', status: e.status ?? -1 };
  }
}

const alive = (pid: number) => {
  const p = readProc(String(pid));
  return p !== null && p.state !== 'Z';
};

/** The process group of a live process, from /proc (after `setsid` in a child, it changes a moment later). */
const groupOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[2]);

/** Until the `setsid` child has left the attack's group: it runs in the child after the fork. */
async function leftGroup(pid: number, pgid: number): Promise<void> {
  await eventually(() => groupOf(pid) !== pgid, `pid ${pid} to leave group ${pgid}`, { timeoutMs: 10_000 });
}

describe('remote shell library: finding and stopping an attack', () => {
  it('stops every process of the attack: in its group, left the group with the marker, in the group without the marker', async () => {
    const attack = await startAttack(
      [
        'sleep 30 & echo $! > in-group',
        'env -i /bin/sleep 31 & echo $! > no-marker',
        'setsid sleep 32 & echo $! > left-group',
        'sleep 33',
      ].join('\n'),
      ['in-group', 'no-marker', 'left-group'],
    );
    const pids = ['in-group', 'no-marker', 'left-group'].map((f) => attack.pid(f));
    await leftGroup(attack.pid('left-group'), attack.pgid);
    const live = lib(attack, 'cc_live').out;
    // Each is found, by the way that can see it.
    expect(live).toContain(`g ${attack.pid('no-marker')}\n`);
    expect(live).toContain(`m ${attack.pid('left-group')}\n`);
    expect(live).not.toContain(`g ${attack.pid('left-group')}\n`);
    expect(live).toContain(`g ${attack.pid('in-group')}\n`);
    for (const pid of pids) deferCleanup(() => void (alive(pid) && process.kill(pid, 'SIGKILL')));

    const stop = lib(attack, 'cc_stop; echo "stopped=$?"');
    expect(stop.out).toContain('stopped=0');
    expect(pids.filter(alive)).toEqual([]);
    expect(attackProcesses(attack.id, attack.pgid)).toEqual([]);
    expect(lib(attack, 'cc_live').out).toBe('');
    expect(lib(attack, 'cc_members | wc -l').out.trim()).toBe('0');
  });

  it('does not take a stranger for the attack: an environment entry shaped like a stat line, a name shaped like one', async () => {
    const attack = await startAttack('sleep 30 & echo $! > in-group\nsleep 31', ['in-group']);
    const dir = attack.dir;
    // A process outside the group whose name reads ") S 1 <pgid> " and whose environment has an
    // entry shaped like a stat line of the group: neither makes it the attack's.
    const fakeName = join(dir, `x) S 1 ${attack.pgid} `);
    symlinkSync('/bin/sleep', fakeName);
    const stranger = spawn(fakeName, ['30'], {
      detached: true,
      stdio: 'ignore',
      env: { PATH: '/usr/bin:/bin', [`9 (y) S 1 ${attack.pgid} 0`]: '' },
    });
    const strangerPid = stranger.pid as number;
    started.push(strangerPid);
    stranger.unref();
    const live = lib(attack, 'cc_live').out;
    expect(live).toContain(`g ${attack.pid('in-group')}\n`);
    expect(live).not.toContain(` ${strangerPid}\n`);
    expect(lib(attack, 'cc_stop; echo "stopped=$?"').out).toContain('stopped=0');
    expect(alive(strangerPid)).toBe(true);
    process.kill(strangerPid, 'SIGKILL');
  });

  it("takes a recorded pgid as the attack's only when a marked process of the attack is in that group", async () => {
    const attack = await startAttack('sleep 30 & echo $! > in-group\nsleep 31', ['in-group']);
    expect(lib(attack, 'cc_owns_group && echo owns').out).toBe('owns\n');
    // Another group (a recycled pgid): processes in it, none carrying this attack's marker.
    const other = spawn('/bin/sh', ['-c', 'sleep 30'], { detached: true, stdio: 'ignore', env: { PATH: '/usr/bin:/bin' } });
    const otherPgid = other.pid as number;
    started.push(otherPgid);
    other.unref();
    const body = `CC_PGID='${otherPgid}'\ncc_owns_group && echo owns || echo not`;
    expect(lib(attack, body).out).toBe('not\n');
    // Nor does another attack's marker make it this one's.
    const marked = await startAttack('sleep 30 & echo $! > in-group\nsleep 31', ['in-group']);
    expect(lib(attack, `CC_PGID='${marked.pgid}'\ncc_owns_group && echo owns || echo not`).out).toBe('not\n');
    expect(lib(marked, 'cc_owns_group && echo owns').out).toBe('owns\n');
  });

  it('a group that is gone is looked for by its marker alone', async () => {
    const attack = await startAttack('setsid sleep 30 & echo $! > left-group\nexit 0', ['left-group']);
    const left = attack.pid('left-group');
    // Until the group is gone and the child has left it: `setsid` runs in the child after the fork,
    // so for a moment it is still in the attack's group (then cc_live rightly says "g").
    await eventually(() => !alive(attack.pgid) && groupOf(left) !== attack.pgid, 'the group to be gone and the child out of it', {
      timeoutMs: 10_000,
    });
    expect(lib(attack, 'cc_live').out).toBe(`m ${left}\n`);
    expect(lib(attack, 'cc_stop; echo "stopped=$?"').out).toContain('stopped=0');
    expect(alive(left)).toBe(false);
  });
});
