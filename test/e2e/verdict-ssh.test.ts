import { chmodSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DryRunExecutor } from '../../src/adapters/dry-run/dry-run-executor.js';
import { createHealthGate, createSteadyState } from '../../src/adapters/health/index.js';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { createSshExecutor } from '../../src/adapters/ssh/index.js';
import { systemTimers } from '../../src/adapters/system/timers.js';
import { type Bot, createBot } from '../../src/app/bot.js';
import type { Config } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load.js';
import type { AttackRecord } from '../../src/domain/model.js';
import { verdictCounts } from '../../src/domain/report-tally.js';
import type { ChatEvent, Reply } from '../../src/ports/chat.js';
import type { Executor } from '../../src/ports/executor.js';
import { eventText, verdictLine } from '../../src/words/announcements.js';
import { eventually } from '../support/eventually.js';
import { RecordingAnnouncer, ScriptedRandom, silentLogger } from '../support/fakes.js';
import { sendJson, startServer } from '../support/http-servers.js';
import { attackProcesses } from '../support/lifecycle-host.js';
import { canRunSshd, type SshdFixture, settingsFor, startSshd } from '../support/sshd.js';
import { type AttackSpec, MIGRATIONS, writeTestConfig } from '../support/test-config.js';
import { type HostService, startService } from '../support/verdict-service.js';

type VerdictEvent = Extract<ChatEvent, { kind: 'verdict' }>;

const RECOVERY_MS = 5_000;
const PROBE = 'service-running';

/**
 * process-kill, by the service's pid file: kills it, then holds until its deadline (as process-kill
 * does). It leaves `<pid file>.ran` behind, the proof that it ran on the host.
 */
function serviceKill(service: HostService, options: { recovery?: string; abortOnDeviation?: boolean } = {}): AttackSpec {
  return {
    name: 'service-kill',
    duration: '3s',
    targets: ['web'],
    params: { PIDFILE: service.pidFile },
    run: [
      'touch "$CHAOSCAT_PARAM_PIDFILE.ran"',
      'pid=$(cat "$CHAOSCAT_PARAM_PIDFILE")',
      'echo "killing $pid"',
      'kill "$pid"',
      'exec sleep 60',
      '',
    ].join('\n'),
    rollback: 'true',
    steadyState: [{ kind: 'command', name: PROBE, command: [...service.probe], timeout: '2s' }],
    recovery: options.recovery ?? '5s',
    ...(options.abortOnDeviation ? { abortOnDeviation: true } : {}),
  };
}

/** A cpu-burn stand-in that harms nothing: it only holds for its duration. */
function harmless(service: HostService): AttackSpec {
  return {
    name: 'cpu-burn',
    duration: '2s',
    targets: ['web'],
    run: 'exec sleep 60\n',
    rollback: 'true',
    steadyState: [{ kind: 'command', name: PROBE, command: [...service.probe], timeout: '2s' }],
    recovery: '5s',
  };
}

interface Live {
  readonly bot: Bot;
  readonly store: SqliteStore;
  readonly chat: RecordingAnnouncer;
  readonly config: Config;
}

/**
 * The steady-state verdict end to end: the real bot (createBot) with the SSH executor against a real
 * OpenSSH sshd on loopback, the real steady-state probes (createSteadyState: `command` probes that
 * look for a small real service the test runs on the host as the SSH user, an `http` probe of a
 * local server), a real SQLite file and real timers and clock; only the chat is a recording fake.
 */
