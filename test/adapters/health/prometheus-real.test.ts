import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prometheusAvailable, type RealPrometheus, startPrometheus } from '../../support/prometheus.js';
import { checkOne } from './gate-helpers.js';

/** The prometheus provider against a real Prometheus scraping an exporter the test serves. */
describe('prometheus health provider, real Prometheus', () => {
  let prom: RealPrometheus;

  beforeAll(async () => {
    if (!prometheusAvailable()) throw new Error('these tests need /usr/bin/prometheus (Debian package prometheus)');
    prom = await startPrometheus([
      {
        job: 'api',
        metrics: '# TYPE chaoscat_errors_ratio gauge\nchaoscat_errors_ratio{service="checkout"} 0.002\n',
      },
    ]);
    await prom.waitFor('chaoscat_errors_ratio', (s) => s.length === 1, 'the exporter scraped');
  }, 120_000);

  afterAll(async () => {
    await prom?.stop();
  });

  it('is healthy when the query returns nothing, unhealthy with the series when it does', async () => {
    const calm = await checkOne({ kind: 'prometheus', url: prom.url, query: 'chaoscat_errors_ratio > 0.01', timeout: '5s' });
    expect(calm).toMatchObject({ healthy: true, reason: 'empty result' });
    const strict = await checkOne({ kind: 'prometheus', url: prom.url, query: 'chaoscat_errors_ratio > 0.001', timeout: '5s' });
    expect(strict).toMatchObject({
      healthy: false,
      reason: expect.stringMatching(/^1 series returned: chaoscat_errors_ratio\{.*service="checkout".*\} = 0.002$/),
    });
  });

  it('judges a comparison on the real samples', async () => {
    const ok = await checkOne({
      kind: 'prometheus',
      url: prom.url,
      query: 'chaoscat_errors_ratio',
      comparison: { op: '<', value: 0.01 },
      timeout: '5s',
    });
    expect(ok).toMatchObject({ healthy: true, reason: '1 series, all < 0.01' });
  });

  it('a query Prometheus rejects is unhealthy with its error', async () => {
    const bad = await checkOne({ kind: 'prometheus', url: prom.url, query: 'rate(chaoscat_errors_ratio)', timeout: '5s' });
    expect(bad).toMatchObject({ healthy: false, reason: expect.stringMatching(/^query failed: /) });
  });

  it('the exporter gone: `up == 0` for its job makes the gate unhealthy; Prometheus gone: unhealthy, connection refused', async () => {
    const query = 'up{job="api"} == 0';
    expect(await checkOne({ kind: 'prometheus', url: prom.url, query, timeout: '5s' })).toMatchObject({ healthy: true });
    await prom.exporters[0]?.close();
    await prom.waitFor(query, (s) => s.length === 1, 'the target down');
    expect(await checkOne({ kind: 'prometheus', url: prom.url, query, timeout: '5s' })).toMatchObject({
      healthy: false,
      reason: expect.stringMatching(/^1 series returned: up\{.*job="api".*\} = 0$/),
    });
    await prom.stop();
    expect(await checkOne({ kind: 'prometheus', url: prom.url, query, timeout: '5s' })).toMatchObject({
      healthy: false,
      reason: expect.stringMatching(/^connection refused/),
    });
  });
});
