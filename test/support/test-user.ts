import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from './eventually.js';
import { createdUsersFile, uidOf } from './sshd.js';

/**
 * Removes, with `userdel -r`, the users this run created, once no process runs as them: the last
 * sshd sessions may take `graceMs` to end. A process still running as one after that is not ours to
 * kill (the tests end what they start): the user stays, with a warning naming the processes.
 */
export async function removeCreatedUsers(root: string, graceMs = 10_000): Promise<void> {
  const deadline = Date.now() + graceMs;
  for (const user of createdUsers(root)) await removeUserWhenIdle(user, deadline);
}

/**
 * `removeUser` once no process runs as `user`, waiting until `deadline` at most: the last sshd
 * sessions take a moment to end, and an orphaned attack process stays a zombie until init reaps it
 * (on some machines a second or two later).
 */
export async function removeUserWhenIdle(user: string, deadline = Date.now() + 10_000): Promise<void> {
  const uid = uidOf(user);
  if (uid !== undefined) {
    const timeoutMs = Math.max(0, deadline - Date.now());
    // Still busy after that: removeUser leaves the user, with a warning naming the processes.
    await eventually(() => processesOf(uid).length === 0, `no process to run as ${user}`, { timeoutMs, everyMs: 100 }).catch(
      () => {},
    );
  }
  removeUser(user);
}

export function createdUsers(root: string): string[] {
  let text: string;
  try {
    text = readFileSync(createdUsersFile(root), 'utf8');
  } catch {
    return [];
  }
  return [...new Set(text.split('\n').filter(Boolean))];
}

export function removeUser(user: string): void {
  const uid = uidOf(user);
  if (uid === undefined) return;
  const left = processesOf(uid);
  if (left.length > 0) {
    console.warn(
      `WARNING: test user ${user}, created by this run, NOT removed: processes still run as it, and the tests kill only what they started:\n  ${left.join('\n  ')}\nEnd them, then run: userdel -r ${user}`,
    );
    return;
  }
  try {
    execFileSync('userdel', ['-r', user], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    // userdel -r also fails (exit 12) when the user went but had no home or mail spool: gone is what counts.
    if (uidOf(user) !== undefined) {
      const why = String((error as { stderr?: unknown }).stderr ?? error).trim();
      console.warn(`WARNING: test user ${user}, created by this run, NOT removed: userdel -r failed: ${why}`);
      return;
    }
  }
  const rules = sudoersRulesFor(user);
  if (rules.length > 0) {
    console.warn(
      `WARNING: test user ${user} removed, but sudoers still grants that name (a later user called so would get it):\n  ${rules.join('\n  ')}`,
    );
  }
}

/** `pid command` of every process whose real, effective, saved or fs uid is `uid` (Linux /proc). */
function processesOf(uid: number): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const uids = /^Uid:\s+(.+)$/m.exec(status)?.[1]?.split(/\s+/).map(Number) ?? [];
      if (!uids.includes(uid)) continue;
      found.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()}`);
    } catch {
      // Ended while we looked.
    }
  }
  return found;
}

/** `file: line` for each /etc/sudoers.d line that grants `user` something. */
function sudoersRulesFor(user: string): string[] {
  const dir = '/etc/sudoers.d';
  try {
    return readdirSync(dir).flatMap((file) =>
      readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .filter((line) => line.trim().split(/\s+/)[0] === user)
        .map((line) => `${join(dir, file)}: ${line}`),
    );
  } catch {
    return [];
  }
}
