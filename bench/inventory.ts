import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { stringify } from 'yaml';
import { ansibleSource } from '../src/adapters/inventory/ansible.js';
import { systemClock } from '../src/adapters/system/clock.js';
import { systemTimers } from '../src/adapters/system/timers.js';
import { InventoryDirectory } from '../src/app/teams/inventory.js';
import type { HostDef } from '../src/domain/model.js';
import { pickAttack } from '../src/domain/picker.js';
import { decide } from '../src/domain/policy.js';
import { attacks, hosts as staticHosts, TAGS } from './core.js';
import { type BenchRow, quantile, row } from './table.js';
import type { Workspace } from './workspace.js';

const HOSTS = 10_000;
/** ansible-inventory takes tens of seconds over 10,000 hosts: few runs. */
const RUNS = 3;

/** A YAML inventory of `n` hosts: the bench's tags as groups under `prod`, an address, a port and vars each. */
function writeInventory(file: string, n: number): void {
  const groups: Record<string, { hosts: Record<string, Record<string, unknown>> }> = {};
  for (const tag of TAGS) groups[tag] = { hosts: {} };
  for (let i = 0; i < n; i++) {
    const tag = TAGS[i % TAGS.length] as string;
    (groups[tag] as { hosts: Record<string, Record<string, unknown>> }).hosts[`host-${i}`] = {
      ansible_host: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      ansible_port: 22,
      ...(i % 3 === 0 ? { process: 'nginx' } : {}),
      unit: 'app.service',
      rack: i % 40,
    };
  }
  writeFileSync(file, stringify({ all: { children: { prod: { children: groups } } } }));
}

/** `ansible-inventory -i FILE --list` alone, its output read and dropped: the floor of any refresh. */
function ansibleAlone(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn('ansible-inventory', ['-i', file, '--list'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`ansible-inventory exited ${code}`));
      JSON.parse(Buffer.concat(out).toString('utf8'));
      resolve(performance.now() - t);
    });
  });
}

/** The tick over each list, alternated run by run so that both share the machine's noise (and GC). */
function ticks(lists: readonly (() => readonly HostDef[])[], runs: number): number[][] {
  const catalogue = attacks(50);
  const now = Date.parse('2026-11-24T20:00:00Z');
  let seed = 1;
  const rng = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const input = {
    asker: 'schedule' as const,
    now,
    state: { halt: null, cooldownUntil: null },
    inFlight: 0,
    hours: {
      timezone: 'America/Los_Angeles',
      days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const,
      start: '10:00',
      end: '16:00',
      holidays: [],
    },
    hearing: { ok: true as const },
    health: { healthy: true, checkedAt: now, results: [] },
  };
  const out: number[][] = lists.map(() => []);
  for (let i = 0; i < runs + 5; i++) {
    lists.forEach((list, j) => {
      const t = performance.now();
      if (decide({ ...input, pick: () => pickAttack(catalogue, list(), rng) }).kind !== 'pick')
        throw new Error('expected an attack');
      if (i >= 5) out[j]?.push(performance.now() - t);
    });
  }
  return out;
}

/**
 * Inventory refresh of 10,000 hosts from an Ansible YAML inventory (through the directory, as the
 * bot does it: the child process, the JSON, every host checked, the merge) beside
 * `ansible-inventory --list` alone, alternated in the same run; then the tick over those hosts beside
 * the tick over 10,000 static hosts (today's figure).
 */
export async function runInventoryBench(ws: Workspace): Promise<BenchRow[]> {
  const file = join(ws.dir, 'inventory.yaml');
  writeInventory(file, HOSTS);
  const directory = new InventoryDirectory({
    statics: [],
    sources: [ansibleSource({ source: file, groups: [], refreshMs: 3_600_000, timeoutMs: 600_000 })],
    clock: systemClock,
    timers: systemTimers,
    logger: pino({ level: 'silent' }),
  });
  ws.defer(() => directory.stop());
  await ansibleAlone(file); // warm the page cache and Python's byte code
  const refresh: number[] = [];
  const alone: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    alone.push(await ansibleAlone(file));
    const t = performance.now();
    await directory.refreshAll();
    refresh.push(performance.now() - t);
    const [status] = directory.sources();
    if (status?.error || directory.all().length !== HOSTS) throw new Error(`inventory refresh failed: ${status?.error}`);
  }
  const seconds = (v: number[]) => v.map((ms) => ms / 1000);
  const ratio = (quantile(refresh, 0.5) ?? 0) / (quantile(alone, 0.5) ?? 1);
  const fixed = staticHosts(HOSTS);
  const [staticTick = [], inventoryTick = []] = ticks([() => fixed, () => directory.all()], 200);
  return [
    row('inventory refresh, 10k hosts, Ansible YAML', 's', seconds(refresh), {
      baseline: {
        name: '`ansible-inventory --list` alone',
        median: (quantile(alone, 0.5) ?? 0) / 1000,
        p99: (quantile(alone, 0.99) ?? 0) / 1000,
      },
      note: `${ratio.toFixed(2)}× the baseline median`,
    }),
    row('tick decision, 10k inventory hosts, 50 attacks', 'ms', inventoryTick, {
      baseline: {
        name: 'tick decision, 10k static hosts, 50 attacks',
        median: quantile(staticTick, 0.5),
        p99: quantile(staticTick, 0.99),
      },
    }),
  ];
}
