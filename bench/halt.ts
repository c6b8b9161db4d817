import { mkdtempSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino, { type Logger } from 'pino';
import { SqliteStore } from '../src/adapters/sqlite/sqlite-store.js';
import { createSshExecutor } from '../src/adapters/ssh/index.js';
import { systemTimers } from '../src/adapters/system/timers.js';
import { createBot } from '../src/app/bot.js';
import type { Config } from '../src/config/config.js';
import type { AttackDef, HostDef } from '../src/domain/model.js';
import type { Clock } from '../src/ports/clock.js';
import type { Executor } from '../src/ports/executor.js';
import { canReapOrphans, canRunSshd, type SshdFixture, settingsFor, startSshd } from '../test/support/sshd.js';
import { type BenchRow, row } from './table.js';
import type { Workspace } from './workspace.js';

/** One sshd per host: 50 in flight is one attack on each of 50 hosts. */
const HOSTS = 50;
const REPO = join(import.meta.dirname, '..');

export function config(fixture: SshdFixture, dir: string, ssh: Partial<Config['ssh']> = {}): Config {
  const hosts: HostDef[] = fixture.hosts.map((h, i) => ({
    name: `h${i}`,
    address: '127.0.0.1',
    port: h.port,
    tags: [],
    vars: {},
  }));
  const attack: AttackDef = {
    name: 'bench-sleeper',
    description: 'bench',
    weight: 1,
    durationMs: 120_000,
    targets: [],
    requires: [],
    sudo: false,
    params: { DIR: fixture.workDir },
    hostVars: [],
    run: 'touch "$CHAOSCAT_PARAM_DIR/halt.$CHAOSCAT_ATTACK_ID"; sleep 900 & sleep 900',
    rollback: 'rm -f "$CHAOSCAT_PARAM_DIR/halt.$CHAOSCAT_ATTACK_ID"',
    file: 'bench',
    probes: [],
    recoveryMs: null,
    abortOnDeviation: false,
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
    ssh: settingsFor(fixture, { keepaliveInterval: 5_000, ...ssh }),
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
    // The same attack as one run over every host: the issue's "halt of one run over 50 hosts".
    attacks: [attack, { ...attack, name: 'bench-fleet', blastRadius: { count: HOSTS, allowAll: true } }],
    health: [],
    detection: [],
    evidence: {},
    steadyState: {},
    verdict: { recoveryWindow: 60_000, probeInterval: 5_000, haltOnNotRecovered: false },
    database: join(dir, 'halt.db'),
    report: { directory: dir },
    metrics: { host: '127.0.0.1' },
    web: { port: 0, host: '127.0.0.1' },
    retention: { ticks: null, health: null },
    gameDays: [],
  };
}

/**
 * One run over all 50 hosts, as the bot runs it: run-once → every host's pre-flight, then every
 * start → every attack process running; then `stop` → every process gone and every rollback done.
 */
export async function oneRun(
  bot: ReturnType<typeof createBot>,
  store: SqliteStore,
  fixture: SshdFixture,
  attack: AttackDef,
  baseline: BenchRow['baseline'],
): Promise<BenchRow[]> {
  const dispatch: number[] = [];
  const halts: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    const launched = await bot.context.runner.request({
      asker: 'user',
      trigger: { kind: 'user', user: 'bench' },
      want: { attack },
    });
    if (!launched.ok) throw new Error(`halt bench run: ${JSON.stringify(launched.refusal)}`);
    await untilRunning(fixture, HOSTS, 'halt bench run');
    dispatch.push(performance.now() - t0);
    const t1 = performance.now();
    await bot.handle({ text: 'stop bench', actor: 'bench', transport: 'bench' });
    await bot.context.runner.idle();
    halts.push(performance.now() - t1);
    const record = store.getAttack(launched.record.id);
    if (record?.state !== 'reverted' || running(fixture) > 0) {
      throw new Error(`halt bench run: #${launched.record.id} ${record?.state} ${record?.reason}, ${running(fixture)} left`);
    }
    await bot.handle({ text: 'start', actor: 'bench', transport: 'bench' });
  }
  const opts = baseline ? { baseline } : {};
  return [
    row(`one run over ${HOSTS} hosts: run-once → every attack process running`, 'ms', dispatch, opts),
    row(`one run over ${HOSTS} hosts: stop → all gone + rolled back`, 'ms', halts, opts),
  ];
}

/** Waits (a minute at most) until `n` attacks run on the hosts. */
async function untilRunning(fixture: SshdFixture, n: number, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (running(fixture) < n) {
    if (Date.now() > deadline) throw new Error(`${what}: only ${running(fixture)} of ${n} attacks running`);
    await new Promise((res) => setTimeout(res, 5));
  }
}

const running = (fixture: SshdFixture) => readdirSync(fixture.workDir).filter((f) => f.startsWith('halt.')).length;

