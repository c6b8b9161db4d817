import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERTMANAGER_BIN, alertmanagerAvailable, type RealAlertmanager, startAlertmanager } from '../../support/alertmanager.js';
import { checkOne } from './gate-helpers.js';

/**
 * Against a real Alertmanager (Debian package prometheus-alertmanager), alerts posted through its own
 * API. Every test uses its own `case` label so the tests do not see each other's alerts.
 */
describe('alertmanager health provider against a real Alertmanager', () => {
  let am: RealAlertmanager;

  beforeAll(async () => {
    if (!alertmanagerAvailable()) {
      throw new Error(`${ALERTMANAGER_BIN} is missing: install the Debian package prometheus-alertmanager`);
    }
    am = await startAlertmanager();
  }, 60_000);

  afterAll(async () => {
    await am?.stop();
  }, 30_000);

  const provider = (matchers: string[]) => ({ kind: 'alertmanager', url: am.url, matchers, timeout: '10s' });
  const fire = async (labels: Record<string, string>) => {
    await am.postAlerts([{ labels, annotations: { summary: 'test' } }]);
    await am.waitFor(
      (alerts) => alerts.some((a) => Object.entries(labels).every(([k, v]) => a.labels[k] === v)),
      JSON.stringify(labels),
    );
  };

  it('is healthy when no alert is firing at all', async () => {
    const result = await checkOne(provider([]));
    expect(result).toMatchObject({ name: 'alertmanager', kind: 'alertmanager', healthy: true, reason: 'no alerts firing' });
  });

  it('is unhealthy while a matching alert fires, and names it', async () => {
    await fire({ alertname: 'HighLatency', service: 'api', severity: 'critical', case: 'firing' });
    const result = await checkOne(provider(['severity=~"critical|page"', 'case="firing"']));
    expect(result.healthy).toBe(false);
    expect(result.reason).toBe('1 alert firing: HighLatency{service=api,severity=critical}');
  });

  it('agrees with Alertmanager on case-insensitive RE2 matchers', async () => {
    await fire({ alertname: 'HighLatency', service: 'api', severity: 'critical', case: 'flags' });
    const result = await checkOne(provider(['alertname=~"(?i)highlatency"', 'case="flags"']));
    expect(result).toMatchObject({ healthy: false, reason: '1 alert firing: HighLatency{service=api,severity=critical}' });
  });

  it('names every matching alert', async () => {
    await fire({ alertname: 'HighLatency', service: 'api', severity: 'page', case: 'several' });
    await fire({ alertname: 'DiskFull', instance: 'db1', severity: 'critical', case: 'several' });
    const result = await checkOne(provider(['severity=~"critical|page"', 'case="several"']));
    expect(result.healthy).toBe(false);
    expect(result.reason).toMatch(/^2 alerts firing: /);
    expect(result.reason).toContain('HighLatency{service=api,severity=page}');
    expect(result.reason).toContain('DiskFull{instance=db1,severity=critical}');
  });

  it('is healthy while only a non-matching alert fires', async () => {
    await fire({ alertname: 'CpuWarm', service: 'api', severity: 'warning', case: 'other' });
    const result = await checkOne(provider(['severity=~"critical|page"', 'case="other"']));
    expect(result).toMatchObject({ healthy: true, reason: 'no matching alerts firing' });
  });

  it('is healthy when the matching alert is silenced', async () => {
    await fire({ alertname: 'HighLatency', service: 'web', severity: 'critical', case: 'silenced' });
    expect((await checkOne(provider(['case="silenced"']))).healthy).toBe(false);
    await am.silence({ case: 'silenced' });
    await am.waitFor(
      (alerts) => alerts.some((a) => a.labels.case === 'silenced' && a.status.state === 'suppressed'),
      'the alert as suppressed',
    );
    expect(await checkOne(provider(['case="silenced"']))).toMatchObject({ healthy: true });
  });

  it('is healthy again once the alert resolves', async () => {
    const labels = { alertname: 'Flapping', severity: 'critical', case: 'resolves' };
    await fire(labels);
    expect((await checkOne(provider(['case="resolves"']))).healthy).toBe(false);
    const past = new Date(Date.now() - 1_000).toISOString();
    await am.postAlerts([{ labels, startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: past }]);
    await am.waitFor(
      (alerts) => !alerts.some((a) => a.labels.case === 'resolves' && a.status.state !== 'suppressed' && isLive(a)),
      'the alert as resolved',
    );
    expect(await checkOne(provider(['case="resolves"']))).toMatchObject({ healthy: true });
  });

  it('is unhealthy when Alertmanager rejects the filter', async () => {
    // Valid for us, but RE2 (Go) has no lookahead: Alertmanager answers 400 and we fail closed.
    const result = await checkOne(provider(['severity=~"(?=crit)critical"']));
    expect(result).toMatchObject({ healthy: false, reason: 'Alertmanager answered HTTP 400' });
  });

  it('is unhealthy once Alertmanager is stopped', async () => {
    await am.stop();
    const result = await checkOne(provider([]));
    expect(result.healthy).toBe(false);
    expect(result.reason).toBe(`connection refused (${new URL(am.url).host})`);
  }, 30_000);
});

/** The v2 list may still hold a resolved alert until its GC; `endsAt` in the past means resolved. */
function isLive(alert: { endsAt?: string }): boolean {
  return alert.endsAt === undefined || Date.parse(alert.endsAt) > Date.now();
}
