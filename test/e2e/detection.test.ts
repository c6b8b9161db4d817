import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SqliteArchiveReader } from '../../src/adapters/sqlite/archive-reader.js';
import { reportContent } from '../../src/app/reports/report.js';
import { dayCard } from '../../src/domain/day-card.js';
import { forHost, monitoringGap, quotedValue } from '../../src/domain/detection.js';
import type { HealthReport } from '../../src/domain/model.js';
import { localDay } from '../../src/domain/report.js';
import { plainText } from '../../src/words/tokens.js';
import { type RealAlertmanager, startAlertmanager } from '../support/alertmanager.js';
import { type Harness, harness } from '../support/bot-harness.js';
import { eventually } from '../support/eventually.js';
import { ScriptedHealth, settle } from '../support/fakes.js';
import { freePort } from '../support/http-servers.js';
import { type RealPrometheus, startPrometheus } from '../support/prometheus.js';

const PASS: Omit<HealthReport, 'checkedAt'> = {
  healthy: true,
  results: [{ name: 'svc', kind: 'command', healthy: true, reason: 'ok', durationMs: 1 }],
};
const FAIL: Omit<HealthReport, 'checkedAt'> = {
  healthy: false,
  results: [{ name: 'svc', kind: 'command', healthy: false, reason: 'HTTP 503', durationMs: 1 }],
};

let am: RealAlertmanager;
let h: Harness | undefined;
beforeAll(async () => {
  am = await startAlertmanager();
}, 60_000);
afterAll(async () => {
  await am?.stop();
});
afterEach(() => {
  h?.close();
  h = undefined;
});

/**
 * A live bot looking at `url` for alerts on the attacked host with label test=`tag` (each test its own:
 * the alerts of one stay in the shared Alertmanager); its steady state is one scripted probe.
 */
function live(url: string, tag: string): { x: Harness; probe: () => ScriptedHealth } {
  let probe: ScriptedHealth | undefined;
  const x = harness(
    {
      dryRun: false,
      verdict: { probeInterval: '5s', recoveryWindow: '10s', haltOnNotRecovered: false },
      detection: [{ kind: 'alertmanager', name: 'am', url, matchers: ['instance="{{host}}"', `test="${tag}"`], timeout: '2s' }],
    },
    [{ name: 'cpu-burn', weight: 10, targets: ['web'], duration: '20s' }],
    {
      detection: true,
      steadyState: (clock) => {
        probe = new ScriptedHealth(PASS, clock);
        return { probesFor: () => probe as ScriptedHealth };
      },
    },
  );
  h = x;
  return { x, probe: () => probe as ScriptedHealth };
}

/** Starts the attack; `during` runs 10 s into the fault; then the fault ends and the window passes. */
async function attack(x: Harness, during: (start: number, host: string) => Promise<void> = async () => {}) {
  await x.bot.tick();
  const record = x.store.getAttack('1');
  const start = record?.startedAt as number;
  await x.timers.advance(10_000);
  await during(start, record?.host as string);
  await x.timers.advance(10_000);
  x.executor.runs[0]?.finish();
  await settle();
  await x.timers.advance(10_000);
  await eventually(() => x.store.getAttack('1')?.detection != null, 'the detection with the verdict');
  return x.store.getAttack('1');
}

