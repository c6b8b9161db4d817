import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHealthGate } from '../../src/adapters/health/index.js';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { createSshExecutor } from '../../src/adapters/ssh/index.js';
import { systemTimers } from '../../src/adapters/system/timers.js';
import { type Bot, createBot } from '../../src/app/bot.js';
import type { Config } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load.js';
import type { AttackRecord } from '../../src/domain/model.js';
import type { Reply } from '../../src/ports/chat.js';
import { eventually } from '../support/eventually.js';
import { RecordingAnnouncer, ScriptedRandom, silentLogger } from '../support/fakes.js';
import { sendJson, startServer } from '../support/http-servers.js';
import {
  attackProcesses,
  Freezer,
  fillUntilFull,
  freeSpace,
  mountTmpfs,
  processesWith,
  readProc,
  runningAttackIds,
  uidOf,
  unmountTmpfs,
} from '../support/lifecycle-host.js';
import { shown } from '../support/shown.js';
import { canRunSshd, type SshdFixture, settingsFor, startSshd, TEST_USER } from '../support/sshd.js';
import { type AttackSpec, MIGRATIONS, writeTestConfig } from '../support/test-config.js';

const ATTACK = 'sleeper';

/**
 * An attack that leaves its traces in DIR: a line in ran.log (never removed: it proves it ever ran)
 * and marker.<id> (the "fault", removed by the rollback). It runs until DIR/go exists or its 10 s
 * are up. Its rollback fails with exit 3 while DIR/flag exists, as `iptables -D` fails while a
 * chain is in use.
 */
function sleeper(dir: string): AttackSpec {
  return {
    name: ATTACK,
    weight: 1,
    duration: '10s',
    targets: ['web'],
    params: { DIR: dir },
    run: [
      'echo "$CHAOSCAT_ATTACK_ID" >> "$CHAOSCAT_PARAM_DIR/ran.log"',
      'touch "$CHAOSCAT_PARAM_DIR/marker.$CHAOSCAT_ATTACK_ID"',
      'while [ ! -e "$CHAOSCAT_PARAM_DIR/go" ]; do sleep 0.1; done',
      '',
    ].join('\n'),
    rollback: [
      'if [ -e "$CHAOSCAT_PARAM_DIR/flag" ]; then',
      '  echo "undoing the fault"',
      '  echo "cannot undo: flag is in the way" >&2',
      '  exit 3',
      'fi',
      'rm -f "$CHAOSCAT_PARAM_DIR/marker.$CHAOSCAT_ATTACK_ID"',
      '',
    ].join('\n'),
  };
}

interface Live {
  readonly bot: Bot;
  readonly store: SqliteStore;
  readonly chat: RecordingAnnouncer;
  readonly config: Config;
  /** What the host calls attack #id: `<database instance>-<id>`. */
  remoteId(id: string): string;
  /** Reverts what is in flight (bot.shutdown), closes the executor and the store. Safe to call twice. */
  close(): Promise<void>;
}

/** An HTTP health endpoint that holds every answer until the test releases it. */
async function heldHealth(): Promise<{ url: string; requests: () => number; release: () => void }> {
  let released = false;
  const held: ServerResponse[] = [];
  const answer = (res: ServerResponse) => sendJson(res, 200, { status: 'ok' });
  const server = await startServer((_req, res) => {
    if (released) answer(res);
    else held.push(res);
  });
  return {
    url: server.url,
    requests: () => server.requests.length,
    release: () => {
      released = true;
      for (const res of held.splice(0)) answer(res);
    },
  };
}

function say(live: Live, text: string, actor = 'admin'): Promise<Reply> {
  return live.bot.handle({ text, actor, transport: 'console' });
}

function startedId(reply: Reply): string {
  const id = /^Started #(\d+) /.exec(reply.text)?.[1];
  if (!id) throw new Error(`not started: ${reply.text}`);
  return id;
}

function ended(live: Live, id: string): AttackRecord | undefined {
  const event = live.chat.events.find((e) => e.kind === 'attack-ended' && e.record.id === id);
  return event?.kind === 'attack-ended' ? event.record : undefined;
}

