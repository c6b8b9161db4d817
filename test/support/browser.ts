import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { deferCleanup } from './cleanup.js';

/** Debian's `chromium` package (.ci/run installs it); playwright-core drives it, nothing is downloaded. */
export const CHROMIUM = '/usr/bin/chromium';

/** A headless Chromium, closed (its processes with it) after the test file, passed or failed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install the Debian package chromium (bash .ci/run does)`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Chromium refuses to start as root with its sandbox on (CI containers run as root); the pages
    // it opens are our own, on loopback.
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
  deferCleanup(() => browser.close());
  return browser;
}
