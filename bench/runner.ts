import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { SqliteStore } from '../src/adapters/sqlite/sqlite-store.js';
import { installScript } from '../src/adapters/ssh/host-runner.js';
import { createSshExecutor } from '../src/adapters/ssh/index.js';
import { attackEnv } from '../src/domain/attack-env.js';
import type { AttackDef, HostDef } from '../src/domain/model.js';
import { foundText } from '../src/words/host-ends.js';
import { canReapOrphans, canRunSshd, startSshd } from '../test/support/sshd.js';
import { benchBot, config, oneRun } from './halt.js';
import { type BenchRow, row } from './table.js';
import type { Workspace } from './workspace.js';

const HOSTS = 50;
const REPO = join(import.meta.dirname, '..');

/**
 * The same figures as the halt step's "one run over 50 hosts", with `ssh.hostRunner: installed`: the
 * runner installed (root-owned, in the workspace) and the test user's sudoers line naming it alone;
 * plus one host's dispatch including its pre-flight. Everything it installs goes at the end.
 */
export async function runRunnerBench(baseline: BenchRow['baseline'], ws: Workspace): Promise<BenchRow[]> {
  if (!canRunSshd())
    return [{ name: 'runner bench', unit: 'ms', samples: 0, median: null, p99: null, note: 'skipped: needs root and sshd' }];
  const fixture = await startSshd(HOSTS, { reapOrphans: canReapOrphans() && process.env.CHAOSCAT_BENCH_NO_REAP !== '1' });
  ws.defer(() => fixture.stop());
  const dir = mkdtempSync(join(ws.dir, 'runner-'));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'libexec'), { mode: 0o755 });
  const paths = { runner: join(dir, 'libexec', 'chaoscat', 'chaoscat-host'), state: join(dir, 'state') };
  const cfg = config(fixture, dir, { hostRunner: 'installed', runnerPath: paths.runner, runnerState: paths.state });
  const sudoers = `/etc/sudoers.d/chaoscat-bench-${process.pid}`;
  ws.defer(() => rmSync(sudoers, { force: true }));
  // The runner's parent cgroup, once empty (rmdir refuses otherwise).
  ws.defer(() => {
    for (const root of ['/sys/fs/cgroup', '/sys/fs/cgroup/unified']) {
      try {
        execFileSync('rmdir', [join(root, 'chaoscat')], { stdio: 'ignore' });
      } catch {
        /* not there, or in use */
      }
    }
  });
  execFileSync('/bin/sh', ['-c', installScript(paths, cfg.attacks, fixture.user, sudoers)], { stdio: 'ignore' });
  const store = new SqliteStore({ file: cfg.database, migrationsDir: join(REPO, 'migrations') });
  ws.defer(() => store.close());
  const clock = { now: () => Date.now() };
  const logger = pino({ level: 'silent' });
  const executor = createSshExecutor({ settings: cfg.ssh, logger, clock });
  const bot = benchBot(cfg, store, executor, clock, logger);
  let shutDown: Promise<void> | undefined;
  const shutdown = () => {
    shutDown ??= bot
      .shutdown('SIGTERM')
      .then(() => {})
      .finally(() => executor.close());
    return shutDown;
  };
  ws.defer(shutdown);
  try {
    const opts = baseline ? { baseline } : {};
    const rows = (await oneRun(bot, store, fixture, cfg.attacks[1] as AttackDef, baseline)).map((r) => ({
      ...r,
      name: `installed runner: ${r.name}`,
    }));
    // One host: pre-flight (the runner's own, which then waits) + start → the attack process running.
    const attack = cfg.attacks[0] as AttackDef;
    const host = cfg.hosts[0] as HostDef;
    const dispatch: number[] = [];
    for (let i = 0; i < 15; i++) {
      const id = `rb${process.pid}-${i}`;
      const job = {
        id,
        attack,
        host,
        durationMs: 60_000,
        env: attackEnv({ id, attack, host, durationMs: 60_000, botAddresses: [] }),
      };
      const t0 = performance.now();
      const pre = await executor.preflight(job);
      if (!pre.ok) throw new Error(`runner bench: ${pre.reason}`);
      const running = await executor.start(job);
      while (!existsSync(join(fixture.workDir, `halt.${id}`))) await new Promise((r) => setTimeout(r, 2));
      dispatch.push(performance.now() - t0);
      const result = await running.abort('bench');
      if (result.outcome !== 'reverted') throw new Error(`runner bench: ${foundText(result.found)}`);
      // Back in the pool once the attack's channel closed: the next dispatch reuses the connection.
      await running.done;
    }
    rows.push(
      row(
        'installed runner: dispatch including pre-flight on a kept connection, one host (goal median ≤ 0.5× the baseline)',
        'ms',
        dispatch,
        opts,
      ),
    );
    return rows;
  } finally {
    await shutdown();
    store.close();
    await fixture.stop();
    rmSync(sudoers, { force: true });
  }
}