async function endedRecord(live: Live, id: string, timeoutMs = 30_000): Promise<AttackRecord> {
  await eventually(() => ended(live, id) !== undefined, `the attack-ended of #${id}`, { timeoutMs });
  return ended(live, id) as AttackRecord;
}

function markers(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.startsWith('marker.'));
}

/** The part of sshd's (rolling) log written after `before` was read. */
function logSince(before: string, after: string): string {
  const tail = before.slice(-200);
  const at = tail ? after.lastIndexOf(tail) : -1;
  return at === -1 ? after : after.slice(at + tail.length);
}

/**
 * The attack lifecycle end to end: the real bot (createBot) with the SSH executor against a real
 * OpenSSH sshd on loopback, a real SQLite file, the real health gate and real timers; only the chat
 * is a recording fake. What the host did is read from the host: files the attack leaves and the
 * processes its wrapper marks.
 */
describe.skipIf(!canRunSshd())('the attack lifecycle against a real sshd host', () => {
  let sshd: SshdFixture;
  let uid: number;
  const cleanups: (() => void | Promise<void>)[] = [];
  const later = (fn: () => void | Promise<void>) => cleanups.push(fn);

  beforeAll(async () => {
    sshd = await startSshd(1);
    uid = uidOf(TEST_USER);
  }, 120_000);
  afterEach(async () => {
    const errors: unknown[] = [];
    for (let fn = cleanups.pop(); fn; fn = cleanups.pop()) {
      try {
        await fn();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'cleanup failed');
  }, 60_000);
  afterAll(async () => {
    await sshd?.stop();
  }, 30_000);

  /** A directory on the host that the test user may write in (removed with the fixture). */
  function hostDir(): string {
    const dir = mkdtempSync(join(sshd.workDir, 'lifecycle-'));
    chmodSync(dir, 0o777);
    return dir;
  }

  function configFor(dir: string, options: { health?: object[]; database?: string }): Config {
    const { file } = writeTestConfig(
      {
        dryRun: false,
        timezone: 'UTC',
        businessHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00' },
        schedule: { tick: '0 0 1 1 *', cooldown: '10m', healthTimeout: '30s' },
        ssh: { user: sshd.user, privateKey: sshd.clientKey, knownHosts: sshd.knownHosts, agent: false },
        hosts: [{ name: 'web-1', address: '127.0.0.1', port: sshd.hosts[0]?.port, tags: ['web'] }],
        health: options.health ?? [],
        ...(options.database ? { database: options.database } : {}),
      },
      [sleeper(dir)],
    );
    return loadConfig(file);
  }

  /** The real bot on `store`: SSH executor on the fixture, real health gate, real timers and clock. */
  function wire(config: Config, store: SqliteStore): Live {
    const clock = { now: () => Date.now() };
    const executor = createSshExecutor({ settings: settingsFor(sshd), logger: silentLogger, clock });
    const chat = new RecordingAnnouncer();
    const health = createHealthGate({
      providers: config.health,
      clock,
      logger: silentLogger,
      gateTimeoutMs: config.schedule.healthTimeout,
    });
    const bot = createBot({
      config,
      store,
      executor,
      health,
      announcer: chat,
      ears: chat,
      authorizer: chat,
      clock,
      timers: systemTimers,
      random: new ScriptedRandom([0.5]),
      logger: silentLogger,
    });
    let closing: Promise<void> | undefined;
    const live: Live = {
      bot,
      store,
      chat,
      config,
      remoteId: (id) => `${store.instanceId()}-${id}`,
      close: () => {
        closing ??= (async () => {
          try {
            await bot.shutdown('SIGTERM');
          } finally {
            await executor.close();
            store.close();
          }
        })();
        return closing;
      },
    };
    later(live.close);
    return live;
  }

  function launch(dir: string, options: { health?: object[]; database?: string } = {}): Live {
    const config = configFor(dir, options);
    return wire(config, new SqliteStore({ file: config.database, migrationsDir: MIGRATIONS }));
  }

  it('stop during a slow health check starts nothing', async () => {
    const dir = hostDir();
    const health = await heldHealth();
    const live = launch(dir, { health: [{ kind: 'http', name: 'slow-api', url: health.url, timeout: '30s' }] });
    const sshdLog = sshd.hosts[0]?.log() ?? '';

    const runOnce = say(live, `run-once ${ATTACK} web-1`);
    await eventually(() => health.requests() === 1, 'the health check to reach the slow provider');
    const stopped = await say(live, 'stop not now', 'console');
    expect(stopped.text).toBe(
      'Halted by console: not now. Nothing starts until an admin says `start`.\n' +
        'Cancelled run-once by admin (it was still checking health).',
    );
    health.release();

    expect((await runOnce).text).toBe('Cancelled: stopped by console: not now.');
    expect(existsSync(join(dir, 'ran.log'))).toBe(false);
    expect(markers(dir)).toEqual([]);
    expect(runningAttackIds(uid, `${live.store.instanceId()}-`)).toEqual([]);
    expect(logSince(sshdLog, sshd.hosts[0]?.log() ?? '')).not.toContain('Accepted publickey');
    expect(live.chat.kinds()).not.toContain('attack-started');
    expect(live.store.unfinishedAttacks()).toEqual([]);
    expect(live.store.history({ limit: 10 })).toEqual([]);
    expect(live.store.getState().halt).toMatchObject({ by: 'console', reason: 'not now' });
    expect(live.bot.context.runner.inFlightCount).toBe(0);
  });

  it('20 concurrent run-once give one attack', async () => {
    const dir = hostDir();
    const health = await heldHealth();
    const live = launch(dir, { health: [{ kind: 'http', name: 'slow-api', url: health.url, timeout: '30s' }] });

    const answered: Reply[] = [];
    const all = Promise.all(
      Array.from({ length: 20 }, () =>
        say(live, `run-once ${ATTACK} web-1`).then((reply) => {
          answered.push(reply);
          return reply;
        }),
      ),
    );
    // The health check takes as long as the test wants: every other run-once is answered meanwhile.
    await eventually(() => answered.length === 19 && health.requests() > 0, '19 answers while one health check is held');
    expect(answered).toHaveLength(19);
    expect(health.requests()).toBe(1);
    health.release();
    const replies = await all;

    const started = replies.filter((r) => r.text.startsWith('Started '));
    const refused = replies.filter((r) => /^Not starting: an attack is in flight \(.+\)\. One at a time\.$/.test(r.text));
    expect(started).toHaveLength(1);
    expect(refused).toHaveLength(19);
    const id = startedId(started[0] as Reply);
    const remote = live.remoteId(id);
    await eventually(() => existsSync(join(dir, `marker.${remote}`)), 'the attack on the host');
    expect(readFileSync(join(dir, 'ran.log'), 'utf8')).toBe(`${remote}\n`);
    expect(markers(dir)).toEqual([`marker.${remote}`]);
    expect(runningAttackIds(uid, `${live.store.instanceId()}-`)).toEqual([remote]);
    expect(live.store.history({ limit: 100 }).map((r) => r.id)).toEqual([id]);

    writeFileSync(join(dir, 'go'), '');
    expect(await endedRecord(live, id)).toMatchObject({ state: 'completed', exitCode: 0, rollbackOk: true });
    expect(markers(dir)).toEqual([]);
    expect(live.chat.kinds().filter((k) => k === 'attack-started')).toHaveLength(1);
    expect(readFileSync(join(dir, 'ran.log'), 'utf8')).toBe(`${remote}\n`);
  });

  it('a frozen host still gets a stop reply at once', async () => {
    const dir = hostDir();
    const live = launch(dir);
    const id = startedId(await say(live, `run-once ${ATTACK} web-1`));
    const remote = live.remoteId(id);
    const marker = join(dir, `marker.${remote}`);
    await eventually(() => existsSync(marker), 'the attack on the host');

    const freezer = new Freezer();
    later(() => freezer.thaw());
    try {
      // The wrapper and everything it started carry CHAOSCAT_WRAPPER=<id>; its parent is the test
      // user's sshd session process of the attack's connection. Freeze that, our listener, and the tree.
      const tree = () => processesWith((v) => v === `CHAOSCAT_WRAPPER=${remote}`);
      const first = tree();
      const inTree = new Set(first.map((p) => p.pid));
      const wrapper = first.find((p) => !inTree.has(p.ppid));
      const session = wrapper ? readProc(wrapper.ppid) : null;
      const listener = readProc(sshd.hosts[0]?.pid ?? 0);
      expect(session).toMatchObject({ uid, cmd: expect.stringMatching(new RegExp(`^sshd: ${TEST_USER}@`)) });
      if (!session || !listener) throw new Error('no sshd session or listener to freeze');
      await freezer.freeze([listener, session]);
      await freezer.freezeAll(tree);
      const marked = attackProcesses(remote);
      expect(marked.length).toBeGreaterThan(0);
      expect(marked.filter((p) => p.state !== 'T')).toEqual([]);

      const stopped = await say(live, 'stop frozen host', 'console');
      expect(stopped.text).toContain(`Reverting 1 attack: #${id}; each result follows as soon as its host answers.`);
      // The reply came back while the host cannot have answered: the record is not final yet.
      expect(live.bot.context.runner.records.get(id)?.state).toBe('aborting');
      expect(live.store.getAttack(id)?.state).toBe('aborting');
      expect(ended(live, id)).toBeUndefined();
      expect(existsSync(marker)).toBe(true);
    } finally {
      freezer.thaw();
    }

    const record = await endedRecord(live, id, 90_000);
    expect(live.store.getAttack(id)).toMatchObject({ state: record.state, reason: record.reason, ending: record.ending });
    if (record.state === 'reverted') {
      expect(record).toMatchObject({ rollbackOk: true, unconfirmed: false });
      expect(record.ending).toEqual({ kind: 'stopped', by: 'console', note: 'frozen host', revert: 'reverted' });
      expect(attackProcesses(remote)).toEqual([]);
      expect(existsSync(marker)).toBe(false);
    } else {
      // The connection died while frozen and the host could not be reached again in time.
      expect(record).toMatchObject({ state: 'failed', rollbackOk: null, unconfirmed: true });
      expect(record.reason).toMatch(/its on-host timer kills the attack and runs its rollback at \d\d:\d\d — not confirmed/);
    }
  }, 120_000);

  /** Runs the attack while DIR/flag makes its rollback fail, stops it and waits for its end. */
  async function stopWithFailingRollback(): Promise<{ live: Live; id: string; marker: string; record: AttackRecord }> {
    const dir = hostDir();
    writeFileSync(join(dir, 'flag'), '');
    const live = launch(dir);
    const id = startedId(await say(live, `run-once ${ATTACK} web-1`));
    const marker = join(dir, `marker.${live.remoteId(id)}`);
    await eventually(() => existsSync(marker), 'the attack on the host');
    const stopped = await say(live, 'stop rollback drill', 'console');
    expect(stopped.text).toContain(`Reverting 1 attack: #${id};`);
    return { live, id, marker, record: await endedRecord(live, id, 60_000) };
  }

  it('a failing rollback is told with the manual command', async () => {
    const { live, id, marker, record } = await stopWithFailingRollback();

    expect(record).toMatchObject({ state: 'failed', rollbackOk: false });
    expect(record.ending).toMatchObject({ kind: 'stopped', by: 'console', note: 'rollback drill', revert: 'failed' });
    expect(record.reason).toContain(
      'stopped by console: rollback drill: revert FAILED on web-1: processes gone on web-1, but the rollback failed (exit 3) — ' +
        'the fault may still be in place.',
    );
    expect(record.reason).toContain('Rollback output: "undoing the fault / cannot undo: flag is in the way".');
    expect(record.reason).toMatch(
      new RegExp(
        ` To roll back by hand: ssh -p ${sshd.hosts[0]?.port} ${TEST_USER}@127\\.0\\.0\\.1 /bin/sh /tmp/chaoscat-[^ ]+/manual\\.sh$`,
      ),
    );
    expect(live.store.getAttack(id)).toMatchObject({ state: 'failed', rollbackOk: false, reason: record.reason });
    // The processes are gone; the fault is not.
    expect(attackProcesses(live.remoteId(id))).toEqual([]);
    expect(existsSync(marker)).toBe(true);

    const failed = await say(live, 'history failed', 'console');
    expect(failed.tables?.flatMap((t) => t.rows)).toHaveLength(1);
    expect(shown(failed)).toMatch(new RegExp(`^${id} .*\\b${ATTACK}\\s+web-1\\s+admin\\s+failed\\b`, 'm'));
  }, 90_000);

  // The executor reports what it saw; the words (src/words/endings.ts) say once what that means.
  it('a failed revert says once that the fault may still be in place', async () => {
    const { record } = await stopWithFailingRollback();
    expect(record.reason?.split('the fault may still be in place')).toHaveLength(2);
  }, 90_000);

  it('disk full mid-attack then freed keeps the true outcome', async ({ annotate }) => {
    const dir = hostDir();
    const dbDir = mkdtempSync(join(tmpdir(), 'chaoscat-lifecycle-db-'));
    later(() => rmSync(dbDir, { recursive: true, force: true }));
    const filler = join(dbDir, 'filler');
    const mounted = mountTmpfs(dbDir, '1m');
    if (mounted) later(() => unmountTmpfs(dbDir));
    else {
      // Fallback where mounting is not permitted: the store refuses writes (PRAGMA query_only), not a
      // full disk. Not `max_page_count`: it lets the outcome's in-place UPDATE through, so it would not
      // make the write under test fail.
      await annotate('tmpfs could not be mounted: writes are refused with PRAGMA query_only instead of a full disk');
    }
    const database = join(dbDir, 'chaoscat.db');
    const live = launch(dir, { database });
    const fill = () => (mounted ? fillUntilFull(dbDir, filler) : live.store.handle.pragma('query_only = ON'));
    const free = () => (mounted ? freeSpace(filler) : live.store.handle.pragma('query_only = OFF'));

    const id = startedId(await say(live, `run-once ${ATTACK} web-1`));
    const remote = live.remoteId(id);
    const marker = join(dir, `marker.${remote}`);
    await eventually(
      () => existsSync(marker) && live.store.getAttack(id)?.state === 'running',
      'the attack running and recorded',
    );

    fill();
    const probe = { at: Date.now(), actor: 'test', transport: 'test', command: 'probe', text: '', outcome: 'ok', detail: '' };
    expect(() => live.store.audit(probe)).toThrow(mounted ? /database or disk is full/ : /readonly database/);
    writeFileSync(join(dir, 'go'), '');
    const record = await endedRecord(live, id);
    expect(record).toMatchObject({ state: 'completed', exitCode: 0, rollbackOk: true });
    expect(existsSync(marker)).toBe(false);

    // The store still says running; status and history tell the truth from memory.
    expect(live.store.getAttack(id)?.state).toBe('running');
    expect(live.bot.context.runner.records.unsaved).toBeGreaterThan(0);
    const status = await say(live, 'status', 'console');
    expect(status.text).toContain('In flight: nothing.');
    expect(status.text).toMatch(/Next attack: .*cooldown until/);
    const history = await say(live, 'history', 'console');
    expect(shown(history)).toMatch(new RegExp(`^${id} .*\\b${ATTACK}\\s+web-1\\s+admin\\s+completed\\b`, 'm'));
    expect(shown(history)).not.toContain('running');

    free();
    await eventually(() => live.store.getAttack(id)?.state === 'completed', 'the delayed write, retried every 5 s', {
      timeoutMs: 30_000,
    });
    const stored = { state: 'completed', exitCode: 0, rollbackOk: true, unconfirmed: false, endedAt: record.endedAt };
    expect(live.store.getAttack(id)).toMatchObject(stored);
    expect(live.bot.context.runner.records.unsaved).toBe(0);
    expect(live.store.getState().cooldownUntil).not.toBeNull();
    await live.close();

    const fresh = new SqliteStore({ file: database, migrationsDir: MIGRATIONS });
    const again = wire(live.config, fresh);
    expect(fresh.getAttack(id)).toMatchObject(stored);
    expect(fresh.unfinishedAttacks()).toEqual([]);
    expect(await again.bot.recover()).toEqual([]);
    expect(again.chat.kinds()).not.toContain('orphan-recovered');
  }, 90_000);
});
