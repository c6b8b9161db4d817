import { appendFileSync, chmodSync, copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { SqliteStore } from '../src/adapters/sqlite/sqlite-store.js';
import { createSshExecutor } from '../src/adapters/ssh/index.js';
import type { Config } from '../src/config/config.js';
import type { AttackDef, HostDef } from '../src/domain/model.js';
import { type HangingProxy, hangingProxy } from '../test/support/hanging-proxy.js';
import { canRunSshd, type SshdFixture, settingsFor, startSshd } from '../test/support/sshd.js';
import { benchBot } from './halt.js';
import { type BenchRow, row } from './table.js';
import type { Workspace } from './workspace.js';

const REPO = join(import.meta.dirname, '..');
const RUNS = 10;

function config(fixture: SshdFixture, dir: string, ports: readonly number[], knownHosts: string): Config {
  const hosts: HostDef[] = ports.map((port, i) => ({ name: `h${i}`, address: '127.0.0.1', port, tags: [], vars: {} }));
  const attack: AttackDef = {
    name: 'bench-3',
    description: 'bench',
    weight: 1,
    durationMs: 120_000,
    targets: [],
    requires: [],
    sudo: false,
    params: { DIR: dir },
    hostVars: [],
    run: 'touch "$CHAOSCAT_PARAM_DIR/fault.$CHAOSCAT_HOST.$CHAOSCAT_ATTACK_ID"; sleep 900',
    rollback: 'rm -f "$CHAOSCAT_PARAM_DIR/fault.$CHAOSCAT_HOST.$CHAOSCAT_ATTACK_ID"',
    file: 'bench',
    probes: [],
    recoveryMs: null,
    abortOnDeviation: false,
    blastRadius: { count: 3, allowAll: true },
  };
  const businessHours = { days: ['mon' as const], start: '10:00', end: '16:00', holidays: [] };
  const schedule = {
    tick: '* * * * *',
    cooldown: 0,
    healthInterval: 3_600_000,
    healthTimeout: 5_000,
    haltOnHealthFailure: false,
    shutdownTimeout: 30_000,
    deafTimeout: 30_000,
    hostCooldown: 0,
  };
  return {
    file: 'bench',
    dryRun: false,
    timezone: 'UTC',
    businessHours,
    schedule,
    slack: { channels: [], admins: [], adminGroups: [], escalate: 'here', stopReactions: ['octagonal_sign'] },
    // No keepalive within a run: the hung host stays hung until the bench lets it go.
    ssh: settingsFor(fixture, { knownHosts, connectTimeout: 3_000, keepaliveInterval: 600_000 }),
    hosts,
    team: 'default',
    teams: [
      {
        name: 'default',
        implicit: true,
        channel: undefined,
        admins: [],
        adminGroups: [],
        timezone: 'UTC',
        businessHours,
        hosts: null,
        attacks: null,
        health: [],
        detection: [],
        evidence: [],
        schedule,
        report: {},
        gameDays: [],
      },
    ],
    inventory: [],
    attacksDir: '',
    attacks: [attack],
    health: [],
    detection: [],
    evidence: {},
    steadyState: {},
    verdict: { recoveryWindow: 60_000, probeInterval: 5_000, haltOnNotRecovered: false },
    database: join(dir, 'per-host.db'),
    report: { directory: dir },
    metrics: { host: '127.0.0.1' },
    web: { port: 0, host: '127.0.0.1' },
    retention: { ticks: null, health: null },
    gameDays: [],
  };
}

const faults = (dir: string, host?: string) =>
  readdirSync(dir).filter((f) => f.startsWith(host ? `fault.${host}.` : 'fault.')).length;

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`per-host stop bench: timed out waiting for ${what}`);
    await new Promise((res) => setTimeout(res, 2));
  }
}

/**
 * `stop` during a 3-host run → the healthy hosts' faults gone (rolled back). With `proxy`, the third
 * host sits behind it and hangs as soon as its start is under way (its script is held).
 */
