import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { deferCleanup, tempDir } from './cleanup.js';
import { isReady, killAndWait } from './daemon.js';
import { eventually } from './eventually.js';
import { freePort, type LocalServer, startServer } from './http-servers.js';

/** Where the Debian package prometheus installs the binary. */
export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

export function prometheusAvailable(): boolean {
  return existsSync(PROMETHEUS_BIN);
}

/** A scrape target: one small exporter the test serves, with the labels Prometheus attaches to it. */
export interface ExporterSpec {
  readonly job: string;
  readonly labels?: Record<string, string>;
  /** The metrics text it serves, or a function read at each scrape (default: one gauge). */
  readonly metrics?: string | (() => string);
}

export interface Exporter extends LocalServer {
  /** `127.0.0.1:PORT`, the `instance` label Prometheus gives it. */
  readonly instance: string;
}

export interface RealPrometheus {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly pid: number;
  readonly exporters: readonly Exporter[];
  /** An instant query through its API; the result vector's label sets. */
  query(promql: string): Promise<Record<string, string>[]>;
  /** Polls `query` until `predicate` holds (Prometheus scrapes every second). */
  waitFor(promql: string, predicate: (series: Record<string, string>[]) => boolean, what: string): Promise<void>;
  /** Stops the process we started (by its PID) and removes its data. Safe twice; done after the test file anyway. */
  stop(): Promise<void>;
}

/** Starts one exporter per spec, then a real Prometheus on loopback scraping them every second. */
export async function startPrometheus(
  specs: readonly ExporterSpec[],
  options: { readonly rules?: unknown } = {},
): Promise<RealPrometheus> {
  const exporters: Exporter[] = [];
  for (const spec of specs) {
    const text = spec.metrics ?? '# TYPE chaoscat_test_gauge gauge\nchaoscat_test_gauge 1\n';
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(typeof text === 'function' ? text() : text);
    });
    exporters.push({ ...server, instance: server.url.replace('http://', '') });
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(specs, exporters, options.rules);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOnce(specs: readonly ExporterSpec[], exporters: Exporter[], rules?: unknown): Promise<RealPrometheus> {
  const dir = tempDir('chaoscat-prom-');
  const configFile = join(dir, 'prometheus.yml');
  const jobs = new Map<string, { targets: string[]; labels: Record<string, string> }[]>();
  specs.forEach((spec, i) => {
    const groups = jobs.get(spec.job) ?? [];
    groups.push({ targets: [exporters[i]?.instance as string], labels: spec.labels ?? {} });
    jobs.set(spec.job, groups);
  });
  // Alerting rules (evaluated every second), when the test gives them: Prometheus then keeps ALERTS.
  const rulesFile = join(dir, 'rules.yml');
  if (rules !== undefined) await writeFile(rulesFile, stringify(rules));
  await writeFile(
    configFile,
    stringify({
      global: { scrape_interval: '1s', scrape_timeout: '900ms', evaluation_interval: '1s' },
      ...(rules !== undefined ? { rule_files: [rulesFile] } : {}),
      scrape_configs: [...jobs].map(([job, groups]) => ({ job_name: job, static_configs: groups })),
    }),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const pid = child.pid;
  if (pid === undefined) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`could not start ${PROMETHEUS_BIN}`);
  }
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await killAndWait(child, () => exited);
    await rm(dir, { recursive: true, force: true });
  };
  deferCleanup(stop);

  const giveUp = () => (exited ? 'it exited' : undefined);
  await eventually(() => isReady(url), 'prometheus to be ready', { timeoutMs: 30_000, everyMs: 100, giveUp }).catch(
    async (error: Error) => {
      await stop();
      throw new Error(`${error.message}:\n${stderr}`);
    },
  );
  const query = async (promql: string): Promise<Record<string, string>[]> => {
    const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql })}`, {
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json()) as { data?: { result?: { metric: Record<string, string> }[] } };
    return (body.data?.result ?? []).map((r) => r.metric);
  };
  return {
    url,
    pid,
    exporters,
    stop,
    query,
    async waitFor(promql, predicate, what) {
      await eventually(async () => predicate(await query(promql)), `prometheus to show ${what}`, {
        timeoutMs: 30_000,
        everyMs: 200,
      });
    },
  };
}
