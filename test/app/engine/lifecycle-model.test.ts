import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import { isFinal } from '../../../src/domain/model.js';
import type { Reply } from '../../../src/ports/chat.js';
import type { AttackJob } from '../../../src/ports/executor.js';
import { type Harness, harness, say } from '../../support/bot-harness.js';
import { ControlledHealth, settle } from '../../support/fakes.js';
import { shown } from '../../support/shown.js';
import { MIGRATIONS } from '../../support/test-config.js';

/**
 * Model-based: random interleavings of run-once (on one host and over several), ticks, stop, start, slow and failing health,
 * store faults, deafness, hosts that answer or not, and time, against the real bot (real SQLite,
 * the executor and health faked at their ports). After every step the safety rules must hold.
 */

interface Real {
  h: Harness;
  health: ControlledHealth;
  /** Operations started and not awaited: the world goes on while they wait. */
  inflight: Promise<unknown>[];
  violations: string[];
  unwritable: boolean;
  releaseAnnouncements: (() => void) | null;
  /** Every announcement waits for an accept (the admission property). */
  slowAnnouncements: boolean;
  releaseConnect: (() => void) | null;
}

type Model = Record<string, never>;
type Cmd = fc.AsyncCommand<Model, Real>;

function command(name: string, run: (r: Real) => Promise<void> | void): Cmd {
  return {
    check: () => true,
    run: async (_m, r) => {
      await run(r);
      await settle();
      await invariants(r, name);
    },
    toString: () => name,
  };
}

const background = (r: Real, p: Promise<unknown>) => {
  r.inflight.push(p);
};

const runOnce = fc
  .boolean()
  .map((force) =>
    command(`run-once${force ? ' --force' : ''}`, (r) => background(r, say(r.h, force ? 'run-once --force' : 'run-once'))),
  );
/** One run over several hosts: one slot, one announcement, one stop for all of them. */
const runOnMany = fc
  .oneof(
    fc.integer({ min: 1, max: 4 }).map((n) => `count=${n}`),
    fc.constantFrom(25, 50, 100).map((p) => `percent=${p}`),
  )
  .map((blast) => command(`run-once cpu-burn ${blast}`, (r) => background(r, say(r.h, `run-once cpu-burn ${blast}`))));
const tickCmd = fc.constant(command('tick', (r) => background(r, r.h.bot.tick())));
const healthy = fc.constant(command('health answers healthy', (r) => void r.health.answer(true)));

const slowSlack = fc.constant(command('Slack is slow to accept announcements', (r) => holdAnnouncements(r)));
const acceptAnnouncements = fc.constant(
  command('Slack accepts the waiting announcements', (r) => {
    r.releaseAnnouncements?.();
    if (r.slowAnnouncements) holdAnnouncements(r);
  }),
);

/** Announcements wait until the test accepts them. */
function holdAnnouncements(r: Real): void {
  if (r.releaseAnnouncements) return;
  r.h.chat.startGate = new Promise((resolve) => {
    r.releaseAnnouncements = () => {
      r.h.chat.startGate = null;
      r.releaseAnnouncements = null;
      resolve();
    };
  });
}
const hostEnds = fc.constantFrom('completed', 'failed').map((outcome) =>
  command(`the host ends the attack (${outcome})`, (r) => {
    const run = r.h.executor.runs.find((x) => !x.ended);
    run?.finish(outcome === 'failed' ? { outcome: 'failed', exitCode: 3, rollbackOk: false, end: null } : {});
  }),
);

