import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteStore } from '../src/adapters/sqlite/sqlite-store.js';
import type { AttackDef, HostDef } from '../src/domain/model.js';
import { pickAttack } from '../src/domain/picker.js';
import { decide } from '../src/domain/policy.js';
import { compiledInstall } from '../test/support/compiled-install.js';
import { type BenchRow, row } from './table.js';
import type { Workspace } from './workspace.js';

const REPO = join(import.meta.dirname, '..');
const MIGRATIONS = join(REPO, 'migrations');
export const TAGS = ['web', 'db', 'cache', 'queue', 'batch', 'edge', 'api', 'search'];

export function hosts(n: number): HostDef[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `host-${i}`,
    address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    port: 22,
    tags: [TAGS[i % TAGS.length] as string],
    vars: (i % 3 === 0 ? { process: 'nginx' } : {}) as Record<string, string>,
  }));
}

export function attacks(n: number): AttackDef[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `attack-${i}`,
    description: '',
    weight: i % 10 === 0 ? 0 : 1 + (i % 7),
    durationMs: 60_000,
    targets: i % 4 === 0 ? [] : [TAGS[i % TAGS.length] as string],
    requires: [],
    sudo: false,
    params: {},
    hostVars: i % 5 === 0 ? ['process'] : [],
    run: 'true',
    rollback: 'true',
    file: '',
    probes: [],
    recoveryMs: null,
    abortOnDeviation: false,
  }));
}

export function time(fn: () => void, runs: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return out;
}

/** Tick decision (gates + weighted draw + eligible hosts) beside a plain scan of the same hosts. */
export function benchDecision(): BenchRow[] {
  const rows: BenchRow[] = [];
  const catalogue = attacks(50);
  const now = Date.parse('2026-11-24T20:00:00Z');
  const hoursOpen = {
    timezone: 'America/Los_Angeles',
    days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const,
    start: '10:00',
    end: '16:00',
    holidays: [],
  };
  let seed = 1;
  const rng = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  for (const n of [10_000, 100_000]) {
    const list = hosts(n);
    const input = {
      asker: 'schedule' as const,
      now,
      state: { halt: null, cooldownUntil: null },
      inFlight: 0,
      hours: hoursOpen,
      hearing: { ok: true as const },
      health: { healthy: true, checkedAt: now, results: [] },
      pick: () => pickAttack(catalogue, list, rng),
    };
    const runs = n === 10_000 ? 200 : 40;
    time(() => decide(input), 5);
    const values = time(() => {
      const d = decide(input);
      if (d.kind !== 'pick') throw new Error('expected an attack');
    }, runs);
    const scan = time(() => {
      list.filter((h) => h.tags.includes('web')).length;
    }, runs);
    rows.push(
      row(`tick decision, ${n / 1000}k hosts, 50 attacks`, 'ms', values, {
        baseline: { name: `one tag filter over ${n / 1000}k hosts`, median: median(scan), p99: p99(scan) },
      }),
    );
  }
  return rows;
}

export function median(v: number[]): number {
  return [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? 0;
}
export function p99(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.99 * s.length) - 1)] ?? 0;
}

/**
 * `history 20` and the per-host summary over 1M attack rows, beside the cheapest queries of the same shape.
 * The database (~185 MB) is made under `dir` and removed as soon as the figures are taken.
 */
