import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';

/**
 * What a test file leaves behind: temp dirs, processes, servers. Helpers register here; the setup
 * file (test/support/test-setup.ts) calls `cleanUp()` after each test file, passed or failed. Nothing
 * in this module imports vitest, so the bench can use the same helpers.
 */

type Cleanup = () => void | Promise<void>;

const dirs = new Set<string>();
const cleanups: Cleanup[] = [];

/**
 * Creates `<tmpdir>/<prefix>XXXXXX` (mode 700) and records it for `cleanUp()`. Under vitest, tmpdir()
 * is the run's own directory (test/support/global-setup.ts), so even a missed one goes at the end.
 */
export function tempDir(prefix = 'chaoscat-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

/** Runs `fn` at the next `cleanUp()`, before the temp dirs go (a process may still write into one). */
export function deferCleanup(fn: Cleanup): void {
  cleanups.push(fn);
}

/**
 * Runs the deferred cleanups last-in-first-out, then removes every dir `tempDir` made, and only
 * those. Every step runs even if one fails; the failures are thrown together at the end.
 */
export async function cleanUp(): Promise<void> {
  const errors: unknown[] = [];
  for (let fn = cleanups.pop(); fn; fn = cleanups.pop()) {
    try {
      await fn();
    } catch (error) {
      errors.push(error);
    }
  }
  // Linux removes open files too; the warning points at the store or stream a test forgot to close.
  const held = openFilesUnder([...dirs]);
  if (held.length > 0) console.warn(`left open by the test file, removed anyway:\n  ${held.join('\n  ')}`);
  for (const dir of dirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch (error) {
      errors.push(error);
    }
    dirs.delete(dir);
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'cleanup failed');
}

/** Files this process holds open under `roots` (Linux /proc); a SQLite store not closed shows here. */
export function openFilesUnder(roots: readonly string[]): string[] {
  if (roots.length === 0) return [];
  let fds: string[];
  try {
    fds = readdirSync('/proc/self/fd');
  } catch {
    return [];
  }
  const held = new Set<string>();
  for (const fd of fds) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue;
    }
    if (roots.some((root) => target.startsWith(root + sep))) held.add(target);
  }
  return [...held].sort();
}
