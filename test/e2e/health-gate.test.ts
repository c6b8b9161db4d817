import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHealthGate } from '../../src/adapters/health/index.js';
import { type HealthProviderConfig, healthProviderSchema } from '../../src/config/health-schema.js';
import { ALERTMANAGER_BIN, alertmanagerAvailable, type RealAlertmanager, startAlertmanager } from '../support/alertmanager.js';
import { type Harness, harness, say } from '../support/bot-harness.js';
import { eventually } from '../support/eventually.js';
import { silentLogger } from '../support/fakes.js';

/**
 * The "done when": a real Alertmanager as the only health gate. No attack starts while a
 * critical alert fires (status says which), one starts once it resolves, and an attack in flight is
 * reverted when an alert starts firing.
 */
describe('Alertmanager as the health gate of the loop', () => {
  let am: RealAlertmanager;
  let h: Harness;

  beforeAll(async () => {
    if (!alertmanagerAvailable()) throw new Error(`${ALERTMANAGER_BIN} is missing: install prometheus-alertmanager`);
    am = await startAlertmanager();
  }, 60_000);
  afterAll(async () => {
    h?.close();
    await am?.stop();
  }, 30_000);

  const build = (healthInterval: string) => {
    const raw = {
      kind: 'alertmanager',
      name: 'alertmanager',
      url: am.url,
      matchers: ['severity=~"critical|page"', `case="${healthInterval}"`],
      timeout: '5s',
    };
    const provider: HealthProviderConfig = healthProviderSchema.parse(raw);
    return harness({ schedule: { tick: '* * * * *', cooldown: '10m', healthInterval }, health: [raw] }, undefined, {
      realHealth: (clock) => createHealthGate({ providers: [provider], clock, logger: silentLogger, gateTimeoutMs: 8000 }),
    });
  };
  const alert = (caseLabel: string, endsAt?: string) => ({
    labels: { alertname: 'HighLatency', severity: 'critical', service: 'api', case: caseLabel },
    annotations: { summary: 'p99 over SLO' },
    ...(endsAt ? { endsAt } : {}),
  });

  it('no attack while a critical alert fires; status names it; one starts once it resolves', async () => {
    h = build('10s');
    await am.postAlerts([alert('10s')]);
    await am.waitFor((list) => list.some((a) => a.labels.case === '10s' && a.status.state === 'active'), 'the alert');
    const blocked = await h.bot.tick();
    expect(blocked).toMatchObject({ kind: 'skipped', code: 'unhealthy', reason: expect.stringMatching(/HighLatency/) });
    expect(h.executor.runs).toHaveLength(0);
    expect((await say(h, 'status')).text).toMatch(/FAIL alertmanager \(alertmanager\): .*HighLatency/);

    await am.postAlerts([alert('10s', new Date(Date.now() - 60_000).toISOString())]);
    await am.waitFor((list) => !list.some((a) => a.labels.case === '10s' && a.status.state === 'active'), 'the resolution');
    expect(await h.bot.tick()).toMatchObject({ kind: 'attacked' });
    expect(h.executor.runs).toHaveLength(1);
    h.close();
  });

  it('an attack in flight is aborted and reverted when an alert starts firing', async () => {
    h = build('200ms');
    expect(await h.bot.tick()).toMatchObject({ kind: 'attacked' });
    await am.postAlerts([alert('200ms')]);
    // The bot's timers are stepped by the test; Alertmanager answers in real time.
    await eventually(
      async () => {
        if (h.chat.kinds().includes('auto-aborted')) return true;
        await h.timers.advance(200);
        return false;
      },
      'the auto-abort',
      { timeoutMs: 30_000, everyMs: 50 },
    );
    expect(h.executor.runs[0]?.aborted).toBeTruthy();
    expect(h.store.history({ limit: 1 })[0]).toMatchObject({
      state: 'reverted',
      rollbackOk: true,
      ending: { kind: 'health', failing: expect.stringMatching(/^alertmanager: .*HighLatency/), revert: 'reverted' },
    });
  });
});
