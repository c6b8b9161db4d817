/**
 * Where the runner lives on a host: its path and its state directory, checked plain because both
 * are baked into a root-owned script and a sudoers line. The install, the bundle and the script
 * (host-runner-script.ts) read them from here.
 */
export const DEFAULT_RUNNER_PATH = '/usr/local/libexec/chaoscat/chaoscat-host';
export const DEFAULT_RUNNER_STATE = '/var/lib/chaoscat';

export interface RunnerPaths {
  /** Absolute path of the runner; its attacks live in `<dirname>/attacks/<name>/`. */
  readonly runner: string;
  /** Root-owned directory of one sub-directory per attack in flight or not yet rolled back. */
  readonly state: string;
}

/** Absolute, plain paths only: they are baked into a root-owned script and a sudoers line. */
const PLAIN_PATH = /^\/[A-Za-z0-9_./-]*$/;

export function checkRunnerPaths(paths: RunnerPaths): RunnerPaths {
  for (const [what, path] of Object.entries(paths)) {
    if (!PLAIN_PATH.test(path) || path.includes('/../') || path.endsWith('/..') || path.endsWith('/')) {
      throw new Error(`ssh runner ${what} path "${path}" must be an absolute path of plain characters`);
    }
  }
  return paths;
}

export function runnerHome(paths: RunnerPaths): string {
  return paths.runner.slice(0, paths.runner.lastIndexOf('/')) || '/';
}