const hearing = fc.constantFrom('disconnects', 'goes silent', 'reconnects').map((what) =>
  command(`Slack ${what}`, (r) => {
    r.h.chat.hearingState =
      what === 'reconnects'
        ? { ok: true }
        : what === 'goes silent'
          ? // A socket that stops answering without closing: deaf since the last pong (socket-ears.ts).
            { ok: false, reason: 'cannot hear stop: Slack Socket Mode has been silent for 2.1 s', since: r.h.clock.now() - 2_100 }
          : { ok: false, reason: 'Socket Mode disconnected' };
  }),
);
// A stop as people type it in a hurry (kill-switch.ts): every one of them must latch the halt.
const stopCmd = fc
  .constantFrom('stop model', 'Stop! model', '`stop` model', ':octagonal_sign: *STOP!!!* model', '_halt_ model', 'abort, model')
  .map((text) =>
    command(`stop (${text})`, async (r) => {
      await say(r.h, text, 'U0ONCALL');
      if (r.h.bot.context.latch.state().halt === null) r.violations.push(`"${text}" did not halt`);
    }),
  );
const startCmd = fc.constant(
  command('start', async (r) => {
    await say(r.h, 'start');
  }),
);

const slowConnect = fc.constant(
  command('SSH is slow to connect', (r) => {
    if (r.releaseConnect) return;
    r.h.executor.startGate = new Promise((resolve) => {
      r.releaseConnect = () => {
        r.h.executor.startGate = null;
        r.releaseConnect = null;
        resolve();
      };
    });
  }),
);
const connects = fc.constant(command('SSH connects', (r) => r.releaseConnect?.()));

/** Only what decides admission, so that short races (a gate closing during a wait) come up often. */
const admissionCommands = [
  runOnce,
  runOnMany,
  tickCmd,
  healthy,
  acceptAnnouncements,
  hearing,
  hostEnds,
  stopCmd,
  startCmd,
  slowConnect,
  connects,
];

/** Runs over several hosts, and what can happen to them while they start, run and stop. */
const allHealthy = fc.constant(
  command('health answers every waiting check healthy', (r) => {
    while (r.health.answer(true));
  }),
);
const multiHostCommands = [
  runOnMany,
  runOnMany,
  allHealthy,
  allHealthy,
  allHealthy,
  stopCmd,
  startCmd,
  slowConnect,
  connects,
  hostEnds,
  fc.constantFrom('reverted', 'unreachable', 'failed').map((answer) =>
    command(`hosts answer aborts: ${answer}`, (r) => {
      r.h.executor.abortAnswer = answer as 'reverted' | 'unreachable' | 'failed';
    }),
  ),
  fc.integer({ min: 1, max: 40 }).map((s) => command(`${s} s pass`, (r) => r.h.timers.advance(s * 1000))),
];

// Asking and answering are listed twice: they are what make interleavings interesting.
const commands = [
  slowConnect,
  connects,
  runOnce,
  runOnce,
  runOnMany,
  runOnMany,
  tickCmd,
  tickCmd,
  healthy,
  healthy,
  stopCmd,
  startCmd,
  fc
    .boolean()
    .map((healthy) => command(`health answers ${healthy ? 'healthy' : 'unhealthy'}`, (r) => void r.health.answer(healthy))),
  fc.constantFrom('reverted', 'unreachable', 'failed').map((answer) =>
    command(`hosts answer aborts: ${answer}`, (r) => {
      r.h.executor.abortAnswer = answer as 'reverted' | 'unreachable' | 'failed';
    }),
  ),
  fc.boolean().map((on) =>
    command(`store ${on ? 'refuses' : 'takes'} writes`, (r) => {
      r.unwritable = on;
      r.h.store.handle.pragma(`query_only = ${on ? 'ON' : 'OFF'}`);
    }),
  ),
  slowSlack,
  slowSlack,
  acceptAnnouncements,
  acceptAnnouncements,
  hostEnds,
  hostEnds,
  fc.boolean().map((refuses) =>
    command(`Slack ${refuses ? 'refuses' : 'accepts'} announcements`, (r) => {
      r.h.chat.startAnswer = refuses ? { ok: false, reason: 'channel_not_found' } : { ok: true };
    }),
  ),
  hearing,
  fc.integer({ min: 1, max: 40 }).map((s) => command(`${s} s pass`, (r) => r.h.timers.advance(s * 1000))),
];

