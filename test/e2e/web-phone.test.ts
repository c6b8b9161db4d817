import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { launchChromium } from '../support/browser.js';
import { freePort } from '../support/http-servers.js';
import { startBot } from '../support/run-bot.js';
import { MIGRATIONS, writeTestConfig } from '../support/test-config.js';

const TZ = 'America/Los_Angeles';
/** A Tuesday; business hours 10:00–16:00 in the test config. */
const DAY = '2026-11-24';
const HOSTS = [
  'web-1.payments.internal.example.com',
  'web-2.payments.internal.example.com',
  'web-3.payments.internal.example.com',
];

/** A busy day: 14 attacks of every ending, long reasons, commands, and a run over three hosts with its parameters. */
function seedBusyDay(store: SqliteStore): { run: string } {
  const at = (hh: number, mm: number) => DateTime.fromISO(DAY, { zone: TZ }).set({ hour: hh, minute: mm }).toMillis();
  for (let m = 10 * 60; m < 16 * 60; m++)
    store.recordTick(at(0, m), { kind: 'skipped', code: 'cooldown', reason: 'cooldown until later' });
  const states = ['completed', 'reverted', 'failed', 'orphaned'] as const;
  for (let i = 0; i < 14; i++) {
    const createdAt = at(10 + Math.floor(i / 3), (i * 7) % 60);
    const id = store.insertAttack({
      attack: i % 2 ? 'network-latency' : 'cpu-burn',
      host: HOSTS[i % 3] as string,
      trigger: i % 4 ? { kind: 'schedule' } : { kind: 'user', user: 'U0ADMIN' },
      dryRun: false,
      createdAt,
      deadlineAt: createdAt + 120_000,
      durationMs: 60_000,
    });
    store.markRunning(id, createdAt + 1_000, 4242);
    const state = states[i % 4] as (typeof states)[number];
    store.finishAttack(id, {
      state,
      endedAt: createdAt + 61_000,
      exitCode: state === 'completed' ? 0 : 1,
      reason:
        state === 'completed'
          ? null
          : `a rather long reason that goes on: ${'exit 1: stress-ng: cannot allocate memory; '.repeat(4)}`,
      rollbackOk: state !== 'failed',
    });
    if (i % 3 === 0)
      store.setVerdict(id, {
        kind: 'not-recovered',
        ttdMs: 9_000,
        ttrMs: null,
        detail: `checkout-healthz still failing ${'after the fault ended '.repeat(3)}`,
      });
  }
  store.audit({
    at: at(12, 0),
    actor: 'U0ALICE',
    transport: 'slack-mention',
    command: 'stop',
    text: 'stop deploy in progress, hold everything',
    outcome: 'ok',
    detail: 'Halted.',
    action: 'halted',
  });
  store.audit({
    at: at(12, 30),
    actor: 'U0ADMIN',
    transport: 'slack-mention',
    command: 'start',
    text: 'start',
    outcome: 'ok',
    detail: 'Resumed.',
    action: 'resumed',
  });
  const createdAt = at(15, 0);
  const base = {
    attack: 'network-latency',
    trigger: { kind: 'user', user: 'U0ADMIN' } as const,
    dryRun: false,
    createdAt,
    deadlineAt: createdAt + 120_000,
    durationMs: 60_000,
  };
  const params = { DELAY_MS: '800', JITTER_MS: '20', INTERFACE: 'eth0' };
  const run = store.insertAttack({ ...base, host: HOSTS[0] as string, hosts: HOSTS, params });
  for (const host of HOSTS.slice(1)) {
    const leg = store.insertAttack({ ...base, host, runId: run, params });
    store.markRunning(leg, createdAt + 1_000, 4243);
    store.finishAttack(leg, { state: 'completed', endedAt: createdAt + 61_000, exitCode: 0, rollbackOk: true });
  }
  store.markRunning(run, createdAt + 1_000, 4242);
  store.finishAttack(run, { state: 'completed', endedAt: createdAt + 61_000, exitCode: 0, rollbackOk: true });
  return { run };
}

async function widthAt(page: Page, url: string): Promise<number> {
  await page.goto(url);
  return (await page.evaluate('document.documentElement.scrollWidth')) as number;
}

describe('the report archive on a phone (Chromium at 390×844)', () => {
  it('nothing scrolls sideways: the index, a busy day and a run over three hosts; the chart spans business hours; the calendar opens the day', async () => {
    const port = await freePort();
    const { dir, file } = writeTestConfig({ web: { port }, schedule: { tick: '0 0 1 1 *', cooldown: '10m' } }, [
      { name: 'cpu-burn', weight: 1, duration: '1m', targets: ['web'] },
      { name: 'network-latency', weight: 1, duration: '1m', targets: ['web'] },
    ]);
    const store = new SqliteStore({ file: join(dir, 'data', 'chaoscat.db'), migrationsDir: MIGRATIONS });
    const { run } = seedBusyDay(store);
    store.close();
    const bot = await startBot(['--config', file]);
    await bot.waitFor(/Report archive/);
    const root = `http://127.0.0.1:${port}/`;
    const browser = await launchChromium();
    const shots = process.env.CHAOSCAT_SCREENSHOTS;
    for (const [width, height] of [
      [390, 844],
      [1280, 800],
    ] as const) {
      const page = await browser.newPage({ viewport: { width, height } });
      const pages = { index: `${root}?page=0`, day: `${root}day/${DAY}`, run: `${root}attack/${run}` };
      for (const [name, url] of Object.entries(pages)) {
        const scrolled = await widthAt(page, url);
        if (shots) {
          mkdirSync(shots, { recursive: true });
          const tall = (await page.evaluate('document.documentElement.scrollHeight')) as number;
          for (let y = 0, n = 0; y < tall && n < 4; y += Math.max(height, Math.floor(tall / 4)), n++) {
            await page.evaluate(`window.scrollTo(0, ${y})`);
            await page.screenshot({ path: join(shots, `${name}-${width}-${n}.png`) });
          }
        }
        expect(scrolled, `${name} at ${width} px`).toBeLessThanOrEqual(width);
      }
      await page.close();
    }
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    // The run's page names every host and the parameters it ran with.
    await page.goto(`${root}attack/${run}`);
    const text = await page.locator('main').innerText();
    for (const host of HOSTS) expect(text).toContain(host);
    for (const value of ['DELAY_MS', '800', 'JITTER_MS', 'INTERFACE', 'eth0']) expect(text).toContain(value);
    expect(text).toContain('The values it ran with.');
    // The day's chart spans the business hours (10:00–16:00) and the attacks, not the whole day.
    await page.goto(`${root}day/${DAY}`);
    if (shots) await page.locator('figure#timeline').screenshot({ path: join(shots, 'timeline-390.png') });
    const ticks = await page.locator('figure#timeline svg text').evaluateAll((nodes) => nodes.map((n) => n.textContent ?? ''));
    expect(ticks).toContain('10:00');
    expect(ticks).not.toContain('00:00');
    expect(ticks).not.toContain('23:00');
    // A table is a column of cards: each cell carries its column's name.
    expect(await page.locator('table.attacks td[data-label="outcome"]').count()).toBe(15);
    // The calendar links to the day.
    await page.goto(root);
    await page.locator(`a.card[data-date="${DAY}"]`).click();
    await page.waitForURL(`**/day/${DAY}`);
    expect(await page.locator('h1').innerText()).toContain(DAY);
    bot.child.stdin.end();
    expect((await bot.exited).code).toBe(0);
  });
});
