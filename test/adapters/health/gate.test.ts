import { describe, expect, it } from 'vitest';
import { createHealthGate, gateOf } from '../../../src/adapters/health/gate.js';
import { providerNames } from '../../../src/adapters/health/names.js';
import type { Provider, Verdict } from '../../../src/adapters/health/provider.js';
import { healthProviderSchema } from '../../../src/config/health-schema.js';
import { eventually } from '../../support/eventually.js';
import { startServer } from '../../support/http-servers.js';
import { capturingLogger, fixedClock, gateFor, silentLogger } from './gate-helpers.js';

function fake(name: string, probe: Provider['probe'], extra: Partial<Provider> = {}): Provider {
  return { name, kind: 'fake', timeoutMs: 60_000, secretEnv: [], probe, ...extra };
}
const ok = (reason = 'fine'): Verdict => ({ healthy: true, reason });
const bad = (reason: string): Verdict => ({ healthy: false, reason });
const never = (): Promise<Verdict> => new Promise<Verdict>(() => {});
const base = { clock: fixedClock, logger: silentLogger, env: {}, gateTimeoutMs: 30_000 };

describe('health gate', () => {
  it('is healthy with empty results when no provider is configured', async () => {
    const gate = createHealthGate({ ...base, providers: [] });
    expect(await gate.check()).toEqual({ healthy: true, checkedAt: fixedClock.now(), results: [] });
  });

  it('is healthy only when every provider is, keeping the configured order', async () => {
    const gate = gateOf([fake('a', async () => ok()), fake('b', async () => bad('HTTP 500')), fake('c', async () => ok())], base);
    const report = await gate.check();
    expect(report.healthy).toBe(false);
    expect(report.results.map((r) => [r.name, r.healthy, r.reason])).toEqual([
      ['a', true, 'fine'],
      ['b', false, 'HTTP 500'],
      ['c', true, 'fine'],
    ]);
    expect((await gateOf([fake('a', async () => ok())], base).check()).healthy).toBe(true);
  });

  it('runs the providers concurrently', async () => {
    // Each probe waits until all three have started: run one after another, they would never finish.
    let started = 0;
    let release: () => void = () => {};
    const allStarted = new Promise<void>((resolve) => {
      release = resolve;
    });
    const probe = async (): Promise<Verdict> => {
      started += 1;
      if (started === 3) release();
      await allStarted;
      return ok('met the others');
    };
    const gate = gateOf([fake('a', probe), fake('b', probe), fake('c', probe)], { ...base, gateTimeoutMs: 20_000 });
    const report = await gate.check();
    expect(report.results.map((r) => r.reason)).toEqual(['met the others', 'met the others', 'met the others']);
    expect(report.healthy).toBe(true);
  });

  it('cuts off a provider that never answers at the whole-gate timeout, even one deaf to its abort signal', async () => {
    const gate = gateOf([fake('quick', async () => ok()), fake('stuck', never)], { ...base, gateTimeoutMs: 500 });
    const report = await gate.check();
    expect(report.healthy).toBe(false);
    expect(report.results).toEqual([
      expect.objectContaining({ name: 'quick', healthy: true }),
      expect.objectContaining({
        name: 'stuck',
        healthy: false,
        reason: "timed out after 500 ms (the whole health gate's limit)",
      }),
    ]);
  });

  it('cuts off a provider at its own timeout when that comes first', async () => {
    const gate = gateOf([fake('stuck', never, { timeoutMs: 200 })], base);
    const report = await gate.check();
    expect(report.results[0]).toMatchObject({ healthy: false, reason: 'timed out after 200 ms' });
  });

  it('aborts the request of a provider it cut off', async () => {
    let closed = false;
    const server = await startServer((req) => {
      req.socket.on('close', () => {
        closed = true;
      });
    });
    try {
      const gate = gateFor([{ kind: 'http', url: server.url, timeout: '60s' }], { gateTimeoutMs: 2_000 });
      const report = await gate.check();
      expect(report.results[0]).toMatchObject({ healthy: false, reason: "timed out after 2s (the whole health gate's limit)" });
      await eventually(() => closed, 'the cut-off request to be closed', { timeoutMs: 15_000, everyMs: 20 });
      expect(closed).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('turns a provider that throws, or rejects, into an unhealthy result', async () => {
    const gate = gateOf(
      [
        fake('sync', () => {
          throw new Error('kaboom');
        }),
        fake('async', async () => {
          throw new TypeError('cannot read x');
        }),
        fake('weird', () => Promise.reject('a string')),
      ],
      base,
    );
    const report = await gate.check();
    expect(report.healthy).toBe(false);
    expect(report.results.map((r) => r.reason)).toEqual([
      'check failed: kaboom',
      'check failed: cannot read x',
      'check failed: a string',
    ]);
  });

  it('never throws, even when its clock does', async () => {
    const clock = {
      now: () => {
        throw new Error('clock broke');
      },
    };
    const report = await gateOf([fake('a', async () => ok())], { ...base, clock }).check();
    expect(report.healthy).toBe(false);
    expect(report.results[0]?.reason).toBe('health gate failed: clock broke');
  });

  it('measures each provider with the injected clock', async () => {
    let t = 1_000;
    const clock = { now: () => t };
    const gate = gateOf(
      [
        fake('slow', async () => {
          t += 250;
          return ok();
        }),
      ],
      { ...base, clock },
    );
    const report = await gate.check();
    expect(report.checkedAt).toBe(1_000);
    expect(report.results[0]?.durationMs).toBe(250);
  });

  it('scrubs secrets from reasons and logs', async () => {
    const secret = 'tok-9f8e7d6c5b4a';
    const { logger, lines } = capturingLogger();
    const leaky = fake('leaky', async () => bad(`server said: invalid token ${secret}`), { secretEnv: ['MY_TOKEN'] });
    const report = await gateOf([leaky], { ...base, logger, env: { MY_TOKEN: secret } }).check();
    expect(report.results[0]?.reason).toBe('server said: invalid token ***');
    expect(lines.join('')).not.toContain(secret);
  });

  it('logs a warning when a provider turns unhealthy and once more when it recovers', async () => {
    const { logger, lines } = capturingLogger();
    let state: Verdict = ok();
    const gate = gateOf([fake('flappy', async () => state)], { ...base, logger });
    await gate.check();
    state = bad('HTTP 503');
    await gate.check();
    await gate.check();
    state = ok();
    await gate.check();
    const levels = lines.map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(levels.map((l) => l.level)).toEqual([30, 40, 20, 30]);
    expect(levels[1]?.msg).toBe('health provider is unhealthy');
  });
});

describe('provider names', () => {
  const parse = (raw: unknown[]) => raw.map((r) => healthProviderSchema.parse(r));

  it('defaults to the kind, http:host/path or command:program, and keeps configured names', () => {
    const names = providerNames(
      parse([
        { kind: 'http', url: 'https://api.example.com:8443/healthz?verbose=1' },
        { kind: 'alertmanager', url: 'http://am:9093' },
        { kind: 'prometheus', url: 'http://prom:9090', query: 'up == 0' },
        { kind: 'pagerduty', tokenEnv: 'PD_TOKEN', serviceIds: ['P1'] },
        { kind: 'command', command: ['/usr/local/bin/check-replication', '--max-lag=10'] },
        { kind: 'http', name: 'checkout', url: 'http://x/' },
      ]),
    );
    expect(names).toEqual([
      'http:api.example.com:8443/healthz',
      'alertmanager',
      'prometheus',
      'pagerduty',
      'command:check-replication',
      'checkout',
    ]);
  });

  it('numbers repeated default names so results can be told apart', () => {
    const names = providerNames(
      parse([
        { kind: 'alertmanager', url: 'http://am1:9093' },
        { kind: 'alertmanager', url: 'http://am2:9093' },
        { kind: 'alertmanager', name: 'alertmanager#2', url: 'http://am3:9093' },
      ]),
    );
    expect(names).toEqual(['alertmanager', 'alertmanager#3', 'alertmanager#2']);
  });
});
