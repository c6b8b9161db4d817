import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { seedArchive, XSS_OUTPUT, XSS_REASON } from '../support/archive-seed.js';
import { launchChromium } from '../support/browser.js';
import { freePort } from '../support/http-servers.js';
import { startBot } from '../support/run-bot.js';
import { MIGRATIONS, writeTestConfig } from '../support/test-config.js';

const TZ = 'America/Los_Angeles';

/** Every dialog (alert, confirm) a page opens: an injected script would show here. */
function dialogsOf(page: Page): string[] {
  const seen: string[] = [];
  page.on('dialog', (d) => {
    seen.push(d.message());
    void d.dismiss();
  });
  return seen;
}

describe('the report archive in a real browser (Chromium driving the real bot)', () => {
  it('shows red cards for the bad days, opens the day and the attack with its probe chart, runs no injected script', async () => {
    const port = await freePort();
    const { dir, file } = writeTestConfig({ web: { port }, schedule: { tick: '0 0 1 1 *', cooldown: '10m' } }, [
      { name: 'cpu-burn', weight: 1, duration: '10m', targets: ['web'] },
    ]);
    const store = new SqliteStore({ file: join(dir, 'data', 'chaoscat.db'), migrationsDir: MIGRATIONS });
    const today = DateTime.now().setZone(TZ).toISODate() ?? '';
    const seeded = seedArchive(store, today, TZ);
    store.close();

    const bot = await startBot(['--config', file]);
    await bot.waitFor(/Report archive/);
    const printed = /Report archive \(read-only\): (\S+)/.exec(bot.stdout())?.[1];
    expect(printed).toBe(`http://127.0.0.1:${port}/`);

    const browser = await launchChromium();
    const page = await browser.newPage();
    const dialogs = dialogsOf(page);
    await page.goto(printed as string);

    const tone = (date: string) => page.locator(`a.card[data-date="${date}"]`).getAttribute('data-tone');
    expect(await tone(seeded.quiet)).toBe('plain');
    expect(await tone(seeded.notRecovered)).toBe('red');
    expect(await tone(seeded.failedRollback)).toBe('red');
    const before = DateTime.fromISO(seeded.failedRollback).minus({ days: 1 }).toISODate() ?? '';
    expect(await tone(before)).toBe('grey');
    expect(await page.locator('a.card[data-tone="red"]').count()).toBe(2);
    await expect.poll(() => page.locator(`a.card[data-date="${seeded.notRecovered}"]`).innerText()).toMatch(/1 not recovered/);

    // Clicking the red card opens the day: the channel report, its timeline as SVG, the attack linked.
    await page.locator(`a.card[data-date="${seeded.notRecovered}"]`).click();
    await page.waitForURL(`**/day/${seeded.notRecovered}`);
    expect(await page.locator('h1').innerText()).toMatch(new RegExp(`ChaosCat report for \\w{3} ${seeded.notRecovered}`));
    expect(await page.locator('.report').innerText()).toMatch(/Needs a look \(1\)/);
    expect(await page.locator('figure#timeline svg').isVisible()).toBe(true);
    await page.locator(`a[href="/attack/${seeded.ids.notRecovered}"]`).click();
    await page.waitForURL(`**/attack/${seeded.ids.notRecovered}`);
    expect(await page.locator('figure#probes svg').isVisible()).toBe(true);
    expect(await page.locator('figure#probes svg').innerHTML()).toMatch(/detected \(10s\)/);
    expect(await page.locator('dl.facts').innerText()).toMatch(/not recovered/);
    // The output's script tag is text on the page, and no script ran.
    expect(await page.locator('pre.output').innerText()).toBe(XSS_OUTPUT);

    await page.goto(`${printed}day/${seeded.failedRollback}`);
    expect(await page.locator('table.attacks').innerText()).toContain(XSS_REASON);
    await page.goto(`${printed}attack/${seeded.ids.failedRollback}`);
    expect(await page.locator('dl.facts').innerText()).toContain(XSS_REASON);
    expect(await page.locator('dl.facts').innerText()).toMatch(/rollback\s+FAILED/);
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);

    // The print stylesheet drops the navigation, so "Save as PDF" gives the report alone.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.site').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });

    // The archive keeps answering while an attack runs, and the bot keeps writing meanwhile.
    bot.say('run-once cpu-burn web-1');
    await bot.waitFor(/Started #4 cpu-burn on web-1/);
    // The day it started on (the test may run across midnight in the zone).
    const startedOn = DateTime.now().setZone(TZ).toISODate() ?? '';
    await page.goto(`${printed}attack/4`);
    expect(await page.locator('dl.facts').innerText()).toMatch(/outcome\s+running…/);
    await page.goto(`${printed}day/${startedOn}`);
    expect(await page.locator('table.attacks').innerText()).toMatch(/#4\s+\S+\s+cpu-burn\s+web-1/);
    // A stop reason typed in chat is markup-shaped too: it shows as text in the reason and the audit.
    const reason = '"><img src=x onerror=alert(3)>';
    bot.say(`stop ${reason}`);
    await bot.waitFor(/#4 cpu-burn on web-1 \(dry run\) reverted/);
    await page.goto(`${printed}attack/4`);
    expect(await page.locator('dl.facts').innerText()).toMatch(/outcome\s+reverted/);
    expect(await page.locator('dl.facts').innerText()).toContain(reason);
    expect(await page.locator('table.audit').innerText()).toContain(`stop ${reason}`);
    await page.goto(`${printed}day/${startedOn}`);
    expect(await page.locator('table.attacks').innerText()).toContain(reason);
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);

    bot.child.stdin.end();
    expect((await bot.exited).code).toBe(0);
  });

  it('says so when the port is taken, and the bot runs on without the archive', async () => {
    const { startServer } = await import('../support/http-servers.js');
    const taken = await startServer((_req, res) => res.end('someone else'));
    const port = Number(new URL(taken.url).port);
    const { file } = writeTestConfig({ web: { port }, schedule: { tick: '0 0 1 1 *', cooldown: '10m' } });
    const bot = await startBot(['--config', file]);
    await bot.waitFor(/Report archive/);
    expect(bot.stdout()).toMatch(
      new RegExp(
        `Report archive NOT started — cannot serve the report archive on 127\\.0\\.0\\.1:${port}: the port is in use\\. The bot runs without it`,
      ),
    );
    bot.say('status');
    await bot.waitFor(/Running/i);
    bot.child.stdin.end();
    expect((await bot.exited).code).toBe(0);
  });
});