export async function benchHistory(dir: string): Promise<BenchRow[]> {
  const scratch = mkdtempSync(join(dir, 'history-'));
  const store = new SqliteStore({ file: join(scratch, 'bench.db'), migrationsDir: MIGRATIONS });
  try {
    return await historyRows(store);
  } finally {
    store.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The bench's million attacks: one a minute from 2024-01-01 UTC, 500 hosts, 12 attacks; returns the last createdAt. */
export async function fillAttacks(store: SqliteStore): Promise<number> {
  const db = store.handle;
  const insert = db.prepare(
    `INSERT INTO attacks (attack, host, trigger_kind, trigger_user, dry_run, state, created_at, started_at, ended_at, deadline_at, duration_ms)
     VALUES (?, ?, 'schedule', NULL, 0, ?, ?, ?, ?, ?, 60000)`,
  );
  const states = ['completed', 'completed', 'completed', 'reverted', 'failed', 'orphaned'];
  const t0 = Date.parse('2024-01-01T00:00:00Z');
  const fill = db.transaction((from: number) => {
    for (let i = from; i < from + 100_000; i++) {
      const at = t0 + i * 60_000;
      insert.run(`attack-${i % 12}`, `host-${i % 500}`, states[i % states.length], at, at, at + 60_000, at + 90_000);
    }
  });
  for (let from = 0; from < 1_000_000; from += 100_000) {
    fill(from);
    // Lets a Ctrl-C in, so the workspace can remove the database.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return t0 + 999_999 * 60_000;
}

async function historyRows(store: SqliteStore): Promise<BenchRow[]> {
  const db = store.handle;
  await fillAttacks(store);
  const history = time(() => store.history({ limit: 20 }), 200);
  const pk = db.prepare('SELECT * FROM attacks ORDER BY id DESC LIMIT 20');
  const pkScan = time(() => pk.all(), 200);
  const byHost = time(() => store.history({ limit: 20, host: 'host-42' }), 200);
  const summary = time(() => store.hostSummary(), 5);
  const count = db.prepare('SELECT COUNT(*) FROM attacks');
  const countScan = time(() => count.get(), 5);
  return [
    row('history 20 over 1M rows', 'ms', history, {
      baseline: { name: '20 rows by primary key', median: median(pkScan), p99: p99(pkScan) },
    }),
    row('history host X 20 over 1M rows', 'ms', byHost, {
      baseline: { name: '20 rows by primary key', median: median(pkScan), p99: p99(pkScan) },
    }),
    row('per-host summary over 1M rows', 'ms', summary, {
      baseline: { name: 'SELECT COUNT(*) over 1M rows', median: median(countScan), p99: p99(countScan) },
    }),
  ];
}

export interface Started {
  readyMs: number;
  rssMb: number;
}

export function startAndMeasure(args: string[], ready: RegExp, env: NodeJS.ProcessEnv, ws: Workspace): Promise<Started> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    // tsx caches its transforms under tmpdir(): the caller's, as in earlier runs, so no start pays for a cold cache.
    // Node 22+'s compile cache (bin/chaoscat.js) goes in the workspace, removed with it.
    const childEnv = { ...process.env, TMPDIR: ws.callerTmpdir, NODE_COMPILE_CACHE: join(ws.dir, 'compile-cache'), ...env };
    const child = spawn(process.execPath, args, { cwd: REPO, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    // The bare script never exits by itself: an interrupted bench must not leave it running.
    ws.defer(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    let out = '';
    let readyMs = -1;
    child.stdout.on('data', (d) => {
      out += d;
      if (readyMs < 0 && ready.test(out)) {
        readyMs = performance.now() - t;
        // Idle for two seconds, then read the resident set size.
        setTimeout(() => {
          const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
          const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
          child.kill('SIGKILL');
          resolve({ readyMs, rssMb: kb / 1024 });
        }, 2000);
      }
    });
    child.on('error', reject);
    setTimeout(() => {
      if (readyMs < 0) {
        child.kill('SIGKILL');
        reject(new Error(`not ready: ${out}`));
      }
    }, 60_000).unref();
  });
}

/** Five starts of `args`, each measured to `ready` and two idle seconds. */
async function starts(args: string[], ready: RegExp, ws: Workspace): Promise<Started[]> {
  const out: Started[] = [];
  for (let i = 0; i < 5; i++) out.push(await startAndMeasure(args, ready, {}, ws));
  return out;
}

function against(name: string, unit: string, values: number[], baselineName: string, baseline: number[]): BenchRow {
  return row(name, unit, values, { baseline: { name: baselineName, median: median(baseline), p99: p99(baseline) } });
}

/**
 * Start-to-ready and idle RSS of the bot (console, dry run): as `npm start` runs it (tsx) beside
 * bare Node with the same loader, and as production runs it (bin/chaoscat.js → dist/, compiled into
 * the workspace) beside bare `node`. Goals for the compiled entry: ≤ 300 ms, ≤ 80 MB.
 */
export async function benchProcess(configFile: string, ws: Workspace): Promise<BenchRow[]> {
  const entry = await compiledInstall(join(ws.dir, 'compiled'));
  const idle = 'console.log("ready"); setInterval(() => {}, 1000)';
  // --console: a Slack variable in the caller's environment must not change what is measured.
  const run = ['run', '--console', '--config', configFile];
  const tsxBot = await starts(['--import', 'tsx', 'src/main.ts', ...run], /ChaosCat console/, ws);
  const tsxBare = await starts(['--import', 'tsx', '-e', idle], /ready/, ws);
  const bot = await starts([entry, ...run], /ChaosCat console/, ws);
  const bare = await starts(['-e', idle], /ready/, ws);
  const ms = (s: Started[]) => s.map((x) => x.readyMs);
  const mb = (s: Started[]) => s.map((x) => x.rssMb);
  return [
    against(
      'start-to-ready (console, dry run), `npm start` (tsx)',
      'ms',
      ms(tsxBot),
      'node --import tsx, empty script',
      ms(tsxBare),
    ),
    against('idle RSS, `npm start` (tsx)', 'MB', mb(tsxBot), 'node --import tsx, empty script', mb(tsxBare)),
    against('start-to-ready (console, dry run), compiled bin/chaoscat.js', 'ms', ms(bot), 'bare `node`, empty script', ms(bare)),
    against('idle RSS, compiled bin/chaoscat.js', 'MB', mb(bot), 'bare `node`, empty script', mb(bare)),
  ];
}