function statusIds(text: string): string[] {
  return [...text.matchAll(/^In flight: #(\d+) /gm)].map((m) => m[1] as string);
}

function historyUnfinishedIds(reply: Reply): string[] {
  return shown(reply)
    .split('\n')
    .slice(1)
    .filter((line) => /(pending|running|aborting)…/.test(line))
    .map((line) => line.trim().split(/\s+/)[0] as string);
}

async function invariants(r: Real, after: string): Promise<void> {
  expect(r.violations, `after ${after}`).toEqual([]);
  // Every halt survives a restart: a fresh store on the same file (its row, or the sidecar when the
  // database refused it) says halted whenever this bot is.
  if (r.h.bot.context.latch.state().halt) {
    const fresh = new SqliteStore({ file: r.h.dbFile, migrationsDir: MIGRATIONS });
    try {
      expect(fresh.getState().halt, `after ${after}: the halt would not survive a restart`).not.toBeNull();
    } finally {
      fresh.close();
    }
  }
  const status = await say(r.h, 'status');
  const history = await say(r.h, 'history 100');
  const flying = statusIds(status.text).sort();
  // Status and history tell the same story, even while the store refuses writes.
  expect(historyUnfinishedIds(history).sort(), `after ${after}: history vs status\n${status.text}\n${shown(history)}`).toEqual(
    flying,
  );
  expect(flying.length, `after ${after}: in flight`).toBeLessThanOrEqual(1);
  // Every host that still runs an attack runs it for a run the bot holds; a run the bot let go
  // has every host's row final (a stop reverts all of them, not some).
  const { runner } = r.h.bot.context;
  for (const run of r.h.executor.runs) {
    const id = legId(run.job);
    const owner = runner.list().find((f) => f.legs.some((l) => l.id === id));
    if (!run.ended)
      expect(owner, `after ${after}: ${run.job.id} runs on ${run.job.host.name} with no run in flight`).toBeDefined();
    if (!owner) {
      const state = runner.records.get(id)?.state;
      expect(state && isFinal(state), `after ${after}: #${id} on ${run.job.host.name} is ${state} with no run in flight`).toBe(
        true,
      );
    }
  }
}

/** The row id of a job: its remote id is `<database instance>-<row id>`. */
function legId(job: AttackJob): string {
  return job.id.split('-').pop() as string;
}

/** The run a job belongs to: its first host's row. */
function runOf(r: Real, job: AttackJob): string {
  const id = legId(job);
  return r.h.bot.context.runner.records.get(id)?.runId ?? id;
}

/** Lets everything end: health answers, hosts finish, the store takes writes, time passes. */
async function drain(r: Real): Promise<void> {
  r.h.store.handle.pragma('query_only = OFF');
  r.h.chat.hearingState = { ok: true };
  r.slowAnnouncements = false;
  r.releaseAnnouncements?.();
  r.releaseConnect?.();
  for (
    let i = 0;
    i < 50 && (r.health.pending > 0 || r.h.executor.runs.some((x) => !x.ended) || r.h.bot.context.runner.inFlightCount > 0);
    i++
  ) {
    while (r.health.answer(true)) await settle();
    for (const run of r.h.executor.runs) if (!run.ended) run.finish();
    await r.h.timers.advance(10_000);
  }
  await Promise.all(r.inflight);
  await r.h.timers.advance(10_000);
}

let h: Harness | undefined;
afterEach(() => h?.close());

/** What the runs exercised: a model that never stops a run over several hosts proves nothing about it. */
const seen = { multiHostRuns: 0, multiHostAborts: 0 };

async function check(
  arbs: fc.Arbitrary<Cmd>[],
  maxCommands: number,
  numRuns: number,
  slowAnnouncements = false,
  size?: fc.SizeForArbitrary,
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.commands(arbs, { maxCommands, ...(size ? { size } : {}) }), async (cmds) => {
      h?.close();
      let health: ControlledHealth | undefined;
      h = harness(
        {
          dryRun: false,
          schedule: { tick: '* * * * *', cooldown: '0s', healthInterval: '10s', deafTimeout: '30s' },
          hosts: ['web-1', 'web-2', 'web-3', 'web-4', 'db-1'].map((name) => ({
            name,
            address: '127.0.0.1',
            port: 22,
            tags: [name.split('-')[0]],
          })),
        },
        [{ name: 'cpu-burn', weight: 10, targets: ['web'], blastRadius: { count: 1, allowAll: true } }],
        {
          customHealth: (clock) => {
            health = new ControlledHealth(clock);
            return health;
          },
        },
      );
      const real: Real = {
        h,
        health: health as ControlledHealth,
        inflight: [],
        violations: [],
        unwritable: false,
        releaseAnnouncements: null,
        slowAnnouncements,
        releaseConnect: null,
      };
      if (slowAnnouncements) holdAnnouncements(real);
      const started = new Set<string>();
      h.executor.onExec = (job: AttackJob) => {
        const hh = real.h;
        const state = hh.bot.context.latch.state();
        if (state.halt) real.violations.push(`started ${job.id} while halted by ${state.halt.by}`);
        // The other hosts of the same run start alongside it; any other run must have ended.
        const run = runOf(real, job);
        const live = hh.executor.runs.filter((x) => !x.ended && runOf(real, x.job) !== run).length;
        if (live > 0) real.violations.push(`started ${job.id} while ${live} attack(s) of another run still ran`);
        if (!hh.chat.hearing().ok) real.violations.push(`started ${job.id} while deaf`);
        const faults = hh.bot.context.faults.list();
        if (faults.length > 0) real.violations.push(`started ${job.id} while a fault may remain on ${faults[0]?.host}`);
        const awaiting = hh.bot.context.runner.awaitingVerdict();
        if (awaiting.length > 0) real.violations.push(`started ${job.id} while the verdict of #${awaiting[0]?.id} was pending`);
        const id = legId(job);
        const announced = hh.chat.events.some((e) => e.kind === 'attack-started' && e.record.id === run);
        if (!announced) real.violations.push(`started ${job.id} before its announcement was posted`);
        started.add(id);
      };
      await fc.asyncModelRun(() => ({ model: {} as Model, real }), cmds);
      const legs = h.executor.runs.filter((x) => runOf(real, x.job) !== legId(x.job));
      seen.multiHostRuns += legs.length;
      seen.multiHostAborts += legs.filter((x) => x.aborted !== null).length;
      await drain(real);
      expect(real.violations).toEqual([]);
      expect(h.bot.context.runner.inFlightCount).toBe(0);
      expect(h.bot.context.runner.records.unsaved).toBe(0);
      // Every attack that started reached a final state in the store itself.
      for (const id of started) {
        const record = h.store.getAttack(id);
        expect(record && isFinal(record.state), `#${id} is ${record?.state}`).toBe(true);
      }
      expect(h.store.unfinishedAttacks()).toEqual([]);
    }),
    { numRuns, seed: 20261125, endOnFailure: true },
  );
}

describe('the attack lifecycle under any interleaving (model-based)', () => {
  it('never starts after a latched halt, never runs two at once, ends every attack, and status agrees with history', async () => {
    await check(commands, 40, 200);
  }, 120_000);

  it('a run over several hosts holds one slot, and a stop at any point leaves no host running it', async () => {
    seen.multiHostRuns = 0;
    seen.multiHostAborts = 0;
    // Long sequences: a run must be asked for, pass its checks, start, and then be stopped.
    await check(multiHostCommands, 30, 150, false, 'max');
    expect(seen.multiHostRuns).toBeGreaterThan(0);
    expect(seen.multiHostAborts).toBeGreaterThan(0);
  }, 120_000);

  it('takes admission again after every wait: stops, deafness and Slack answering late', async () => {
    await check(admissionCommands, 12, 300, true);
  }, 120_000);
});
