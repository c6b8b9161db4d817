import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { createSshExecutor } from '../src/adapters/ssh/index.js';
import { attackEnv } from '../src/domain/attack-env.js';
import type { AttackDef, HostDef } from '../src/domain/model.js';
import type { AttackJob, Executor, RunningAttack } from '../src/ports/executor.js';
import { foundText } from '../src/words/host-ends.js';
import { canReapOrphans, canRunSshd, type SshdFixture, settingsFor, startSshd } from '../test/support/sshd.js';
import { benchFloor } from './floor.js';
import { type BenchRow, renderTable, row } from './table.js';
import { openWorkspace, type Workspace } from './workspace.js';

/** One sshd per host: the 50-host rows put one attack on each. */
const HOSTS = 50;
const DISPATCH_RUNS = 15;
const HALT_ONE_RUNS = 10;
const HALT_TEN_RUNS = 5;
const FLEET_RUNS = 5;

/** A harmless attack shaped like the real ones: a marker file undone by the rollback, two processes. */
function benchAttack(dir: string): AttackDef {
  return {
    name: 'bench-sleeper',
    description: 'bench',
    weight: 1,
    durationMs: 60_000,
    targets: [],
    requires: [],
    sudo: false,
    params: { DIR: dir },
    hostVars: [],
    run: 'touch "$CHAOSCAT_PARAM_DIR/mark.$CHAOSCAT_ATTACK_ID"; sleep 600 & sleep 600',
    rollback: 'rm -f "$CHAOSCAT_PARAM_DIR/mark.$CHAOSCAT_ATTACK_ID"',
    file: 'bench',
    probes: [],
    recoveryMs: null,
    abortOnDeviation: false,
  };
}

let seq = 0;
function job(fixture: SshdFixture, hostIndex: number, durationMs: number): AttackJob {
  seq += 1;
  const id = `bench${process.pid}-${Date.now().toString(36)}-${seq}`;
  const attack = benchAttack(fixture.workDir);
  const host: HostDef = {
    name: `bench-${hostIndex}`,
    address: '127.0.0.1',
    port: fixture.hosts[hostIndex]?.port ?? 22,
    tags: [],
    vars: {},
  };
  return { id, attack, host, durationMs, env: attackEnv({ id, attack, host, durationMs, botAddresses: [] }) };
}

/** OpenSSH's `ssh HOST true`, same key, same known_hosts, strict checking: the baseline. */
function sshTrue(fixture: SshdFixture, port: number): Promise<number> {
  const args = [
    '-i',
    fixture.clientKey,
    '-o',
    `UserKnownHostsFile=${fixture.knownHosts}`,
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'IdentitiesOnly=yes',
    '-F',
    '/dev/null',
    '-p',
    String(port),
    `${fixture.user}@127.0.0.1`,
    'true',
  ];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('ssh', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(performance.now() - started) : reject(new Error(`ssh true: ${code} ${err}`)),
    );
  });
}

/** What one process start costs here (a shell's fork + exec of /bin/true): 20 samples of 20 each. */
function processStarts(): number[] {
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    execFileSync('/bin/sh', ['-c', 'i=0; while [ $i -lt 20 ]; do /bin/true; i=$((i+1)); done']);
    samples.push((performance.now() - t0) / 20);
  }
  return samples;
}

