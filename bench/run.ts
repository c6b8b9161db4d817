import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TEST_USER, uidOf } from '../test/support/sshd.js';
import { removeUserWhenIdle } from '../test/support/test-user.js';
import { benchDecision, benchHistory, benchProcess } from './core.js';
import { benchEars } from './ears.js';
import { runHaltBench } from './halt.js';
import { runInventoryBench } from './inventory.js';
import { runPerHostStopBench } from './per-host-stop.js';
import { benchRetention } from './retention.js';
import { runRunnerBench } from './runner.js';
import { runSshBench } from './ssh.js';
import { type BenchRow, renderTable } from './table.js';
import { benchTeams } from './teams.js';
import { benchWeb } from './web.js';
import { openWorkspace, type Workspace } from './workspace.js';

const STEPS = [
  'ears',
  'ssh',
  'halt',
  'runner',
  'per-host-stop',
  'decision',
  'history',
  'web',
  'process',
  'inventory',
  'teams',
  'retention',
] as const;

/**
 * `npm run bench [-- STEP…]`: every figure with its same-run baseline, as a Markdown table; with
 * step names (ears, ssh, halt, runner, per-host-stop, decision, history, web, process, inventory, teams, retention), only those. Every database and file goes under
 * one temp dir, removed at the end, also on an error or Ctrl-C.
 */
async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const unknown = only.filter((s) => !(STEPS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`unknown bench step ${unknown.join(', ')}: pick from ${STEPS.join(', ')}`);
  const ws = openWorkspace();
  process.stderr.write(`bench: databases and files in ${ws.dir} on ${ws.fileSystem}, removed at the end\n`);
  // The sshd hosts log in as a test user; one this run had to create goes again at the end.
  const hadUser = uidOf(TEST_USER) !== undefined;
  ws.defer(async () => {
    if (!hadUser && uidOf(TEST_USER) !== undefined) await removeUserWhenIdle(TEST_USER);
  });
  try {
    await measure(ws, only);
  } finally {
    await ws.close();
  }
}

async function measure(ws: Workspace, only: readonly string[]): Promise<void> {
  const started = performance.now();
  const rows: BenchRow[] = [];
  const step = async (key: (typeof STEPS)[number], name: string, fn: () => Promise<BenchRow[]> | BenchRow[]) => {
    if (only.length > 0 && !only.includes(key)) return;
    const t = performance.now();
    process.stderr.write(`bench: ${name}…\n`);
    rows.push(...(await fn()));
    process.stderr.write(`bench: ${name} done in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  };

  await step('ears', 'a silent Slack socket → deaf', benchEars);
  await step('ssh', 'SSH dispatch and executor halt', () => runSshBench(ws));
  const ssh = rows.find((r) => r.baseline?.name.includes('ssh'))?.baseline;
  await step('halt', 'halt through stop (1, 10, 50 in flight)', () => runHaltBench(ssh, ws));
  await step('runner', 'the installed runner: one run over 50 hosts, one-host dispatch', () => runRunnerBench(ssh, ws));
  await step('per-host-stop', 'stop during a 3-host run with one hung host', () => runPerHostStopBench(ws));
  await step('decision', 'tick decision', benchDecision);
  await step('inventory', 'inventory refresh and tick over 10k inventory hosts', () => runInventoryBench(ws));
  await step('history', 'history and summary over 1M rows', () => benchHistory(ws.dir));
  await step('web', 'report archive pages (500-attack day, index over 1M rows)', () => benchWeb(ws.dir));
  await step('process', 'start-to-ready and idle RSS', () => {
    const dir = join(ws.dir, 'process');
    mkdirSync(join(dir, 'attacks'), { recursive: true });
    writeFileSync(
      join(dir, 'attacks', 'cpu-burn.yaml'),
      'name: cpu-burn\ndescription: bench\nweight: 1\nduration: 60s\nrun: "true"\nrollback: "true"\n',
    );
    writeFileSync(join(dir, 'chaoscat.yaml'), 'dryRun: true\nhosts: [{ name: web-1, address: 127.0.0.1 }]\n');
    return benchProcess(join(dir, 'chaoscat.yaml'), ws);
  });

  await step('teams', 'tick and idle RSS with 100 teams', () => benchTeams(ws));
  await step('retention', 'retention batches and backup over 1.7M journal rows', () => benchRetention(ws.dir));

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `ChaosCat bench — ${cpus().length} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, databases on ${ws.fileSystem} (${ws.dir})`,
  );
  console.log(renderTable(rows));
  console.log(`\nTotal ${((performance.now() - started) / 1000).toFixed(0)} s.`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
