import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHealthGate } from '../../src/adapters/health/index.js';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { createSshExecutor } from '../../src/adapters/ssh/index.js';
import { systemTimers } from '../../src/adapters/system/timers.js';
import { createBot } from '../../src/app/bot.js';
import { loadConfig } from '../../src/config/load.js';
import { ALERTMANAGER_BIN, alertmanagerAvailable, type RealAlertmanager, startAlertmanager } from '../support/alertmanager.js';
import { eventually } from '../support/eventually.js';
import { RecordingAnnouncer, ScriptedRandom, silentLogger } from '../support/fakes.js';
import { canRunSshd, type SshdFixture, startSshd, TEST_USER } from '../support/sshd.js';
import { MIGRATIONS, writeTestConfig } from '../support/test-config.js';

function processes(marker: string): number[] {
  try {
    return execFileSync('pgrep', ['-u', TEST_USER, '-f', marker], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Health turns bad mid-attack: the attack on a real sshd host is aborted and reverted, and the thread says which check. */
describe('health abort of a live attack', () => {
  let am: RealAlertmanager;
  let sshd: SshdFixture;

  beforeAll(async () => {
    if (!alertmanagerAvailable()) throw new Error(`${ALERTMANAGER_BIN} is missing: install prometheus-alertmanager`);
    if (!canRunSshd()) throw new Error('needs /usr/sbin/sshd (openssh-server) and root');
    [am, sshd] = await Promise.all([startAlertmanager(), startSshd(1)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([am?.stop(), sshd?.stop()]);
  }, 30_000);

  it('reverts the attack on the host when a critical alert starts firing', async () => {
    const marker = `sleep 58${process.pid % 100}3`;
    const flag = join(sshd.workDir, `health-abort-${process.pid}`);
    const { file } = writeTestConfig(
      {
        dryRun: false,
        timezone: 'UTC',
        businessHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00' },
        schedule: { tick: '* * * * *', cooldown: '10m', healthInterval: '500ms' },
        ssh: { user: sshd.user, privateKey: sshd.clientKey, knownHosts: sshd.knownHosts },
        hosts: [{ name: 'web-1', address: '127.0.0.1', port: sshd.hosts[0]?.port, tags: ['web'] }],
        health: [{ kind: 'alertmanager', name: 'paging-alerts', url: am.url, matchers: ['severity="critical"', 'case="ssh"'] }],
      },
      [{ name: 'sleeper', weight: 1, duration: '30s', run: `touch ${flag}\n${marker}\n`, rollback: `rm -f ${flag}\n` }],
    );
    const config = loadConfig(file);
    const clock = { now: () => Date.now() };
    const store = new SqliteStore({ file: config.database, migrationsDir: MIGRATIONS });
    const executor = createSshExecutor({ settings: config.ssh, logger: silentLogger, clock });
    const chat = new RecordingAnnouncer();
    const bot = createBot({
      config,
      store,
      executor,
      health: createHealthGate({ providers: config.health, clock, logger: silentLogger, gateTimeoutMs: 5000 }),
      announcer: chat,
      ears: chat,
      authorizer: chat,
      clock,
      timers: systemTimers,
      random: new ScriptedRandom([0.5]),
      logger: silentLogger,
    });
    try {
      expect(await bot.tick()).toMatchObject({ kind: 'attacked', attack: 'sleeper', host: 'web-1' });
      await eventually(() => processes(marker).length > 0 && existsSync(flag), 'the attack on the host', { timeoutMs: 30_000 });

      await am.postAlerts([{ labels: { alertname: 'ErrorBudgetBurn', severity: 'critical', case: 'ssh' } }]);
      await eventually(() => chat.kinds().includes('auto-aborted'), 'the auto-abort', { timeoutMs: 30_000 });

      expect(processes(marker)).toEqual([]);
      expect(existsSync(flag)).toBe(false);
      const record = store.history({ limit: 1 })[0];
      expect(record).toMatchObject({ state: 'reverted', rollbackOk: true });
      expect(record?.ending).toEqual({
        kind: 'health',
        failing: expect.stringMatching(/^paging-alerts: .*ErrorBudgetBurn/),
        revert: 'reverted',
      });
      const event = chat.events.find((e) => e.kind === 'auto-aborted');
      expect(event?.kind === 'auto-aborted' && event.failing.map((f) => f.name)).toEqual(['paging-alerts']);
    } finally {
      await bot.shutdown('SIGTERM');
      await executor.close();
      store.close();
    }
  });
});
