import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { DryRunExecutor } from '../src/adapters/dry-run/dry-run-executor.js';
import { teamGates } from '../src/adapters/health/index.js';
import { SqliteStore } from '../src/adapters/sqlite/sqlite-store.js';
import { systemClock } from '../src/adapters/system/clock.js';
import { createLogger } from '../src/adapters/system/logger.js';
import { systemTimers } from '../src/adapters/system/timers.js';
import { createFleet, type Fleet } from '../src/app/teams/fleet.js';
import type { Config } from '../src/config/config.js';
import { loadConfig } from '../src/config/load.js';
import type { Announcer, Authorizer, Ears } from '../src/ports/chat.js';
import { median, p99, type Started, startAndMeasure } from './core.js';
import { type BenchRow, row } from './table.js';
import type { Workspace } from './workspace.js';

const REPO = join(import.meta.dirname, '..');
const MIGRATIONS = join(REPO, 'migrations');
const ALWAYS = { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00', holidays: [] };

/** A config of `teams` teams over 1,000 hosts (split evenly by tag) and 50 attacks; one team = no `teams:`. */
function writeConfig(dir: string, teams: number): string {
  mkdirSync(join(dir, 'attacks'), { recursive: true });
  for (let i = 0; i < 50; i++) {
    writeFileSync(
      join(dir, 'attacks', `attack-${i}.yaml`),
      stringify({
        name: `attack-${i}`,
        description: 'bench',
        weight: 1 + (i % 7),
        duration: '60s',
        run: 'true',
        rollback: 'true',
      }),
    );
  }
  const hosts = Array.from({ length: 1000 }, (_, i) => ({
    name: `host-${i}`,
    address: `10.0.${i >> 8}.${i & 255}`,
    tags: [`team-${i % teams}`],
  }));
  const config: Record<string, unknown> = {
    dryRun: true,
    timezone: 'UTC',
    businessHours: ALWAYS,
    schedule: { tick: '* * * * *', cooldown: '0s' },
    hosts,
    attacks: 'attacks/',
    database: 'bench.db',
  };
  if (teams > 1) {
    config.teams = Array.from({ length: teams }, (_, t) => ({
      name: `team-${t}`,
      channel: `C0TEAM${t}`,
      timezone: ['UTC', 'America/Los_Angeles', 'Asia/Tokyo', 'Europe/Berlin'][t % 4],
      businessHours: ALWAYS,
      hosts: { tags: [`team-${t}`] },
    }));
  }
  const file = join(dir, 'chaoscat.yaml');
  writeFileSync(file, stringify(config, { aliasDuplicateObjects: false }));
  return file;
}

/** The fleet writes the ticks of a turn right after it: the figure includes that write. */
const written = () => new Promise((resolve) => setImmediate(resolve));

const quiet: Announcer & Authorizer & Ears = {
  announce: async () => {},
  announceStart: async () => ({ ok: true }),
  isAdmin: async () => true,
  describeAdmins: () => '',
  hearing: () => ({ ok: true }),
};

/** A fleet on the store, as main.ts builds it, with quiet chat and a dry-run executor. */
function fleetOn(config: Config, store: SqliteStore): Fleet {
  const logger = createLogger({ level: 'silent' });
  const gates = teamGates(config, systemClock, logger);
  const multi = !config.teams[0]?.implicit;
  return createFleet({
    config,
    store,
    executor: new DryRunExecutor(systemClock, systemTimers),
    health: gates.gate(config),
    announcer: quiet,
    ears: quiet,
    authorizer: quiet,
    globalAuthorizer: quiet,
    clock: systemClock,
    timers: systemTimers,
    random: { next: Math.random },
    logger,
    wire: (_team, view) => ({ store: multi ? store.forTeam(view.team) : store, health: gates.gate(view), chat: quiet }),
  });
}

/**
 * Two figures, store writes included. Attacking: one tick in which every team decides, draws and
 * dispatches an attack (dry run: recorded and announced, nothing touched), on a fresh fleet per
 * sample so every team is free to attack. Skipping, the usual minute: one long-lived fleet whose
 * every team has its attack in flight, ticked again and again; each team skips and its tick is written.
 */
async function tickSamples(config: Config, runs: number): Promise<{ attacking: number[]; busy: number[]; decided: number[] }> {
  const store = new SqliteStore({ file: config.database, migrationsDir: MIGRATIONS });
  const attacking: number[] = [];
  const busy: number[] = [];
  const decided: number[] = [];
  try {
    for (let i = 0; i < runs + 3; i++) {
      const fleet = fleetOn(config, store);
      const t = performance.now();
      const outcomes = await fleet.tick();
      await written();
      const ms = performance.now() - t;
      if (outcomes.some((o) => o.kind !== 'attacked'))
        throw new Error(`a team did not attack: ${JSON.stringify(outcomes.find((o) => o.kind !== 'attacked'))}`);
      await fleet.shutdown('SIGTERM');
      if (i >= 3) attacking.push(ms);
    }
    const fleet = fleetOn(config, store);
    await fleet.tick();
    await written();
    for (let i = 0; i < 5 * runs + 10; i++) {
      const t = performance.now();
      const skipped = await fleet.tick();
      const decidedMs = performance.now() - t;
      await written();
      const ms = performance.now() - t;
      if (skipped.some((o) => o.kind !== 'skipped')) throw new Error('a team attacked twice');
      if (i >= 10) {
        busy.push(ms);
        decided.push(decidedMs);
      }
    }
    await fleet.shutdown('SIGTERM');
  } finally {
    store.close();
  }
  return { attacking, busy, decided };
}

/** The tick over 100 teams beside the single-team tick, and idle RSS with 100 teams beside one team. */
export async function benchTeams(ws: Workspace): Promise<BenchRow[]> {
  const oneDir = join(ws.dir, 'teams-1');
  const manyDir = join(ws.dir, 'teams-100');
  const one = loadConfig(writeConfig(oneDir, 1));
  const many = loadConfig(writeConfig(manyDir, 100));
  const single = await tickSamples(one, 40);
  const hundred = await tickSamples(many, 40);
  const idle = async (file: string): Promise<Started[]> => {
    const out: Started[] = [];
    for (let i = 0; i < 3; i++) {
      out.push(
        await startAndMeasure(
          // --console: a Slack variable in the caller's environment must not change what is measured.
          ['--import', 'tsx', 'src/main.ts', 'run', '--console', '--config', file],
          /ChaosCat console/,
          {},
          ws,
        ),
      );
    }
    return out;
  };
  const idleOne = await idle(join(oneDir, 'chaoscat.yaml'));
  const idleMany = await idle(join(manyDir, 'chaoscat.yaml'));
  return [
    row('tick, 100 teams × 10 hosts (1,000 hosts), 50 attacks, every team skipping: all decided', 'ms', hundred.decided, {
      baseline: {
        name: 'tick, 1 team, 1,000 hosts, skipping: decided',
        median: median(single.decided),
        p99: p99(single.decided),
      },
    }),
    row('the same tick, until its 100 rows are written (one transaction)', 'ms', hundred.busy, {
      baseline: { name: 'tick, 1 team, 1,000 hosts, skipping', median: median(single.busy), p99: p99(single.busy) },
    }),
    row('tick, 100 teams × 10 hosts (1,000 hosts), 50 attacks, every team attacking', 'ms', hundred.attacking, {
      baseline: { name: 'tick, 1 team, 1,000 hosts, attacking', median: median(single.attacking), p99: p99(single.attacking) },
    }),
    row(
      'idle RSS, 100 teams',
      'MB',
      idleMany.map((s) => s.rssMb),
      {
        baseline: {
          name: 'idle RSS, 1 team',
          median: median(idleOne.map((s) => s.rssMb)),
          p99: p99(idleOne.map((s) => s.rssMb)),
        },
      },
    ),
  ];
}
