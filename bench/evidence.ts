import { performance } from 'node:perf_hooks';
import { renderEvidencePng } from '../src/adapters/chart/evidence-chart.js';
import { prometheusEvidence } from '../src/adapters/detection/evidence.js';
import { evidenceStepS } from '../src/domain/evidence.js';
import type { AttackRecord, HostDef } from '../src/domain/model.js';
import { prometheusAvailable, startPrometheus } from '../test/support/prometheus.js';
import { type BenchRow, quantile, row } from './table.js';

const HOST: HostDef = { name: 'web-1', address: '127.0.0.1', port: 22, tags: [], vars: {} };
const RUNS = 20;

async function timed(fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

/**
 * One attack's evidence as the bot gathers it after a verdict (the range query through the reader,
 * then the PNG for its thread), beside the same Prometheus range query alone, against a real
 * Prometheus scraping a test exporter every second. Skipped without the Prometheus binary.
 */
export async function benchEvidence(): Promise<BenchRow[]> {
  if (!prometheusAvailable()) return [];
  let value = 100;
  const prom = await startPrometheus([
    {
      job: 'checkout',
      labels: { host: 'web-1' },
      metrics: () => {
        value = value === 100 ? 97 : 100;
        return `# TYPE checkout_success gauge\ncheckout_success ${value}\n`;
      },
    },
  ]);
  try {
    await prom.waitFor('count_over_time(checkout_success[10s]) >= 8', (s) => s.length > 0, 'ten seconds of samples');
    const to = Date.now();
    const from = to - 15 * 60_000;
    const query = 'checkout_success{host="web-1"}';
    const params = new URLSearchParams({
      query,
      start: String(from / 1000),
      end: String(to / 1000),
      step: `${evidenceStepS(from, to)}s`,
    });
    const alone = await timed(async () => {
      const res = await fetch(`${prom.url}/api/v1/query_range?${params}`);
      await res.json();
    });
    const reader = prometheusEvidence(() => [
      { title: 'checkout success', url: prom.url, query: 'checkout_success{host="{{host}}"}', unit: '%', timeout: 10_000 },
    ]);
    const record = {
      id: '1',
      attack: 'cpu-burn',
      host: 'web-1',
      startedAt: to - 10 * 60_000,
      endedAt: to - 5 * 60_000,
      ttdMs: null,
      ttrMs: null,
    } as unknown as AttackRecord;
    const gathered = await timed(async () => {
      const [read] = await reader.read('cpu-burn', HOST, from, to);
      if (!read?.ok) throw new Error(`evidence not read: ${read ? read.why : 'none'}`);
      await renderEvidencePng(record, read.series, 'UTC');
    });
    return [
      row('evidence for one attack: its range query and its PNG chart (real Prometheus)', 'ms', gathered, {
        baseline: { name: 'the same range query alone', median: quantile(alone, 0.5), p99: quantile(alone, 0.99) },
        note: 'goal ≤ 1.5× the query',
      }),
    ];
  } finally {
    await prom.stop();
  }
}
