import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createdUsers, removeCreatedUsers, removeUser } from './test-user.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** This run's own temp directory; test/support/test-setup.ts makes it every worker's tmpdir(). */
    tmpRoot: string;
  }
}

/**
 * vitest `globalSetup`: one temp directory per run, `<tmpdir>/chaoscat-test-<pid>-XXXXXX`, under which
 * every temp dir of the run goes, removed when the run ends. The safety net behind cleanUp(): it also
 * catches temp dirs a test makes by itself and those of the bots it spawns. It removes only that
 * directory, which this run created, and the test users this run created (noted there by
 * `ensureTestUser` in test/support/sshd.ts, which many test files share).
 */
export default function setup(project: TestProject): () => Promise<void> {
  const root = mkdtempSync(join(tmpdir(), `chaoscat-test-${process.pid}-`));
  // sshd reads authorized_keys from a directory under here as the unprivileged test user.
  chmodSync(root, 0o755);
  const started = Date.now();
  const remove = () => {
    rmSync(root, { recursive: true, force: true });
    removeAttackDirs(started);
  };
  // On SIGINT or SIGTERM vitest exits without running teardowns; 'exit' still fires, but cannot wait.
  const onExit = () => {
    try {
      for (const user of createdUsers(root)) removeUser(user);
    } finally {
      remove();
    }
  };
  process.once('exit', onExit);
  project.provide('tmpRoot', root);
  return async () => {
    process.off('exit', onExit);
    try {
      await removeCreatedUsers(root);
    } finally {
      remove();
    }
  };
}

/**
 * The attacks' own directories on the test hosts (this machine): `/tmp/chaoscat-<attack id>`, which a
 * halt or a failed rollback leaves behind by design (a person runs its manual.sh). Only those this
 * run made: an attack's files (env.sh) in a directory changed since the run started.
 */
function removeAttackDirs(since: number): void {
  let names: string[];
  try {
    names = readdirSync('/tmp');
  } catch {
    return;
  }
  for (const name of names) {
    if (!/^chaoscat-[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name) || /^chaoscat-(test|bench)-/.test(name)) continue;
    const dir = join('/tmp', name);
    try {
      const st = statSync(dir);
      if (!st.isDirectory() || st.mtimeMs < since - 1_000) continue;
      if (!existsSync(join(dir, 'env.sh')) && !existsSync(join(dir, 'manual.sh'))) continue;
      rmSync(dir, { recursive: true, force: true });
    } catch {
      /* gone meanwhile, or not ours to read */
    }
  }
}
