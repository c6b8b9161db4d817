import { appendFileSync, chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { createSshExecutor } from '../../src/adapters/ssh/index.js';
import { systemTimers } from '../../src/adapters/system/timers.js';
import { type Bot, createBot } from '../../src/app/bot.js';
import { loadConfig } from '../../src/config/load.js';
import type { Reply } from '../../src/ports/chat.js';
import { eventually } from '../support/eventually.js';
import { RecordingAnnouncer, ScriptedRandom, silentLogger } from '../support/fakes.js';
import { hangingProxy } from '../support/hanging-proxy.js';
import { runningAttackIds, uidOf } from '../support/lifecycle-host.js';
import { canRunSshd, type SshdFixture, settingsFor, startSshd } from '../support/sshd.js';
import { type AttackSpec, MIGRATIONS, writeTestConfig } from '../support/test-config.js';

/** Leaves DIR/marker.<id> (its fault, removed by the rollback) and waits its 20 s. */
function sleeper(dir: string): AttackSpec {
  return {
    name: 'sleeper',
    weight: 1,
    duration: '20s',
    targets: { tags: ['web'] },
    params: { DIR: dir },
    blastRadius: { allowAll: true },
    run: ['touch "$CHAOSCAT_PARAM_DIR/marker.$CHAOSCAT_ATTACK_ID"', 'sleep 20', ''].join('\n'),
    rollback: 'rm -f "$CHAOSCAT_PARAM_DIR/marker.$CHAOSCAT_ATTACK_ID"\n',
  };
}

interface Live {
  readonly bot: Bot;
  readonly store: SqliteStore;
  readonly chat: RecordingAnnouncer;
}

/**
 * Case 6 of issue 22: a stop during a 3-host run whose third host hangs in its start. Three real
 * OpenSSH sshd hosts, the third behind a proxy that holds the bytes; a real SQLite file.
 */
describe.skipIf(!canRunSshd())('a stop reverts each host as soon as its own start settles', () => {
  let sshd: SshdFixture;
  let uid: number;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    sshd = await startSshd(3);
    uid = uidOf(sshd.user);
  }, 120_000);
  afterEach(async () => {
    for (let fn = cleanups.pop(); fn; fn = cleanups.pop()) await fn();
  }, 60_000);
  afterAll(async () => {
    await sshd?.stop();
  }, 30_000);

  it('the healthy hosts are reverted and told before the hung host settles; the words say it ran', async () => {
    const dir = mkdtempSync(join(sshd.workDir, 'perhost-'));
    chmodSync(dir, 0o777);
    const hungHost = sshd.hosts[2];
    if (!hungHost) throw new Error('no third host');
    const proxy = await hangingProxy(hungHost.port);
    cleanups.push(() => proxy.close());
    // The proxied host is known by its own key on the proxy's port.
    const knownHosts = join(dir, 'known_hosts');
    copyFileSync(sshd.knownHosts, knownHosts);
    appendFileSync(knownHosts, `[127.0.0.1]:${proxy.port} ${hungHost.hostKey}\n`);
    const ports = [sshd.hosts[0]?.port, sshd.hosts[1]?.port, proxy.port];
    const { file } = writeTestConfig(
      {
        dryRun: false,
        timezone: 'UTC',
        businessHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00' },
        schedule: { tick: '0 0 1 1 *', cooldown: '10m', healthTimeout: '30s' },
        ssh: { user: sshd.user, privateKey: sshd.clientKey, knownHosts, agent: false },
        hosts: ports.map((port, i) => ({ name: `web-${i + 1}`, address: '127.0.0.1', port, tags: ['web'] })),
        health: [],
      },
      [sleeper(dir)],
    );
    const config = loadConfig(file);
    const store = new SqliteStore({ file: config.database, migrationsDir: MIGRATIONS });
    const clock = { now: () => Date.now() };
    const executor = createSshExecutor({
      settings: settingsFor(sshd, { knownHosts, connectTimeout: 3_000, keepaliveInterval: 60_000 }),
      logger: silentLogger,
      clock,
    });
    // What happened, in order: each host's start settling, each host told reverted.
    const order: string[] = [];
    const original = executor.start.bind(executor);
    executor.start = async (job, signal) => {
      // web-3 hangs once its start is under way: the script it is sent is held by the proxy.
      if (job.host.name === 'web-3') proxy.hang();
      try {
        const running = await original(job, signal);
        order.push(`${job.host.name} start settled`);
        return running;
      } catch (error) {
        order.push(`${job.host.name} start settled`);
        throw error;
      }
    };
    const chat = new RecordingAnnouncer();
    const announce = chat.announce.bind(chat);
    chat.announce = async (event) => {
      if (
        event.kind === 'attack-progress' &&
        event.progress.kind === 'host-reverted' &&
        event.progress.result.outcome === 'reverted'
      )
        order.push(`told: ${event.progress.host}`);
      return announce(event);
    };
    const bot = createBot({
      config,
      store,
      executor,
      health: { check: async () => ({ healthy: true, checkedAt: clock.now(), results: [] }) },
      announcer: chat,
      ears: chat,
      authorizer: chat,
      clock,
      timers: systemTimers,
      random: new ScriptedRandom([0.5]),
      logger: silentLogger,
    });
    cleanups.push(async () => {
      proxy.release();
      try {
        await bot.shutdown('SIGTERM');
      } finally {
        await executor.close();
        store.close();
      }
    });
    const live: Live = { bot, store, chat };
    const say = (text: string, actor = 'admin'): Promise<Reply> => live.bot.handle({ text, actor, transport: 'console' });
    const markers = () => readdirSync(dir).filter((f) => f.startsWith('marker.'));

    const replied = say('run-once sleeper count=3');
    // The two healthy hosts carry the fault; web-3's start hangs behind the proxy.
    // Three SSH starts on a busy 2-core machine can take a while: a bound for a stuck run, not a speed.
    await eventually(() => markers().length === 2, 'the two healthy hosts to carry the fault', { timeoutMs: 30_000 });
    expect(order).toEqual(expect.arrayContaining(['web-1 start settled', 'web-2 start settled']));
    expect(order).not.toContain('web-3 start settled');

    await say('stop hung host', 'console');
    await eventually(() => order.filter((o) => o.startsWith('told:')).length === 2, 'both healthy hosts told reverted');
    // Reverted on the hosts and told, while web-3's start has still not settled.
    expect(markers()).toEqual([]);
    expect(order).not.toContain('web-3 start settled');
    expect(order.filter((o) => o.startsWith('told:')).sort()).toEqual(['told: web-1', 'told: web-2']);

    // web-3 answers at last: it had started, so it is reverted too.
    proxy.release();
    const reply = await replied;
    expect(reply.text).toMatch(
      /^Reverting \(#\d+\) sleeper on web-\d: stopped by console: hung host; it had started on web-\d, web-\d, web-\d and is being reverted \(each host's result follows as it arrives\)\.$/,
    );
    expect(reply.text).not.toMatch(/Cancelled|cancelled by stopped by/);
    await live.bot.context.runner.idle();
    expect(markers()).toEqual([]);
    expect(runningAttackIds(uid, `${store.instanceId()}-`)).toEqual([]);
    expect(store.unfinishedAttacks()).toEqual([]);
    const ended = chat.events.filter((e) => e.kind === 'attack-ended');
    expect(ended).toHaveLength(1);
    expect(ended[0]?.record.state).not.toBe('cancelled');
    expect(existsSync(knownHosts)).toBe(true);
  }, 90_000);
});
