import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetrics, type Metrics } from '../../../src/adapters/metrics/metrics.js';
import type { MetricsServer } from '../../../src/adapters/metrics/metrics-server.js';
import { SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import { systemTimers } from '../../../src/adapters/system/timers.js';
import { type Bot, createBot } from '../../../src/app/bot.js';
import type { Config } from '../../../src/config/config.js';
import type { AttackRecord } from '../../../src/domain/model.js';
import { TUESDAY_NOON } from '../../support/bot-harness.js';
import { eventually } from '../../support/eventually.js';
import {
  ControlledExecutor,
  FixedClock,
  ManualTimers,
  RecordingAnnouncer,
  ScriptedHealth,
  ScriptedRandom,
  silentLogger,
} from '../../support/fakes.js';
import { attackRecord } from '../../support/records.js';
import { MIGRATIONS, testConfig } from '../../support/test-config.js';

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** The Prometheus text format, as far as these tests need: one sample a line, comments skipped. */
function parse(text: string): Sample[] {
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((line) => {
      const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/);
      if (!m) throw new Error(`not a sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k as string] = v as string;
      return { name: m[1] as string, labels, value: Number(m[3]) };
    });
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

let config: Config;
let store: SqliteStore;
let clock: FixedClock;
let executor: ControlledExecutor;
let metrics: Metrics;
let server: MetricsServer;
let bot: Bot;

async function scrape(path = '/metrics'): Promise<Sample[]> {
  const res = await fetch(`http://127.0.0.1:${server.port}${path}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(await res.text());
}

beforeEach(async () => {
  config = testConfig();
  store = new SqliteStore({ file: config.database, migrationsDir: MIGRATIONS });
  clock = new FixedClock(Date.parse(TUESDAY_NOON));
  executor = new ControlledExecutor(clock);
  metrics = createMetrics({ store, clock, config, logger: silentLogger });
  server = await metrics.start(0, '127.0.0.1');
  const chat = new RecordingAnnouncer();
  bot = createBot({
    config,
    store,
    executor,
    health: ScriptedHealth.healthy(clock),
    announcer: chat,
    ears: chat,
    authorizer: chat,
    clock,
    timers: systemTimers,
    random: new ScriptedRandom([0.1, 0.1]),
    logger: silentLogger,
    observer: metrics.observer,
  });
});

afterEach(async () => {
  await server.close();
  store.close();
});

describe('the metrics endpoint', () => {
  it('counts an attack by attack, host and outcome once it finishes', async () => {
    const tick = await bot.tick();
    expect(tick).toMatchObject({ kind: 'attacked' });
    const host = tick.kind === 'attacked' ? tick.host : '';
    expect(value(await scrape(), 'chaoscat_attacks_total')).toBeUndefined();
    executor.runs[0]?.finish();
    await eventually(() => bot.context.runner.inFlightCount === 0, 'the attack to finish');
    const samples = await scrape();
    expect(value(samples, 'chaoscat_attacks_total', { attack: 'cpu-burn', host, outcome: 'completed' })).toBe(1);
    expect(value(samples, 'chaoscat_ticks_total', { outcome: 'attacked', code: '' })).toBe(1);
    expect(value(samples, 'chaoscat_last_tick_info', { outcome: 'attacked', code: '' })).toBe(1);
    expect(value(samples, 'chaoscat_last_tick_timestamp_seconds')).toBe(Date.parse(TUESDAY_NOON) / 1000);
    expect(value(samples, 'chaoscat_cooldown_remaining_seconds')).toBe(600);
    expect(value(samples, 'chaoscat_dry_run')).toBe(1);
  });

  it('shows the halt, the abort and its latency after a stop, and the resume after start', async () => {
    await bot.tick();
    expect(value(await scrape(), 'chaoscat_halted')).toBe(0);
    await bot.handle({ text: 'stop deploy', actor: 'U0ALICE', transport: 'test' });
    let samples = await scrape();
    expect(value(samples, 'chaoscat_halted')).toBe(1);
    expect(value(samples, 'chaoscat_aborts_total', { outcome: 'reverted' })).toBe(1);
    expect(value(samples, 'chaoscat_halt_latency_seconds_count')).toBe(1);
    // The stand-in executor reverts in 80 ms.
    expect(value(samples, 'chaoscat_halt_latency_seconds_bucket', { le: '0.1' })).toBe(1);
    expect(value(samples, 'chaoscat_halt_latency_seconds_sum')).toBeCloseTo(0.08);
    expect(value(samples, 'chaoscat_attacks_total', { outcome: 'reverted' })).toBe(1);
    clock.advance(60_000);
    await bot.tick();
    samples = await scrape();
    expect(value(samples, 'chaoscat_last_tick_info', { outcome: 'skipped', code: 'halted' })).toBe(1);
    expect(value(samples, 'chaoscat_last_tick_info', { outcome: 'attacked' })).toBeUndefined();
    await bot.handle({ text: 'start', actor: 'admin', transport: 'test' });
    expect(value(await scrape(), 'chaoscat_halted')).toBe(0);
  });

  it('reports the last health gate, provider by provider', async () => {
    store.recordHealth({
      healthy: false,
      checkedAt: clock.now(),
      results: [
        { name: 'api', kind: 'http', healthy: true, reason: 'HTTP 200', durationMs: 3 },
        { name: 'prom-errors', kind: 'prometheus', healthy: false, reason: '2 alerts firing', durationMs: 8 },
      ],
    });
    const samples = await scrape();
    expect(value(samples, 'chaoscat_health_provider_healthy', { provider: 'api', kind: 'http' })).toBe(1);
    expect(value(samples, 'chaoscat_health_provider_healthy', { provider: 'prom-errors', kind: 'prometheus' })).toBe(0);
    expect(value(samples, 'chaoscat_health_gate_healthy')).toBe(0);
    expect(value(samples, 'chaoscat_health_last_check_timestamp_seconds')).toBe(clock.now() / 1000);
  });

  it('serves the default process metrics too', async () => {
    const samples = await scrape('/metrics?x=1');
    expect(value(samples, 'process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(0);
    expect(samples.some((s) => s.name.startsWith('nodejs_'))).toBe(true);
  });

  it('answers 404 elsewhere and 405 to anything but GET', async () => {
    expect((await fetch(`http://127.0.0.1:${server.port}/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${server.port}/metricsx`)).status).toBe(404);
    const post = await fetch(`http://127.0.0.1:${server.port}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('says unknown (NaN), never a stale value, when the store cannot be read', async () => {
    store.setHalt({ by: 'U0ALICE', at: clock.now(), reason: '' });
    store.recordHealth({
      healthy: true,
      checkedAt: clock.now(),
      results: [{ name: 'api', kind: 'http', healthy: true, reason: 'ok', durationMs: 1 }],
    });
    let samples = await scrape();
    expect(value(samples, 'chaoscat_halted')).toBe(1);
    expect(value(samples, 'chaoscat_store_readable')).toBe(1);
    store.close();
    samples = await scrape();
    expect(value(samples, 'chaoscat_store_readable')).toBe(0);
    expect(value(samples, 'chaoscat_halted')).toBeNaN();
    expect(value(samples, 'chaoscat_health_gate_healthy')).toBeNaN();
    expect(value(samples, 'chaoscat_health_provider_healthy', { provider: 'api' })).toBeUndefined();
    expect(value(samples, 'chaoscat_dry_run')).toBe(1);
  });

  it('never throws from an observer hook', () => {
    expect(() => metrics.observer.onVerdict?.(undefined as never)).not.toThrow();
    expect(() => metrics.observer.onAttackFinished?.(undefined as never)).not.toThrow();
    expect(() => metrics.observer.onAborted?.({} as never)).not.toThrow();
    expect(() => metrics.observer.onTick?.(null as never)).not.toThrow();
  });

  it('refuses a port already in use with a coded error', async () => {
    await expect(createMetrics({ store, clock, config }).start(server.port, '127.0.0.1')).rejects.toMatchObject({
      code: 'METRICS_LISTEN',
    });
  });
});

describe('the verdict metrics', () => {
  const S = 1_000;
  /** A record as onVerdict receives it. */
  const judged = (attack: string, over: Partial<AttackRecord>): AttackRecord =>
    attackRecord({
      id: '7',
      attack,
      host: 'web-1',
      trigger: { kind: 'schedule' },
      dryRun: false,
      state: 'completed',
      createdAt: clock.now(),
      startedAt: clock.now(),
      endedAt: clock.now() + 60 * S,
      deadlineAt: clock.now() + 90 * S,
      durationMs: 60 * S,
      exitCode: 0,
      rollbackOk: true,
      ...over,
    });

  it('times detection and recovery and counts the verdict, fed by the bot once the verdict is known', async () => {
    // Its own bot, on stepped timers, with probes of its own: the global health gate stays healthy.
    const timers = new ManualTimers(clock);
    const probes = ScriptedHealth.healthy(clock);
    const chat = new RecordingAnnouncer();
    const judgedBot = createBot({
      config,
      store,
      executor,
      health: ScriptedHealth.healthy(clock),
      steadyState: { probesFor: () => probes },
      announcer: chat,
      ears: chat,
      authorizer: chat,
      clock,
      timers,
      random: new ScriptedRandom([0.1, 0.1]),
      logger: silentLogger,
      observer: metrics.observer,
    });
    expect(await judgedBot.tick()).toMatchObject({ kind: 'attacked' });
    await timers.advance(5 * S);
    probes.report = ScriptedHealth.failing(clock, 'HTTP 503').report;
    await timers.advance(5 * S); // the first failure: 10 s after the fault started
    await timers.advance(5 * S);
    probes.report = ScriptedHealth.healthy(clock).report;
    await timers.advance(5 * S); // passing again 10 s after the detection
    expect(value(await scrape(), 'chaoscat_verdicts_total')).toBeUndefined();
    executor.runs[0]?.finish();
    await eventually(() => judgedBot.context.runner.inFlightCount === 0, 'the verdict');
    expect(store.getAttack('1')).toMatchObject({ verdict: 'recovered', ttdMs: 10 * S, ttrMs: 10 * S });
    const samples = await scrape();
    expect(value(samples, 'chaoscat_verdicts_total', { attack: 'cpu-burn', verdict: 'recovered' })).toBe(1);
    expect(value(samples, 'chaoscat_time_to_detect_seconds_count', { attack: 'cpu-burn' })).toBe(1);
    expect(value(samples, 'chaoscat_time_to_detect_seconds_sum', { attack: 'cpu-burn' })).toBe(10);
    expect(value(samples, 'chaoscat_time_to_detect_seconds_bucket', { attack: 'cpu-burn', le: '5' })).toBe(0);
    expect(value(samples, 'chaoscat_time_to_detect_seconds_bucket', { attack: 'cpu-burn', le: '10' })).toBe(1);
    expect(value(samples, 'chaoscat_time_to_recover_seconds_sum', { attack: 'cpu-burn' })).toBe(10);
    expect(value(samples, 'chaoscat_time_to_recover_seconds_bucket', { attack: 'cpu-burn', le: '+Inf' })).toBe(1);
  });

  it.each([
    ['held: counted, no time to detect or to recover', { verdict: 'held' }, 0, 0],
    ['not recovered: a time to detect, none to recover', { verdict: 'not-recovered', ttdMs: 3 * S }, 1, 0],
    ['not recovered with nothing answering: neither time', { verdict: 'not-recovered' }, 0, 0],
    ['unknown (the bot stopped first): counted, no times', { verdict: 'unknown' }, 0, 0],
  ] as const)('%s', async (_rule, over, detected, recovered) => {
    metrics.observer.onVerdict?.(judged('process-kill', { ttdMs: null, ttrMs: null, ...over }));
    const samples = await scrape();
    expect(value(samples, 'chaoscat_verdicts_total', { attack: 'process-kill', verdict: over.verdict })).toBe(1);
    expect(value(samples, 'chaoscat_time_to_detect_seconds_count', { attack: 'process-kill' }) ?? 0).toBe(detected);
    expect(value(samples, 'chaoscat_time_to_recover_seconds_count', { attack: 'process-kill' }) ?? 0).toBe(recovered);
  });

  it('keeps each attack in its own series', async () => {
    metrics.observer.onVerdict?.(judged('process-kill', { verdict: 'recovered', ttdMs: 2 * S, ttrMs: 30 * S }));
    metrics.observer.onVerdict?.(judged('process-kill', { verdict: 'recovered', ttdMs: 4 * S, ttrMs: 90 * S }));
    metrics.observer.onVerdict?.(judged('net-delay', { verdict: 'held', ttdMs: null, ttrMs: null }));
    const samples = await scrape();
    expect(value(samples, 'chaoscat_verdicts_total', { attack: 'process-kill', verdict: 'recovered' })).toBe(2);
    expect(value(samples, 'chaoscat_verdicts_total', { attack: 'net-delay', verdict: 'held' })).toBe(1);
    expect(value(samples, 'chaoscat_time_to_detect_seconds_sum', { attack: 'process-kill' })).toBe(6);
    expect(value(samples, 'chaoscat_time_to_recover_seconds_bucket', { attack: 'process-kill', le: '60' })).toBe(1);
    expect(value(samples, 'chaoscat_time_to_recover_seconds_bucket', { attack: 'process-kill', le: '120' })).toBe(2);
    expect(value(samples, 'chaoscat_time_to_detect_seconds_count', { attack: 'net-delay' })).toBeUndefined();
  });

  it('counts whether monitoring noticed, and how long its alert took; unknown is never "yes"', async () => {
    const seen = { kind: 'detected', afterMs: 47 * S, alert: 'HighErrorRate', source: 'am' } as const;
    metrics.observer.onVerdict?.(judged('process-kill', { verdict: 'recovered', detection: seen }));
    metrics.observer.onVerdict?.(judged('process-kill', { verdict: 'recovered', detection: { kind: 'not-detected' } }));
    metrics.observer.onVerdict?.(judged('process-kill', { verdict: 'held', detection: { kind: 'unknown', why: 'am: refused' } }));
    metrics.observer.onVerdict?.(judged('net-delay', { verdict: 'held' }));
    const samples = await scrape();
    expect(value(samples, 'chaoscat_detections_total', { attack: 'process-kill', detected: 'yes' })).toBe(1);
    expect(value(samples, 'chaoscat_detections_total', { attack: 'process-kill', detected: 'no' })).toBe(1);
    expect(value(samples, 'chaoscat_detections_total', { attack: 'process-kill', detected: 'unknown' })).toBe(1);
    // Nobody looked for the attack without detection sources: not counted at all.
    expect(value(samples, 'chaoscat_detections_total', { attack: 'net-delay', detected: 'no' })).toBeUndefined();
    expect(value(samples, 'chaoscat_time_to_alert_seconds_sum', { attack: 'process-kill' })).toBe(47);
    expect(value(samples, 'chaoscat_time_to_alert_seconds_count', { attack: 'process-kill' })).toBe(1);
  });
});
