import { join } from 'node:path';
import { detectionSources } from '../../src/adapters/detection/sources.js';
import { SqliteAnswerLog } from '../../src/adapters/sqlite/answer-log.js';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import type { Bot } from '../../src/app/bot.js';
import type { Fleet } from '../../src/app/teams/fleet.js';
import type { Config } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load.js';
import type { HealthCheck } from '../../src/ports/health-check.js';
import type { HostDirectory } from '../../src/ports/host-directory.js';
import type { SteadyState } from '../../src/ports/steady-state.js';
import { ControlledExecutor, FixedClock, ManualTimers, RecordingAnnouncer, ScriptedHealth } from './fakes.js';
import { wireFleet } from './fleet-harness.js';
import { type AttackSpec, MIGRATIONS, writeTestConfig } from './test-config.js';

/** A Tuesday, 12:00 in Los Angeles: inside the test config's business hours. */
export const TUESDAY_NOON = '2026-11-24T20:00:00Z';

export interface HarnessOptions {
  health?: (clock: FixedClock) => ScriptedHealth;
  /** The attacks' steady-state probes; default: the harness's health gate for every attack. */
  steadyState?: (clock: FixedClock) => SteadyState;
  /** Any other health gate (e.g. ControlledHealth), used instead of the scripted one. */
  customHealth?: (clock: FixedClock) => HealthCheck;
  /** A real health gate instead of the scripted one. */
  realHealth?: (clock: FixedClock) => HealthCheck;
  random?: number[];
  /** The hosts (e.g. an InventoryDirectory on the harness's clock and timers); default: the config's `hosts:`. */
  hosts?: (clock: FixedClock, timers: ManualTimers) => HostDirectory;
  /** Keep answers after verdicts (as production does): the bot then asks after each live verdict. */
  answers?: boolean;
  /** Look for whether monitoring noticed, at the config's `detection:` sources (as production does). */
  detection?: boolean;
}

export interface Harness {
  /** Wired as main.ts wires it: the fleet, here of the config's one team. */
  fleet: Fleet;
  /** That team's bot (the fleet's root without `teams:`). */
  bot: Bot;
  config: Config;
  store: SqliteStore;
  clock: FixedClock;
  executor: ControlledExecutor;
  chat: RecordingAnnouncer;
  health: ScriptedHealth;
  /** The bot's timers: nothing fires until the test calls `timers.advance(ms)`. */
  timers: ManualTimers;
  dbFile: string;
  /** A second bot on the same database file, as after a restart. */
  restart(): Harness;
  close(): void;
}

export function harness(overrides: Record<string, unknown> = {}, attacks?: AttackSpec[], opts: HarnessOptions = {}): Harness {
  const { file } = writeTestConfig(overrides, attacks);
  const config = loadConfig(file);
  const clock = new FixedClock(Date.parse(TUESDAY_NOON));
  return build(config, clock, opts);
}

function build(config: Config, clock: FixedClock, opts: HarnessOptions): Harness {
  const store = new SqliteStore({ file: config.database, migrationsDir: MIGRATIONS });
  const executor = new ControlledExecutor(clock);
  const chat = new RecordingAnnouncer();
  const health = opts.health ? opts.health(clock) : ScriptedHealth.healthy(clock);
  const timers = new ManualTimers(clock);
  const gate = opts.customHealth ? opts.customHealth(clock) : opts.realHealth ? opts.realHealth(clock) : health;
  const fleet = wireFleet({
    config,
    clock,
    timers,
    store,
    executor,
    global: chat,
    health: gate,
    random: opts.random ?? [0.1, 0.1],
    ...(opts.hosts ? { hosts: opts.hosts(clock, timers) } : {}),
    ...(opts.answers ? { answers: new SqliteAnswerLog(store.handle) } : {}),
    team: () => ({
      health: gate,
      chat,
      ...(opts.steadyState ? { steadyState: opts.steadyState(clock) } : {}),
      ...(opts.detection ? { detection: detectionSources(config.detection, {}) } : {}),
    }),
  });
  const h: Harness = {
    fleet,
    bot: fleet.root,
    config,
    store,
    clock,
    executor,
    chat,
    health,
    timers,
    dbFile: config.database,
    restart: () => {
      store.close();
      return build(config, new FixedClock(clock.now()), opts);
    },
    close: () => store.close(),
  };
  return h;
}

/** Says `text` in chat as `actor`, through the fleet as the transports do. */
export const say = (h: Harness, text: string, actor = 'admin') => h.fleet.handle({ text, actor, transport: 'test' });
export const dbPath = (dir: string) => join(dir, 'data', 'chaoscat.db');
