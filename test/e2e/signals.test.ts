import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { startBot } from '../support/run-bot.js';
import { MIGRATIONS, writeTestConfig } from '../support/test-config.js';

/** Business hours all week, so the test does not depend on the day it runs. */
const ALWAYS = { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00', holidays: [] };

describe('signals', () => {
  it.each(['SIGHUP', 'SIGTERM', 'SIGINT'] as const)('%s reverts the attack in flight before the bot exits', async (signal) => {
    const { dir, file } = writeTestConfig({ businessHours: ALWAYS });
    const bot = await startBot(['--config', file]);
    bot.say('run-once cpu-burn web-1');
    await bot.waitFor(/Started #1 cpu-burn on web-1/);
    bot.child.kill(signal);
    const exit = await bot.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    const store = new SqliteStore({ file: join(dir, 'data', 'chaoscat.db'), migrationsDir: MIGRATIONS });
    try {
      expect(store.getAttack('1')).toMatchObject({
        state: 'reverted',
        reason: expect.stringMatching(new RegExp(`^received ${signal}: reverted`)),
      });
      expect(store.unfinishedAttacks()).toEqual([]);
    } finally {
      store.close();
    }
  });
});