async function waitUntil(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('bench: timed out waiting for the attacks to run');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const marked = (fixture: SshdFixture, j: AttackJob) => existsSync(`${fixture.workDir}/mark.${j.id}`);

async function startRunning(executor: Executor, fixture: SshdFixture, jobs: AttackJob[]): Promise<RunningAttack[]> {
  const runs = await Promise.all(jobs.map((j) => executor.start(j)));
  await waitUntil(() => jobs.every((j) => marked(fixture, j)));
  return runs;
}

/**
 * Dispatch (start → running) and halt (abort → processes gone, rollback done) against loopback sshd.
 * Stopping sshd and closing the executor are deferred to `ws`, the bench's workspace, so they also
 * happen on Ctrl-C, which skips `finally`; without one (run on its own) the bench opens its own.
 */
export async function runSshBench(ws?: Workspace): Promise<BenchRow[]> {
  if (!canRunSshd()) {
    return [{ name: 'ssh bench', unit: 'ms', samples: 0, median: null, p99: null, note: 'skipped: needs root and sshd' }];
  }
  if (ws) return measure(ws);
  const own = openWorkspace();
  try {
    return await measure(own);
  } finally {
    await own.close();
  }
}

async function measure(ws: Workspace): Promise<BenchRow[]> {
  // Hosts whose init reaps orphans at once, as systemd does (this machine's PID 1 takes seconds).
  const fixture = await startSshd(HOSTS, { reapOrphans: canReapOrphans() && process.env.CHAOSCAT_BENCH_NO_REAP !== '1' });
  // Also when interrupted: no sshd left. Safe to call twice.
  ws.defer(() => fixture.stop());
  const settings = settingsFor(fixture, { keepaliveInterval: 5_000 });
  const executor = createSshExecutor({
    settings,
    logger: pino({ level: 'silent' }),
    clock: { now: () => Date.now() },
  });
  // Runs before the fixture stops (last in, first out): an attack still running is rolled back by its wrapper.
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= executor.close();
    return closed;
  };
  ws.defer(close);
  try {
    // Warm both paths once (first connections pay for key loading and caches).
    await sshTrue(fixture, fixture.hosts[0]?.port ?? 22);
    const warm = await executor.start(job(fixture, 0, 60_000));
    await warm.abort('warm-up');

    const dispatch: number[] = [];
    const withPreflight: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < DISPATCH_RUNS; i++) {
      const hostIndex = i % HOSTS;
      baseline.push(await sshTrue(fixture, fixture.hosts[hostIndex]?.port ?? 22));
      const j = job(fixture, hostIndex, 60_000);
      const t0 = performance.now();
      const running = await executor.start(j);
      dispatch.push(performance.now() - t0);
      await running.abort('bench');
      // Its connection goes back to the pool once the attack's channel closed: the next dispatch to
      // this host reuses it, as a production one does within 15 minutes of the last.
      await running.done;
      const k = job(fixture, hostIndex, 60_000);
      const t1 = performance.now();
      const pre = await executor.preflight(k);
      if (!pre.ok) throw new Error(`bench pre-flight: ${pre.reason}`);
      const again = await executor.start(k);
      withPreflight.push(performance.now() - t1);
      await again.abort('bench');
    }

    const haltOne: number[] = [];
    for (let i = 0; i < HALT_ONE_RUNS; i++) {
      const [running] = await startRunning(executor, fixture, [job(fixture, i % HOSTS, 60_000)]);
      const t0 = performance.now();
      const result = await running?.abort('bench stop');
      haltOne.push(performance.now() - t0);
      if (result?.outcome !== 'reverted') throw new Error(`bench halt: ${result ? foundText(result.found) : 'no attack'}`);
    }

    const haltTen: number[] = [];
    for (let i = 0; i < HALT_TEN_RUNS; i++) {
      const jobs = Array.from({ length: 10 }, (_, n) => job(fixture, n, 60_000));
      const runs = await startRunning(executor, fixture, jobs);
      const t0 = performance.now();
      const results = await Promise.all(runs.map((r) => r.abort('bench stop all')));
      haltTen.push(performance.now() - t0);
      const bad = results.find((r) => r.outcome !== 'reverted');
      if (bad) throw new Error(`bench halt of 10: ${foundText(bad.found)}`);
      if (jobs.some((j) => marked(fixture, j))) throw new Error('bench halt of 10: a rollback did not run');
    }

    // One run over 50 hosts: pre-flight and start on each at once, then one stop for all of them.
    const fleetDispatch: number[] = [];
    const fleetHalt: number[] = [];
    for (let i = 0; i < FLEET_RUNS; i++) {
      const jobs = Array.from({ length: HOSTS }, (_, n) => job(fixture, n, 60_000));
      const t0 = performance.now();
      const runs = await Promise.all(
        jobs.map(async (j) => {
          const pre = await executor.preflight(j);
          if (!pre.ok) throw new Error(`bench pre-flight: ${pre.reason}`);
          return executor.start(j);
        }),
      );
      await waitUntil(() => jobs.every((j) => marked(fixture, j)));
      fleetDispatch.push(performance.now() - t0);
      const t1 = performance.now();
      const results = await Promise.all(runs.map((r) => r.abort('bench stop all')));
      fleetHalt.push(performance.now() - t1);
      const bad = results.find((r) => r.outcome !== 'reverted');
      if (bad) throw new Error(`bench halt of ${HOSTS}: ${foundText(bad.found)}`);
      if (jobs.some((j) => marked(fixture, j))) throw new Error(`bench halt of ${HOSTS}: a rollback did not run`);
      await Promise.all(runs.map((r) => r.done));
    }

    const base = row('OpenSSH `ssh host true`', 'ms', baseline);
    const sshBaseline = { name: base.name, median: base.median, p99: base.p99 };
    return [
      row('this machine: one process start (fork + exec of /bin/true), mean of 20', 'ms', processStarts(), {
        note: 'every dispatch and stop starts ~10-20 processes on the host: figures scale with this',
      }),
      row('ssh dispatch on a new connection: start → attack running', 'ms', dispatch, { baseline: sshBaseline }),
      row('ssh dispatch incl. pre-flight on a kept connection (goal median ≤ 0.5× the baseline)', 'ms', withPreflight, {
        baseline: sshBaseline,
      }),
      row('executor abort → processes gone + rollback done, 1 in flight', 'ms', haltOne, { baseline: sshBaseline }),
      row('executor abort → all gone + rolled back, 10 in flight over 10 hosts', 'ms', haltTen, {
        baseline: sshBaseline,
      }),
      row(`ssh dispatch to ${HOSTS} hosts: pre-flight + start → every attack process running`, 'ms', fleetDispatch, {
        baseline: sshBaseline,
      }),
      row(`executor abort → all gone + rolled back, ${HOSTS} in flight over ${HOSTS} hosts`, 'ms', fleetHalt, {
        baseline: sshBaseline,
      }),
      ...benchFloor(HOSTS, ws.dir),
    ];
  } finally {
    await close();
    await fixture.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // On its own: its own workspace (tmpdir, sshd stopped on Ctrl-C), closed when done.
  runSshBench().then(
    (rows) => console.log(renderTable(rows)),
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