/**
 * The real bot over real SSH for a bench step: health always passes, chat accepts every post and
 * always hears, everyone is an admin. `maxInFlight` above 1 is the bench's alone.
 */
export function benchBot(
  cfg: Config,
  store: SqliteStore,
  executor: Executor,
  clock: Clock,
  logger: Logger,
  maxInFlight?: number,
): ReturnType<typeof createBot> {
  const nobody = {
    announce: async () => {},
    announceStart: async () => ({ ok: true as const }),
    hearing: () => ({ ok: true as const }),
    isAdmin: async () => true,
    describeAdmins: () => '',
  };
  return createBot({
    config: cfg,
    store,
    executor,
    health: { check: async () => ({ healthy: true, checkedAt: clock.now(), results: [] }) },
    announcer: nobody,
    ears: nobody,
    authorizer: nobody,
    clock,
    timers: systemTimers,
    random: { next: () => 0.5 },
    logger,
    ...(maxInFlight ? { maxInFlight } : {}),
  });
}

/**
 * Halt latency through the real `stop` use case: N attacks in flight on loopback sshd hosts, then
 * `stop` → every attack process gone and its rollback finished (the stop reply waits for both).
 */
export async function runHaltBench(baseline: BenchRow['baseline'], ws: Workspace): Promise<BenchRow[]> {
  if (!canRunSshd())
    return [{ name: 'halt bench', unit: 'ms', samples: 0, median: null, p99: null, note: 'skipped: needs root and sshd' }];
  // Hosts whose init reaps orphans at once, as systemd does (this machine's PID 1 takes seconds).
  const fixture = await startSshd(HOSTS, { reapOrphans: canReapOrphans() && process.env.CHAOSCAT_BENCH_NO_REAP !== '1' });
  // Also when interrupted: no sshd, and no attack left on its hosts. Safe to call twice.
  ws.defer(() => fixture.stop());
  const dir = mkdtempSync(join(ws.dir, 'halt-'));
  const cfg = config(fixture, dir);
  const store = new SqliteStore({ file: cfg.database, migrationsDir: join(REPO, 'migrations') });
  ws.defer(() => store.close());
  const clock = { now: () => Date.now() };
  const logger = pino({ level: 'silent' });
  const executor = createSshExecutor({ settings: cfg.ssh, logger, clock });
  // Several attacks at once, which the bot never does: the bench alone raises the limit.
  const bot = benchBot(cfg, store, executor, clock, logger, 50);
  let shutDown: Promise<void> | undefined;
  const shutdown = () => {
    shutDown ??= bot
      .shutdown('SIGTERM')
      .then(() => {})
      .finally(() => executor.close());
    return shutDown;
  };
  ws.defer(shutdown);
  const attack = cfg.attacks[0] as AttackDef;
  const rows: BenchRow[] = [];
  try {
    for (const [n, runs] of [
      [1, 10],
      [10, 5],
      [50, 3],
    ] as const) {
      const values: number[] = [];
      const acks: number[] = [];
      for (let r = 0; r < runs; r++) {
        for (let i = 0; i < n; i += HOSTS) {
          const batch = Array.from({ length: Math.min(HOSTS, n - i) }, (_, k) => cfg.hosts[(i + k) % HOSTS] as HostDef);
          const launched = await Promise.all(
            batch.map((h) =>
              bot.context.runner.request({ asker: 'user', trigger: { kind: 'user', user: 'bench' }, want: { attack, host: h } }),
            ),
          );
          const failed = launched.find((l) => !l.ok);
          if (failed && !failed.ok) throw new Error(`halt bench launch: ${JSON.stringify(failed.refusal)}`);
        }
        await untilRunning(fixture, n, 'halt bench');
        const ids = bot.context.runner.list().map((f) => f.id as string);
        const t0 = performance.now();
        await bot.handle({ text: 'stop bench', actor: 'bench', transport: 'bench' });
        acks.push(performance.now() - t0);
        await bot.context.runner.idle();
        values.push(performance.now() - t0);
        const notReverted = ids.map((id) => store.getAttack(id)).filter((r) => r?.state !== 'reverted');
        if (notReverted.length > 0 || running(fixture) > 0) {
          throw new Error(
            `halt bench: not everything reverted:\n${notReverted.map((r) => `#${r?.id} ${r?.state} ${r?.reason}`).join('\n')}`,
          );
        }
        await bot.handle({ text: 'start', actor: 'bench', transport: 'bench' });
      }
      rows.push(
        row(`stop reply: ${n} in flight (answers before the hosts)`, 'ms', acks, { ...(baseline ? { baseline } : {}) }),
        row(`halt via stop: ${n} in flight → all gone + rolled back`, 'ms', values, { ...(baseline ? { baseline } : {}) }),
      );
    }
    rows.push(...(await oneRun(bot, store, fixture, cfg.attacks[1] as AttackDef, baseline)));
    return rows;
  } finally {
    await shutdown();
    store.close();
    await fixture.stop();
  }
}