async function stopTimes(fixture: SshdFixture, ws: Workspace, proxy: HangingProxy | null): Promise<number[]> {
  const dir = mkdtempSync(join(fixture.workDir, 'per-host-'));
  // The attack runs as the test user on the hosts.
  chmodSync(dir, 0o777);
  const knownHosts = join(dir, 'known_hosts');
  copyFileSync(fixture.knownHosts, knownHosts);
  const third = fixture.hosts[2];
  if (!third) throw new Error('per-host stop bench: 3 hosts needed');
  if (proxy) appendFileSync(knownHosts, `[127.0.0.1]:${proxy.port} ${third.hostKey}\n`);
  const ports = [fixture.hosts[0]?.port as number, fixture.hosts[1]?.port as number, proxy ? proxy.port : third.port];
  const cfg = config(fixture, dir, ports, knownHosts);
  const store = new SqliteStore({ file: cfg.database, migrationsDir: join(REPO, 'migrations') });
  ws.defer(() => store.close());
  const clock = { now: () => Date.now() };
  const logger = pino({ level: 'silent' });
  const executor = createSshExecutor({ settings: cfg.ssh, logger, clock });
  const start = executor.start.bind(executor);
  executor.start = (job, signal) => {
    if (proxy && job.host.name === 'h2') proxy.hang();
    return start(job, signal);
  };
  const bot = benchBot(cfg, store, executor, clock, logger);
  const shutdown = () => {
    proxy?.release();
    return bot
      .shutdown('SIGTERM')
      .then(() => {})
      .finally(() => executor.close());
  };
  ws.defer(shutdown);
  const times: number[] = [];
  try {
    for (let r = 0; r < RUNS; r++) {
      const launched = bot.context.runner.request({
        asker: 'user',
        trigger: { kind: 'user', user: 'bench' },
        want: { attack: cfg.attacks[0] as AttackDef },
      });
      await until(() => faults(dir, 'h0') + faults(dir, 'h1') === 2 && (proxy !== null || faults(dir, 'h2') === 1), 'the faults');
      const t0 = performance.now();
      await bot.handle({ text: 'stop bench', actor: 'bench', transport: 'bench' });
      await until(() => faults(dir, 'h0') + faults(dir, 'h1') === 0, 'the healthy hosts reverted');
      times.push(performance.now() - t0);
      proxy?.release();
      await launched;
      await bot.context.runner.idle();
      if (faults(dir) > 0) throw new Error(`per-host stop bench: ${faults(dir)} faults left after the run`);
      await bot.handle({ text: 'start', actor: 'bench', transport: 'bench' });
    }
    return times;
  } finally {
    await shutdown();
    store.close();
  }
}

/**
 * Issue 22 case 6: the time from `stop` until every healthy host of a 3-host run with one hung host
 * is reverted (goal ≤ 1 s p99), beside the same run without the hung host.
 */
export async function runPerHostStopBench(ws: Workspace): Promise<BenchRow[]> {
  if (!canRunSshd())
    return [
      { name: 'per-host stop bench', unit: 'ms', samples: 0, median: null, p99: null, note: 'skipped: needs root and sshd' },
    ];
  const fixture = await startSshd(3);
  ws.defer(() => fixture.stop());
  const third = fixture.hosts[2];
  if (!third) throw new Error('per-host stop bench: 3 hosts needed');
  const proxy = await hangingProxy(third.port);
  ws.defer(() => proxy.close());
  try {
    const base = await stopTimes(fixture, ws, null);
    const hung = await stopTimes(fixture, ws, proxy);
    const baseRow = row('3-host run: stop → the healthy hosts reverted (no hung host)', 'ms', base);
    const baseline = { name: baseRow.name, median: baseRow.median, p99: baseRow.p99 };
    return [
      baseRow,
      row('3-host run, 1 hung host: stop → the 2 healthy hosts reverted (goal ≤ 1 s p99)', 'ms', hung, { baseline }),
    ];
  } finally {
    await proxy.close();
    await fixture.stop();
  }
}
