import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchDecision, benchHistory, benchProcess } from './core.js';
import { runHaltBench } from './halt.js';
import { runSshBench } from './ssh.js';
import { type BenchRow, renderTable } from './table.js';

/** `npm run bench`: every figure with its same-run baseline, as a Markdown table. */
async function main(): Promise<void> {
  const started = performance.now();
  const rows: BenchRow[] = [];
  const step = async (name: string, fn: () => Promise<BenchRow[]> | BenchRow[]) => {
    const t = performance.now();
    process.stderr.write(`bench: ${name}…\n`);
    rows.push(...(await fn()));
    process.stderr.write(`bench: ${name} done in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  };

  await step('SSH dispatch and executor halt', runSshBench);
  const ssh = rows.find((r) => r.baseline?.name.includes('ssh'))?.baseline;
  await step('halt through stop (1, 10, 50 in flight)', () => runHaltBench(ssh));
  await step('tick decision', benchDecision);
  await step('history and summary over 1M rows', benchHistory);
  const dir = mkdtempSync(join(tmpdir(), 'chaoscat-bench-'));
  mkdirSync(join(dir, 'attacks'));
  writeFileSync(
    join(dir, 'attacks', 'cpu-burn.yaml'),
    'name: cpu-burn\ndescription: bench\nweight: 1\nduration: 60s\nrun: "true"\nrollback: "true"\n',
  );
  writeFileSync(join(dir, 'chaoscat.yaml'), 'dryRun: true\nhosts: [{ name: web-1, address: 127.0.0.1 }]\n');
  await step('start-to-ready and idle RSS', () => benchProcess(join(dir, 'chaoscat.yaml')));

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `ChaosCat bench — ${cpus().length} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  );
  console.log(renderTable(rows));
  console.log(`\nTotal ${((performance.now() - started) / 1000).toFixed(0)} s.`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