describe.skipIf(!canRunSshd())('the steady-state verdict of attacks on a real sshd host', () => {
  let sshd: SshdFixture;
  const cleanups: (() => void | Promise<void>)[] = [];
  const later = (fn: () => void | Promise<void>) => cleanups.push(fn);

  beforeAll(async () => {
    sshd = await startSshd(1);
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

  /** The service, running (its pid file written) before the test goes on; stopped after the test. */
  async function service(restartAfterS?: number): Promise<HostService> {
    const dir = mkdtempSync(join(sshd.workDir, 'verdict-'));
    chmodSync(dir, 0o777);
    const svc = startService({ dir, user: sshd.user, ...(restartAfterS !== undefined ? { restartAfterS } : {}) });
    later(() => svc.stop());
    await eventually(() => svc.pids().length === 1, `the service ${svc.marker}`);
    await eventually(() => pidInFile(svc) === svc.pids()[0], 'its pid file');
    return svc;
  }

  /** The real bot: SSH executor on the fixture (DryRunExecutor in dry run, as main.ts), real probes. */
  function launch(
    attacks: AttackSpec[],
    options: { dryRun?: boolean; health?: object[]; wrap?: (executor: Executor) => Executor } = {},
  ): Live {
    const { file } = writeTestConfig(
      {
        dryRun: options.dryRun ?? false,
        timezone: 'UTC',
        businessHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00' },
        schedule: { tick: '0 0 1 1 *', cooldown: '10m', healthInterval: '500ms', healthTimeout: '5s' },
        verdict: { probeInterval: '500ms', recoveryWindow: '5s' },
        ssh: { user: sshd.user, privateKey: sshd.clientKey, knownHosts: sshd.knownHosts, agent: false },
        hosts: [{ name: 'web-1', address: '127.0.0.1', port: sshd.hosts[0]?.port, tags: ['web'] }],
        health: options.health ?? [],
      },
      attacks,
    );
    const config = loadConfig(file);
    const clock = { now: () => Date.now() };
    const store = new SqliteStore({ file: config.database, migrationsDir: MIGRATIONS });
    const real: Executor = config.dryRun
      ? new DryRunExecutor(clock, systemTimers)
      : createSshExecutor({ settings: settingsFor(sshd), logger: silentLogger, clock });
    const executor = options.wrap ? options.wrap(real) : real;
    const chat = new RecordingAnnouncer();
    const bot = createBot({
      config,
      store,
      executor,
      health: createHealthGate({
        providers: config.health,
        clock,
        logger: silentLogger,
        gateTimeoutMs: config.schedule.healthTimeout,
      }),
      steadyState: createSteadyState({ config, clock, logger: silentLogger }),
      announcer: chat,
      ears: chat,
      authorizer: chat,
      clock,
      timers: systemTimers,
      random: new ScriptedRandom([0.5]),
      logger: silentLogger,
    });
    later(async () => {
      try {
        await bot.shutdown('SIGTERM');
      } finally {
        await executor.close();
        store.close();
      }
    });
    return { bot, store, chat, config };
  }

  function say(live: Live, text: string): Promise<Reply> {
    return live.bot.handle({ text, actor: 'admin', transport: 'console' });
  }

  async function runOnce(live: Live, attack: string): Promise<string> {
    const reply = await say(live, `run-once ${attack} web-1`);
    const id = /^Started #(\d+) /.exec(reply.text)?.[1];
    if (!id) throw new Error(`not started: ${reply.text}`);
    return id;
  }

  function verdictEvent(live: Live, id: string): VerdictEvent | undefined {
    return live.chat.events.find((e): e is VerdictEvent => e.kind === 'verdict' && e.record.id === id);
  }

  async function verdict(live: Live, id: string): Promise<VerdictEvent> {
    await eventually(() => verdictEvent(live, id) !== undefined, `the verdict of #${id}`, { timeoutMs: 30_000 });
    return verdictEvent(live, id) as VerdictEvent;
  }

  function ended(live: Live, id: string): AttackRecord | undefined {
    const event = live.chat.events.find((e) => e.kind === 'attack-ended' && e.record.id === id);
    return event?.kind === 'attack-ended' ? event.record : undefined;
  }

  function phases(live: Live, id: string): string[] {
    return [...new Set(live.store.samplesOf(id).map((s) => s.phase))];
  }

  it('says NOT RECOVERED, halts and keeps the slot while it waits, when nothing restarts the killed service', async () => {
    const svc = await service();
    // The attack's own recovery window (4s) wins over the config's (5s).
    const live = launch([serviceKill(svc, { recovery: '4s' })]);

    const id = await runOnce(live, 'service-kill');
    await eventually(() => svc.pids().length === 0, 'the attack to kill the service');
    await eventually(() => ended(live, id) !== undefined, `the end of #${id}`, { timeoutMs: 30_000 });

    // The recovery window counts as part of the attack: nothing else starts while the verdict is pending.
    if (verdictEvent(live, id) === undefined) {
      expect(await live.bot.tick()).toMatchObject({ kind: 'skipped', code: 'in-flight' });
      expect((await say(live, 'status')).text).toContain(`Verifying: #${id} service-kill on web-1`);
      expect((await say(live, 'run-once service-kill web-1')).text).toBe(
        `Not starting: an attack is in flight (#${id} service-kill on web-1, waiting for its verdict). One at a time.`,
      );
    }

    const event = await verdict(live, id);
    expect(event.halted).toBe(true);
    expect(event.record).toMatchObject({ verdict: 'not-recovered', ttrMs: null });
    const text = eventText(event, 'UTC');
    expect(text).toContain(`#${id} service-kill on web-1: verdict: NOT RECOVERED — still failing 4s after the fault ended`);
    expect(text).toContain(`${PROBE}: exit 1`);
    // The halt it says it caused: the event says so, and the latch holds it (below).
    expect(text).toBe(verdictLine(event.record, true));

    const halt = live.bot.context.latch.state().halt;
    expect(halt?.by).toBe('verdict');
    expect(halt?.reason).toContain(`#${id} service-kill did not recover`);
    expect(live.store.getState().halt?.by).toBe('verdict');

    const record = live.store.getAttack(id);
    expect(record).toMatchObject({ state: 'completed', verdict: 'not-recovered', ttrMs: null });
    expect(record?.ttdMs).toEqual(expect.any(Number));
    expect(record?.ttdMs).toBeGreaterThanOrEqual(0);
    expect(record?.verdictDetail).toContain(PROBE);
    // It completed on the host, yet `history failed` lists it: it did not recover.
    expect(live.store.history({ limit: 10, failedOnly: true }).map((r) => r.id)).toEqual([id]);

    const samples = live.store.samplesOf(id);
    expect(samples[0]).toMatchObject({ phase: 'before', healthy: true });
    expect(phases(live, id)).toEqual(['before', 'during', 'after']);
    expect(samples.at(-1)).toMatchObject({ phase: 'after', healthy: false });
    expect(samples.at(-1)?.results.map((r) => r.name)).toEqual([PROBE]);
    expect(svc.pids()).toEqual([]);

    // Halted: the next tick starts nothing.
    expect(await live.bot.tick()).toMatchObject({ kind: 'skipped', code: 'halted' });
  });

  it('says recovered, with a time to recover, when a supervisor restarts the killed service', async () => {
    const svc = await service(2);
    const first = svc.pids()[0];
    const live = launch([serviceKill(svc)]);

    const id = await runOnce(live, 'service-kill');
    const event = await verdict(live, id);

    expect(event.halted).toBe(false);
    expect(event.record.verdict).toBe('recovered');
    const { ttdMs, ttrMs } = event.record;
    expect(ttdMs).toBeGreaterThanOrEqual(0);
    expect(ttrMs).toBeGreaterThan(0);
    expect(ttrMs).toBeLessThan(RECOVERY_MS);
    const text = eventText(event, 'UTC');
    expect(text).toMatch(
      new RegExp(
        `^#${id} service-kill on web-1: verdict: recovered — detected after [^(]+ \\(${PROBE}: exit 1\\), recovered .+ later\\.$`,
      ),
    );

    expect(live.store.getAttack(id)).toMatchObject({ verdict: 'recovered', ttdMs, ttrMs });
    expect(live.bot.context.latch.state().halt).toBeNull();
    const samples = live.store.samplesOf(id);
    expect(samples.some((s) => !s.healthy)).toBe(true);
    expect(samples.at(-1)).toMatchObject({ healthy: true });
    // It was killed and started again: a new process.
    expect(svc.pids()).toHaveLength(1);
    expect(svc.pids()[0]).not.toBe(first);
    expect(live.bot.context.runner.inFlightCount).toBe(0);
  });

  it('says held when a harmless attack leaves every probe passing', async () => {
    const svc = await service();
    const first = svc.pids()[0];
    const api = await startServer((_req, res) => sendJson(res, 200, { status: 'ok' }));
    later(() => api.close());
    const live = launch([harmless(svc)], { health: [{ kind: 'http', name: 'api-healthz', url: `${api.url}/healthz` }] });

    const id = await runOnce(live, 'cpu-burn');
    const event = await verdict(live, id);

    expect(event.halted).toBe(false);
    expect(event.record).toMatchObject({ verdict: 'held', ttdMs: null, ttrMs: null });
    expect(eventText(event, 'UTC')).toBe(`#${id} cpu-burn on web-1: verdict: held — no probe failed.`);
    expect(live.store.getAttack(id)).toMatchObject({ state: 'completed', verdict: 'held', ttdMs: null, ttrMs: null });

    // The steady state is the global health probes plus the attack's own, before, during and after.
    const samples = live.store.samplesOf(id);
    expect(phases(live, id)).toEqual(['before', 'during', 'after']);
    expect(samples.every((s) => s.healthy)).toBe(true);
    for (const s of samples) expect(s.results.map((r) => r.name).sort()).toEqual(['api-healthz', PROBE]);
    expect(live.bot.context.latch.state().halt).toBeNull();
    expect(svc.pids()).toEqual([first]);
  });

  it('an attack whose run failed at once (exit 2, the fault never in place) is failed, with no verdict, not held', async () => {
    const svc = await service();
    const broken: AttackSpec = {
      ...harmless(svc),
      name: 'netem-missing',
      run: 'echo "Error: Specified qdisc kind is unknown." >&2\nexit 2\n',
    };
    const live = launch([broken]);
    await say(live, 'run-once netem-missing web-1');
    const id = live.store.history({ limit: 1 })[0]?.id as string;
    await eventually(() => ended(live, id) !== undefined, `the end of #${id}`, { timeoutMs: 30_000 });
    await eventually(() => live.bot.context.runner.inFlightCount === 0, 'the slot to be free', { timeoutMs: 30_000 });
    expect(ended(live, id)?.state).toBe('failed');
    expect(live.store.getAttack(id)).toMatchObject({ state: 'failed', verdict: null });
    expect(verdictEvent(live, id)).toBeUndefined();
    expect(verdictCounts(live.store.history({ limit: 10 })).held).toBe(0);
  });

  it('does not start the attack when its own steady state does not hold before it', async () => {
    const svc = await service();
    const live = launch([serviceKill(svc)]);
    await svc.stop();

    const reply = await say(live, 'run-once service-kill web-1');

    expect(reply.text).toMatch(/the steady state does not hold before the attack \(service-running: exit 1/);
    expect(existsSync(`${svc.pidFile}.ran`)).toBe(false);
    const record = live.store.history({ limit: 1 })[0];
    // Refused before anything is recorded or announced, as the health gate does.
    expect(record).toBeUndefined();
    expect(live.chat.kinds()).not.toContain('attack-started');
    expect(live.chat.kinds()).not.toContain('verdict');
    expect(live.bot.context.latch.state().halt).toBeNull();
    expect(live.bot.context.runner.inFlightCount).toBe(0);
  });

  it('aborts the attack when its own probe deviates under abortOnDeviation, then tells the recovery', async () => {
    const svc = await service(2);
    const live = launch([serviceKill(svc, { abortOnDeviation: true })]);

    const id = await runOnce(live, 'service-kill');
    const event = await verdict(live, id);

    const end = ended(live, id);
    expect(end).toMatchObject({ state: 'reverted', rollbackOk: true });
    expect(end?.ending).toMatchObject({
      kind: 'deviation',
      failing: expect.stringMatching(new RegExp(`^${PROBE}: exit 1`)),
      revert: 'reverted',
    });
    expect(existsSync(`${svc.pidFile}.ran`)).toBe(true);
    expect(attackProcesses(`${live.store.instanceId()}-${id}`)).toEqual([]);
    expect(event.record).toMatchObject({ verdict: 'recovered' });
    expect(event.halted).toBe(false);
    expect(svc.pids()).toHaveLength(1);
  });

  it('records the verdict as unknown when the bot stops during the recovery window', async () => {
    const svc = await service();
    const live = launch([serviceKill(svc)]);

    const id = await runOnce(live, 'service-kill');
    await eventually(() => ended(live, id) !== undefined, `the end of #${id}`, { timeoutMs: 30_000 });
    await live.bot.shutdown('SIGTERM');

    const event = verdictEvent(live, id);
    expect(event?.record).toMatchObject({ verdict: 'unknown', ttrMs: null });
    expect(event?.halted).toBe(false);
    expect(live.store.getAttack(id)).toMatchObject({ verdict: 'unknown' });
    expect(live.store.getAttack(id)?.verdictDetail).toContain('the bot stopped');
    expect(live.bot.context.latch.state().halt).toBeNull();
  });

  // The issue: "after the fault ends (rollback done, or aborted): probes keep running until all pass or
  // the recovery window ends". A stop that arrives while the attack is starting, too late to cancel
  // it, reverts an attack that did run on the host; no probe runs after it and no verdict is ever
  // recorded (the timeline only starts on the 'watch' effect, which the starting → aborting path skips).
  it('gives a verdict to an attack that ran on the host and was stopped as it started', async () => {
    const svc = await service();
    let stopNow: () => Promise<unknown> = async () => {};
    const live = launch([serviceKill(svc)], {
      // The real SSH executor; the stop lands as soon as the fault is on the host. (A stop goes over
      // the attack's own channel and lands within milliseconds: right after the start it could beat
      // the script's `kill`.)
      wrap: (real) => ({
        preflight: (job) => real.preflight(job),
        start: async (job, signal) => {
          const running = await real.start(job, signal);
          await eventually(() => svc.pids().length === 0, 'the fault to land');
          await stopNow();
          return running;
        },
        recover: (orphan) => real.recover(orphan),
        close: () => real.close(),
      }),
    });
    stopNow = () => say(live, 'stop as it starts');

    const reply = await say(live, 'run-once service-kill web-1');
    expect(reply.text).toMatch(
      /^Reverting \(#\d+\) service-kill on web-1: stopped by admin: as it starts; it had started on web-1 and is being reverted\.$/,
    );
    const id = live.store.history({ limit: 1 })[0]?.id as string;
    await eventually(() => ended(live, id) !== undefined, `the end of #${id}`, { timeoutMs: 30_000 });
    expect(ended(live, id)).toMatchObject({ state: 'reverted' });
    // The fault ran: the service is gone and nothing restarts it.
    expect(existsSync(`${svc.pidFile}.ran`)).toBe(true);
    expect(svc.pids()).toEqual([]);
    await eventually(() => live.bot.context.runner.inFlightCount === 0, 'the slot to be free', { timeoutMs: 30_000 });

    expect(live.store.getAttack(id)?.verdict).toBe('not-recovered');
    expect(phases(live, id)).toContain('after');
  });

  it('runs the probes and gives the verdict in dry run, marked dry, touching nothing', async () => {
    const svc = await service();
    const first = svc.pids()[0];
    const live = launch([serviceKill(svc)], { dryRun: true });

    const id = await runOnce(live, 'service-kill');
    const event = await verdict(live, id);

    expect(event.record).toMatchObject({ dryRun: true, verdict: 'held' });
    // Marked dry twice: on the attack and in what the verdict means.
    expect(event.record.verdictDetail).toBe('no probe failed');
    const text = eventText(event, 'UTC');
    expect(text).toBe(verdictLine(event.record));
    expect(text).not.toBe(verdictLine({ ...event.record, dryRun: false }));
    expect(phases(live, id)).toEqual(['before', 'during', 'after']);
    expect(live.store.samplesOf(id).every((s) => s.results.some((r) => r.name === PROBE))).toBe(true);
    expect(svc.pids()).toEqual([first]);
  });

  it('in dry run, sees an outage that happens meanwhile and tells the recovery, marked dry', async () => {
    const svc = await service(2);
    const first = svc.pids()[0] as number;
    const live = launch([serviceKill(svc)], { dryRun: true });

    const id = await runOnce(live, 'service-kill');
    // Not the attack (a dry run touches nothing): the service fails by itself while the probes watch.
    process.kill(first, 'SIGTERM');
    const event = await verdict(live, id);

    expect(event.halted).toBe(false);
    expect(event.record).toMatchObject({ dryRun: true, verdict: 'recovered' });
    expect(event.record.ttrMs).toBeGreaterThan(0);
    expect(event.record.ttrMs).toBeLessThan(RECOVERY_MS);
    const text = eventText(event, 'UTC');
    expect(text).toBe(verdictLine(event.record));
    expect(text).not.toBe(verdictLine({ ...event.record, dryRun: false }));
    expect(live.store.samplesOf(id).some((s) => !s.healthy)).toBe(true);
  });
});

function pidInFile(svc: HostService): number | undefined {
  try {
    return Number(readFileSync(svc.pidFile, 'utf8').trim());
  } catch {
    return undefined;
  }
}