describe('did monitoring notice? (real Alertmanager)', () => {
  it('an alert on the attacked host during the attack: detected, with its delay and its name', async () => {
    const { x } = live(am.url, 'detected');
    const r = await attack(x, async (start, host) => {
      await am.postAlerts([
        {
          labels: { alertname: 'HighErrorRate', instance: host, test: 'detected' },
          startsAt: new Date(start + 7_000).toISOString(),
        },
      ]);
      // Alertmanager takes what is posted in a moment of its own: the next look sees it.
      await am.waitFor((alerts) => alerts.some((a) => a.labels.test === 'detected'), 'the alert in Alertmanager');
    });
    expect(r?.detection).toEqual({ kind: 'detected', afterMs: 7_000, alert: 'HighErrorRate', source: 'am' });
    expect(monitoringGap(r as NonNullable<typeof r>)).toBe(false);
  });

  it('no alert: NOT DETECTED; with the steady state hurt, a monitoring gap, first under "needs a look"', async () => {
    const { x, probe } = live(am.url, 'gap');
    const r = await attack(x, async () => {
      probe().report = FAIL;
      await x.timers.advance(5_000);
      probe().report = PASS;
    });
    expect(r?.detection).toEqual({ kind: 'not-detected' });
    expect(r?.verdict).toBe('recovered');
    expect(monitoringGap(r as NonNullable<typeof r>)).toBe(true);
    const report = reportContent({ store: x.store, clock: x.clock, config: x.config }, '2026-11-24');
    const lines = report.kind === 'report' ? report.lines : [];
    // The archive's card of the day names it, amber (it recovered).
    const day = localDay('2026-11-24', x.config.timezone);
    if (!day) throw new Error('no such day');
    const card = dayCard('2026-11-24', new SqliteArchiveReader(x.store.handle).dayFacts(day, {}));
    expect(card).toMatchObject({ tone: 'amber', reasons: ['1 monitoring gap', '1 recovered'] });
    expect(plainText(lines[lines.findIndex((l) => l.startsWith('*Needs a look')) + 1] ?? '')).toMatch(
      /^• #1 cpu-burn on web-\d \*MONITORING GAP\* at \d\d:\d\d: the steady state deviated and no alert fired/,
    );
  });

  it('an alert on another host does not count', async () => {
    const { x } = live(am.url, 'elsewhere');
    const r = await attack(x, async (start) => {
      await am.postAlerts([
        {
          labels: { alertname: 'DiskFull', instance: 'db-9', test: 'elsewhere' },
          startsAt: new Date(start + 3_000).toISOString(),
        },
      ]);
      await am.waitFor((alerts) => alerts.some((a) => a.labels.test === 'elsewhere'), 'the alert in Alertmanager');
    });
    expect(r?.detection).toEqual({ kind: 'not-detected' });
  });

  it('Alertmanager not answering: unknown, never counted as detected', async () => {
    const { x } = live(`http://127.0.0.1:${await freePort()}`, 'unknown');
    const r = await attack(x);
    // Why it is unknown names the source that could not be read; not a gap, not a detection.
    expect(r?.detection).toEqual({ kind: 'unknown', why: expect.stringMatching(/^am: .+/) });
    expect(monitoringGap(r as NonNullable<typeof r>)).toBe(false);
  });
});

describe('host placeholders', () => {
  it('escape what a host name or address could smuggle into a matcher or a selector', () => {
    expect(quotedValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
    expect(forHost('instance="{{address}}:9100", host="{{ host }}"', { name: 'web"1', address: '10.0.0.5' })).toBe(
      'instance="10.0.0.5:9100", host="web\\"1"',
    );
  });
});

describe('did monitoring notice? (real Prometheus, its ALERTS series)', () => {
  let prom: RealPrometheus;
  let value = 1;
  beforeAll(async () => {
    prom = await startPrometheus(
      [{ job: 'checkout', labels: { host: 'web-1' }, metrics: () => `# TYPE checkout_up gauge\ncheckout_up ${value}\n` }],
      { rules: { groups: [{ name: 'chaoscat-test', rules: [{ alert: 'CheckoutDown', expr: 'checkout_up == 0', for: '0s' }] }] } },
    );
  }, 60_000);
  afterAll(async () => {
    await prom?.stop();
  });

  it('an alert that fires and resolves during the attack is found afterwards, with its delay', async () => {
    let probe: ScriptedHealth | undefined;
    const x = harness(
      {
        dryRun: false,
        verdict: { probeInterval: '5s', recoveryWindow: '10s', haltOnNotRecovered: false },
        detection: [{ kind: 'prometheus', name: 'prom', url: prom.url, selector: 'host="{{host}}"', timeout: '5s' }],
      },
      [{ name: 'cpu-burn', weight: 10, targets: ['web'], duration: '20s' }],
      {
        detection: true,
        steadyState: (clock) => {
          probe = new ScriptedHealth(PASS, clock);
          return { probesFor: () => probe as ScriptedHealth };
        },
      },
    );
    h = x;
    // Prometheus keeps real time: the bot's clock is set to it (run-once ignores business hours).
    x.clock.advance(Date.now() - x.clock.now());
    expect((await x.bot.handle({ text: 'run-once cpu-burn web-1', actor: 'admin', transport: 'test' })).text).toMatch(
      /^Started #1 cpu-burn on web-1/,
    );
    const start = x.store.getAttack('1')?.startedAt as number;
    value = 0;
    await prom.waitFor('ALERTS{alertname="CheckoutDown", alertstate="firing"}', (s) => s.length > 0, 'the alert to fire');
    value = 1;
    await prom.waitFor('ALERTS{alertname="CheckoutDown", alertstate="firing"}', (s) => s.length === 0, 'the alert to resolve');
    x.clock.advance(Date.now() - x.clock.now());
    await x.timers.advance(20_000);
    x.executor.runs[0]?.finish();
    await settle();
    await x.timers.advance(10_000);
    await eventually(() => x.store.getAttack('1')?.detection != null, 'the detection with the verdict');
    const d = x.store.getAttack('1')?.detection;
    expect(d).toMatchObject({ kind: 'detected', alert: 'CheckoutDown', source: 'prom' });
    const after = d?.kind === 'detected' ? d.afterMs : -1;
    expect(after).toBeGreaterThanOrEqual(0);
    expect(after).toBeLessThanOrEqual(Date.now() - start);
  }, 60_000);
});
