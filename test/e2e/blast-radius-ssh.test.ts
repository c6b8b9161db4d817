import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { createSshExecutor } from '../../src/adapters/ssh/index.js';
import { systemTimers } from '../../src/adapters/system/timers.js';
import { type Bot, createBot } from '../../src/app/bot.js';
import { loadConfig } from '../../src/config/load.js';
import type { AttackRecord } from '../../src/domain/model.js';
import type { Reply } from '../../src/ports/chat.js';
import type { Executor } from '../../src/ports/executor.js';
import { eventText } from '../../src/words/announcements.js';
import { eventually } from '../support/eventually.js';
import { RecordingAnnouncer, ScriptedRandom, silentLogger } from '../support/fakes.js';
import { runningAttackIds, uidOf } from '../support/lifecycle-host.js';
import { shown } from '../support/shown.js';
import { canRunSshd, type SshdFixture, settingsFor, startSshd, TEST_USER } from '../support/sshd.js';
import { type AttackSpec, MIGRATIONS, writeTestConfig } from '../support/test-config.js';

/**
 * An attack that writes `<host> <LEVEL>` to DIR/ran.log and leaves DIR/marker.<id> (its "fault",
 * removed by the rollback), then waits for DIR/go or its 20 s. LEVEL has bounds 1..10000 ms.
 */
function sleeper(dir: string, name: string, blastRadius?: object): AttackSpec {
  return {
    name,
    weight: 1,
    duration: '20s',
    targets: { tags: ['web'] },
    params: {
      DIR: dir,
      LEVEL: { default: 200, min: 1, max: 10000, unit: 'ms', description: 'how hard' },
    },
    ...(blastRadius ? { blastRadius } : {}),
    run: [
      'echo "$CHAOSCAT_HOST $CHAOSCAT_PARAM_LEVEL" >> "$CHAOSCAT_PARAM_DIR/ran.log"',
      'touch "$CHAOSCAT_PARAM_DIR/marker.$CHAOSCAT_ATTACK_ID"',
      'while [ ! -e "$CHAOSCAT_PARAM_DIR/go" ]; do sleep 0.1; done',
      '',
    ].join('\n'),
    rollback: 'rm -f "$CHAOSCAT_PARAM_DIR/marker.$CHAOSCAT_ATTACK_ID"\n',
  };
}

interface Live {
  readonly bot: Bot;
  readonly store: SqliteStore;
  readonly chat: RecordingAnnouncer;
  close(): Promise<void>;
}

/**
 * Blast radius and parameters end to end: the real bot, the SSH executor against four real OpenSSH
 * sshd hosts on loopback, a real SQLite file and real timers; only the chat is a recording fake.
 */
