import { teamGates } from '../../src/adapters/health/index.js';
import { SqliteFaultLog } from '../../src/adapters/sqlite/fault-log.js';
import { SqliteGameDayStore } from '../../src/adapters/sqlite/game-day-store.js';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.js';
import { createFleet, type Fleet, type TeamWiring } from '../../src/app/teams/fleet.js';
import type { Config, TeamConfig } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load.js';
import type { AnswerLog } from '../../src/ports/answer-log.js';
import type { Inbound, Reply } from '../../src/ports/chat.js';
import type { HealthCheck } from '../../src/ports/health-check.js';
import type { HostDirectory } from '../../src/ports/host-directory.js';
import { ControlledExecutor, FixedClock, ManualTimers, RecordingAnnouncer, ScriptedRandom, silentLogger } from './fakes.js';
import { type AttackSpec, MIGRATIONS, writeTestConfig } from './test-config.js';

export interface FleetHarness {
  fleet: Fleet;
  config: Config;
  store: SqliteStore;
  clock: FixedClock;
  timers: ManualTimers;
  executor: ControlledExecutor;
  /** The top level's chat: ears for every team, and the global admins. */
  global: RecordingAnnouncer;
  /** Each team's chat: its announcements, and its admins (the global ones and its own). */
  chats: Map<string, RecordingAnnouncer>;
  say(text: string, actor?: string, channel?: string): Promise<Reply>;
  /** A second fleet on the same database, as after a restart (optionally with another config). */
  restart(config?: Config): FleetHarness;
  close(): void;
}

export const GLOBAL_ADMIN = 'U0GLOBAL';

/**
 * The bot as main.ts wires it for teams, with a real SQLite file and real health gates (the
 * providers of the config), and fakes at the edges: executor, chat, clock and timers.
 */
export interface FleetOptions {
  /** Each team's health gate instead of the real one over its providers. */
  readonly health?: (team: string, clock: FixedClock) => HealthCheck;
  /** Default: Tuesday 10:30 in Los Angeles (Wednesday 03:30 in Tokyo). */
  readonly at?: string;
  /** Where hosts come from (an inventory); default: the static `hosts:`. */
  readonly hosts?: HostDirectory;
}

/** The parts of a fleet a harness chooses; the rest is wired as main.ts wires it. */
export interface FleetParts {
  readonly config: Config;
  readonly clock: FixedClock;
  readonly timers: ManualTimers;
  readonly store: SqliteStore;
  readonly executor: ControlledExecutor;
  /** The top level's chat: ears for every team, and the global admins. */
  readonly global: RecordingAnnouncer;
  readonly health: HealthCheck;
  readonly random: readonly number[];
  readonly hosts?: HostDirectory;
  readonly answers?: AnswerLog;
  /** A team's own chat, health and observers; its game days and faults are always kept in the store. */
  readonly team: (team: TeamConfig, view: Config) => Omit<TeamWiring, 'gameDayStore' | 'faultLog' | 'store'>;
}

/** The fleet as main.ts wires it: the one function both harnesses build theirs with. */
export function wireFleet(p: FleetParts): Fleet {
  const multi = !p.config.teams[0]?.implicit;
  return createFleet({
    config: p.config,
    ...(p.hosts ? { hosts: p.hosts } : {}),
    store: p.store,
    executor: p.executor,
    health: p.health,
    announcer: p.global,
    ears: p.global,
    authorizer: p.global,
    globalAuthorizer: p.global,
    clock: p.clock,
    timers: p.timers,
    random: new ScriptedRandom([...p.random]),
    logger: silentLogger,
    ...(p.answers ? { answers: p.answers } : {}),
    wire: (team, view) => ({
      ...p.team(team, view),
      store: multi ? p.store.forTeam(team.name) : p.store,
      gameDayStore: new SqliteGameDayStore(p.store.handle, team.name),
      faultLog: new SqliteFaultLog(p.store.handle, team.name),
    }),
  });
}

export function fleetHarness(overrides: Record<string, unknown>, attacks?: AttackSpec[], opts: FleetOptions = {}): FleetHarness {
  const config = loadConfig(writeTestConfig(overrides, attacks).file);
  return build(config, new FixedClock(Date.parse(opts.at ?? '2026-11-24T18:30:00Z')), null, opts);
}

function build(config: Config, clock: FixedClock, shared: ControlledExecutor | null, opts: FleetOptions = {}): FleetHarness {
  const store = new SqliteStore({ file: config.database, migrationsDir: MIGRATIONS });
  const executor = shared ?? new ControlledExecutor(clock);
  const timers = new ManualTimers(clock);
  const global = new RecordingAnnouncer();
  global.admins = new Set([GLOBAL_ADMIN, 'console']);
  const chats = new Map<string, RecordingAnnouncer>();
  const gates = teamGates(config, clock, silentLogger);
  const gate = (view: Config) => gates.gate(view);
  const fleet = wireFleet({
    config,
    clock,
    timers,
    store,
    executor,
    global,
    health: gate(config),
    random: [0.1],
    ...(opts.hosts ? { hosts: opts.hosts } : {}),
    team: (team, view) => {
      const chat = new RecordingAnnouncer();
      chat.admins = new Set([...global.admins, ...team.admins]);
      // Every team hears through the one transport.
      chat.hearing = () => global.hearing();
      chats.set(team.name, chat);
      return { health: opts.health?.(team.name, clock) ?? gate(view), chat };
    },
  });
  const h: FleetHarness = {
    fleet,
    config,
    store,
    clock,
    timers,
    executor,
    global,
    chats,
    say: (text, actor = GLOBAL_ADMIN, channel) => {
      const inbound: Inbound = { text, actor, transport: 'test', ...(channel ? { channel } : {}) };
      return fleet.handle(inbound);
    },
    restart: (next = config) => {
      store.close();
      return build(next, new FixedClock(clock.now()), executor, opts);
    },
    close: () => store.close(),
  };
  return h;
}
