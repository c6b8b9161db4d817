import { chmodSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';

type Cleanup = () => void | Promise<void>;

/** How long a signal waits for the deferred cleanups (stopping sshd, reverting attacks) before it exits anyway. */
const SIGNAL_GRACE_MS = 30_000;

/**
 * The bench's scratch space: one temp dir, `<tmpdir>/chaoscat-bench-<pid>-XXXXXX`, for every database
 * and file of the run, removed by `close()` — and on SIGINT or SIGTERM, or any other exit, which would
 * skip the callers' `finally` blocks.
 */
export interface Workspace {
  readonly dir: string;
  /** Where the databases live, e.g. `ext4 (/dev/vda)`: SQLite figures depend on it. */
  readonly fileSystem: string;
  /** tmpdir() as it was before `openWorkspace` pointed it into the workspace. */
  readonly callerTmpdir: string;
  /** Runs `fn` before the dir is removed (last in, first out), also when the bench is interrupted. */
  defer(fn: Cleanup): void;
  /** Runs the deferred cleanups and removes the dir. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Opens the workspace and makes it this process's tmpdir(), so what a helper makes there by itself
 * (the sshd fixture's keys and logs) goes too.
 */
export function openWorkspace(): Workspace {
  const callerTmpdir = tmpdir();
  const dir = mkdtempSync(join(callerTmpdir, `chaoscat-bench-${process.pid}-`));
  // sshd reads authorized_keys from a directory under here as the unprivileged test user.
  chmodSync(dir, 0o755);
  process.env.TMPDIR = dir;

  const cleanups: Cleanup[] = [];
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const errors: unknown[] = [];
      for (let fn = cleanups.pop(); fn; fn = cleanups.pop()) {
        try {
          await fn();
        } catch (error) {
          errors.push(error);
        }
      }
      removeDir();
      process.off('exit', removeDir);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.env.TMPDIR = callerTmpdir;
      if (errors.length > 0) throw new AggregateError(errors, 'bench cleanup failed');
    })();
    return closing;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`bench: ${signal}, cleaning up ${dir}…\n`);
    // A second signal exits at once; the 'exit' listener still removes the dir.
    process.once(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
    const grace = setTimeout(() => process.exit(1), SIGNAL_GRACE_MS);
    close().then(
      () => process.exit(signal === 'SIGINT' ? 130 : 143),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
    grace.unref();
  };
  process.once('exit', removeDir);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  return {
    dir,
    fileSystem: fileSystemOf(dir),
    callerTmpdir,
    defer: (fn) => {
      cleanups.push(fn);
    },
    close,
  };
}

/** The type and source of the mount `path` is on, from /proc/self/mountinfo; `unknown` elsewhere. */
export function fileSystemOf(path: string): string {
  try {
    const real = realpathSync(path);
    let best: { point: string; type: string; source: string } | undefined;
    for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
      // id parent major:minor root mount-point options [optional…] - type source super-options
      const [left, right] = line.split(' - ');
      const point = left?.split(' ')[4]?.replace(/\\040/g, ' ');
      const [type, source] = right?.split(' ') ?? [];
      if (!point || !type) continue;
      const contains = point === '/' || real === point || real.startsWith(point + sep);
      if (contains && (!best || point.length >= best.point.length)) best = { point, type, source: source ?? '?' };
    }
    return best ? `${best.type} (${best.source})` : 'unknown';
  } catch {
    return 'unknown';
  }
}