describe.skipIf(!canRunSshd())('runs over several real sshd hosts', () => {
  let sshd: SshdFixture;
  let uid: number;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    sshd = await startSshd(4);
    uid = uidOf(TEST_USER);
  }, 120_000);
  afterEach(async () => {
    for (let fn = cleanups.pop(); fn; fn = cleanups.pop()) await fn();
  }, 60_000);
  afterAll(async () => {
    await sshd?.stop();
  }, 30_000);

  function hostDir(): string {
    const dir = mkdtempSync(join(sshd.workDir, 'blast-'));
    chmodSync(dir, 0o777);
    return dir;
  }

  function start(dir: string, wrap?: (executor: Executor) => void): Live {
    const { file } = writeTestConfig(
      {
        dryRun: false,
        timezone: 'UTC',
        businessHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00' },
        schedule: { tick: '0 0 1 1 *', cooldown: '10m', healthTimeout: '30s' },
        ssh: { user: sshd.user, privateKey: sshd.clientKey, knownHosts: sshd.knownHosts, agent: false },
        hosts: sshd.hosts.map((h, i) => ({ name: `web-${i + 1}`, address: '127.0.0.1', port: h.port, tags: ['web'] })),
        health: [],
      },
      [sleeper(dir, 'sleeper'), sleeper(dir, 'capped', { max: 1 })],
    );
    const config = loadConfig(file);
    const store = new SqliteStore({ file: config.database, migrationsDir: MIGRATIONS });
    const clock = { now: () => Date.now() };
    const executor = createSshExecutor({ settings: settingsFor(sshd), logger: silentLogger, clock });
    wrap?.(executor);
    const chat = new RecordingAnnouncer();
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
    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= (async () => {
        try {
          await bot.shutdown('SIGTERM');
        } finally {
          await executor.close();
          store.close();
        }
      })();
      return closing;
    };
    cleanups.push(close);
    return { bot, store, chat, close };
  }

  const say = (live: Live, text: string, actor = 'admin'): Promise<Reply> =>
    live.bot.handle({ text, actor, transport: 'console' });
  const ran = (dir: string): string[] =>
    existsSync(join(dir, 'ran.log'))
      ? readFileSync(join(dir, 'ran.log'), 'utf8')
          .split('\n')
          .filter((l) => l !== '')
      : [];
  const markers = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('marker.'));
  const prefix = (live: Live) => `${live.store.instanceId()}-`;

  it('percent=50 over 4 hosts hits 2: one announcement names both, one stop reverts both', async () => {
    const dir = hostDir();
    const live = start(dir);
    await say(live, 'run-once sleeper percent=50');
    const announced = live.chat.events.find((e) => e.kind === 'attack-started');
    const web = expect.stringMatching(/^web-\d$/);
    expect(announced?.kind === 'attack-started' && announced.record).toMatchObject({
      attack: 'sleeper',
      durationMs: 20_000,
      hosts: [web, web],
    });
    await eventually(() => markers(dir).length === 2, 'both hosts to carry the fault');
    const hosts = ran(dir).map((l) => l.split(' ')[0]);
    expect(new Set(hosts).size).toBe(2);
    const started = live.chat.events.filter((e) => e.kind === 'attack-started');
    expect(started).toHaveLength(1);
    const run = started[0]?.record as AttackRecord;
    expect([...(run.hosts ?? [])].sort()).toEqual([...hosts].sort());
    // One thread: every event of the run is about the run's row.
    expect(new Set(live.chat.events.filter((e) => 'record' in e).map((e) => (e as { record: AttackRecord }).record.id))).toEqual(
      new Set([run.id]),
    );
    expect(live.bot.context.runner.inFlightCount).toBe(1);
    expect(runningAttackIds(uid, prefix(live))).toHaveLength(2);

    const stopped = await say(live, 'stop enough', 'console');
    expect(stopped.text).toContain(`Reverting 1 attack: #${run.id}`);
    // The halt announcement names the run once, with every host.
    const halted = live.chat.events.find((e) => e.kind === 'halted');
    expect(halted && eventText(halted, 'UTC')).toContain(`Reverting #${run.id} sleeper on ${run.hosts?.join(', ')}…`);
    await eventually(() => live.chat.kinds().includes('attack-ended'), 'the run to end', { timeoutMs: 30_000 });
    const endedEvents = live.chat.events.filter((e) => e.kind === 'attack-ended');
    expect(endedEvents).toHaveLength(1);
    const ended = endedEvents[0];
    if (ended?.kind !== 'attack-ended') throw new Error('no end');
    expect(ended.record.state).toBe('reverted');
    // Both hosts were reverted by the same stop: one reason, not one per host.
    expect(ended.record.reason).toBe('stopped by console: enough');
    expect(ended.legs?.map((l) => l.state)).toEqual(['reverted']);
    // Each host's revert was told as it arrived, before the run's end.
    const told = live.chat.events.flatMap((e, i) =>
      e.kind === 'attack-progress' && e.progress.kind === 'host-reverted' && e.progress.result.outcome === 'reverted'
        ? [[e.progress.host, i] as const]
        : [],
    );
    expect(told.map(([h]) => h).sort()).toEqual([...hosts].sort());
    for (const [, i] of told) expect(i).toBeLessThan(live.chat.events.indexOf(ended));
    expect(markers(dir)).toEqual([]);
    expect(runningAttackIds(uid, prefix(live))).toEqual([]);
    // History: one row per run, with its hosts; `history #ID` per host.
    const rows = live.store.history({ limit: 10 });
    expect(rows.map((r) => r.id)).toEqual([run.id]);
    const history = await say(live, 'history', 'console');
    expect(shown(history)).toContain(run.hosts?.join(','));
    const detail = await say(live, `history #${run.id}`, 'console');
    expect(detail.block).toContain('run         2 hosts');
    for (const h of hosts) expect(detail.block).toMatch(new RegExp(`  ${h} \\(#\\d+\\)`));
  }, 90_000);

  it('a stop while a 3-host run is starting leaves nothing running on any host', async () => {
    const dir = hostDir();
    const live = start(dir);
    // Whatever point of the start the stop lands on (pre-flight, some hosts connected, all started),
    // every host ends with nothing running and no fault left, and every row is final.
    let stopped: Promise<Reply> | undefined;
    const original = live.chat.announceStart.bind(live.chat);
    live.chat.announceStart = async (event) => {
      const posted = await original(event);
      stopped = say(live, 'stop mid-launch', 'console');
      return posted;
    };
    const reply = await say(live, 'run-once sleeper count=3');
    expect(reply.text).toMatch(/^Cancelled( \(#\d+\))?: stopped by|^Started #\d+ sleeper on web-\d, web-\d, web-\d/);
    await stopped;
    await live.bot.context.runner.idle();
    expect(runningAttackIds(uid, prefix(live))).toEqual([]);
    expect(markers(dir)).toEqual([]);
    expect(live.store.unfinishedAttacks()).toEqual([]);
    const rows = live.store.history({ limit: 10 });
    expect(rows).toHaveLength(1);
    expect(live.store.runMembers(rows[0]?.id as string)).toHaveLength(2);
    expect(live.chat.events.filter((e) => e.kind === 'attack-ended')).toHaveLength(1);
  }, 60_000);

  it('a stop once the first of 3 hosts has started leaves nothing running on any host: those started are reverted, the others run nothing', async () => {
    const dir = hostDir();
    let stopped: Promise<Reply> | undefined;
    const live: Live = start(dir, (executor) => {
      const original = executor.start.bind(executor);
      executor.start = async (job, signal) => {
        const running = await original(job, signal);
        stopped ??= say(live, 'stop mid-start', 'console');
        return running;
      };
    });
    const reply = await say(live, 'run-once sleeper count=3');
    expect(reply.text).toMatch(
      /^Reverting \(#\d+\) sleeper on web-\d: stopped by console: mid-start; it had started on web-\d.* and is being reverted/,
    );
    expect(reply.text).not.toMatch(/Cancelled|cancelled by stopped by/);
    await stopped;
    await live.bot.context.runner.idle();
    // Each host that started is reverted as soon as its start settled: its script may not have got
    // to its first line, so ran.log proves nothing here; the reply names the hosts it started on.
    expect(runningAttackIds(uid, prefix(live))).toEqual([]);
    expect(markers(dir)).toEqual([]);
    expect(live.store.unfinishedAttacks()).toEqual([]);
    const ended = live.chat.events.filter((e) => e.kind === 'attack-ended');
    expect(ended).toHaveLength(1);
    expect(ended[0]?.record.state).toBe('reverted');
  }, 60_000);

  it('count=2 on an attack whose blastRadius max is 1 hits one host', async () => {
    const dir = hostDir();
    const live = start(dir);
    await say(live, 'run-once capped count=2');
    const announced = live.chat.events.find((e) => e.kind === 'attack-started');
    const record = announced?.kind === 'attack-started' ? announced.record : undefined;
    expect(record).toMatchObject({ attack: 'capped', durationMs: 20_000, host: expect.stringMatching(/^web-\d$/) });
    expect(record?.hosts?.length ?? 1).toBe(1);
    await eventually(() => markers(dir).length === 1, 'the host to carry the fault');
    const started = live.chat.events.find((e) => e.kind === 'attack-started');
    expect(started?.kind === 'attack-started' && started.note).toMatchObject({
      capped: { hosts: 1, why: { kind: 'max', asked: { kind: 'count', count: 2 }, max: 1 } },
    });
    expect(ran(dir)).toHaveLength(1);
    expect(runningAttackIds(uid, prefix(live))).toHaveLength(1);
  }, 60_000);

  it('refuses a parameter over its max, naming the bound, and runs nothing', async () => {
    const dir = hostDir();
    const live = start(dir);
    const reply = await say(live, 'run-once sleeper web-1 LEVEL=20000');
    expect(reply.text).toBe('Not starting: LEVEL=20000 is above its max 10000 ms.');
    const unknown = await say(live, 'run-once sleeper web-1 NOPE=1');
    expect(unknown.text).toBe('Not starting: sleeper has no parameter NOPE (its parameters: DIR, LEVEL).');
    expect(ran(dir)).toEqual([]);
    expect(live.chat.events).toEqual([]);
    expect(live.store.history({ limit: 10 })).toEqual([]);
    expect(live.bot.context.runner.inFlightCount).toBe(0);
  }, 30_000);

  it('a parameter value reaches the script, and is shown in the announcement and history #ID', async () => {
    const dir = hostDir();
    const live = start(dir);
    const reply = await say(live, 'run-once sleeper web-3 LEVEL=750');
    const id = /^Started #(\d+) sleeper on web-3 /.exec(reply.text)?.[1] as string;
    expect(id).toBeDefined();
    await eventually(() => ran(dir).length === 1, 'the script to run');
    expect(ran(dir)).toEqual(['web-3 750']);
    const started = live.chat.events.find((e) => e.kind === 'attack-started');
    expect(started?.kind === 'attack-started' && started.record.params).toEqual({ DIR: dir, LEVEL: '750' });
    // The announcement says them, in the words both transports print.
    expect(started && eventText(started, 'UTC')).toContain(`Parameters: DIR=${dir}, LEVEL=750.`);
    const detail = await say(live, `history #${id}`, 'console');
    expect(detail.block).toContain(`params      DIR=${dir}, LEVEL=750 (as it ran)`);
    expect(live.store.getAttack(id)?.params).toEqual({ DIR: dir, LEVEL: '750' });
  }, 60_000);
});
