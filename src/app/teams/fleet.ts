import type { Config, TeamConfig } from '../../config/config.js';
import { ownerOf, teamView } from '../../config/teams.js';
import type { TickOutcome } from '../../domain/model.js';
import type { AbortOutcome, Announcer, Authorizer, Inbound, Reply } from '../../ports/chat.js';
import type { DetectionSource } from '../../ports/detection.js';
import type { EvidenceLog, EvidenceReader } from '../../ports/evidence.js';
import type { FaultLog } from '../../ports/fault-log.js';
import type { GameDayStore } from '../../ports/game-day-store.js';
import type { HealthCheck } from '../../ports/health-check.js';
import { type HostDirectory, knownHosts } from '../../ports/host-directory.js';
import type { BotObserver } from '../../ports/observer.js';
import type { SteadyState } from '../../ports/steady-state.js';
import type { Store, TickLog } from '../../ports/store.js';
import { type Bot, type BotDeps, createBot } from '../bot.js';
import type { ReportCommand } from '../commands/commands.js';
import { fleetCommand, type TeamBot } from './fleet-commands.js';

export type { TeamBot };

import { unconfiguredTeamHaltText } from '../../words/halt-replies.js';
import { staticDirectory } from './inventory.js';
import { teamDirectory } from './team-hosts.js';

/** What one team's bot gets of its own; the rest (executor, clock, ears, …) every team shares. */
export interface TeamWiring {
  readonly store: Store;
  readonly health: HealthCheck;
  readonly steadyState?: SteadyState;
  readonly chat: Announcer & Authorizer;
  readonly observer?: BotObserver;
  readonly report?: ReportCommand;
  /** Its game-day notices and approvals. */
  readonly gameDayStore?: GameDayStore;
  /** Its faults that may remain (kept across restarts). */
  readonly faultLog?: FaultLog;
  /** Where it looks for whether monitoring noticed its attacks (the global sources and its own). */
  readonly detection?: readonly DetectionSource[];
  /** Reads and keeps its attacks' metrics around the fault (their own `evidence:` and the team's). */
  readonly evidence?: { readonly reader: EvidenceReader; readonly log: EvidenceLog };
}

/**
 * One bot per on-call team, each with its own halt latch, attack in flight, cooldown, hours, health,
 * channel and report, all on the one database and transport. Commands are routed to the team they
 * name or were said in; a stop that names none halts every team. Without `teams:` there is one team,
 * `default`, and the fleet is that bot.
 */
export interface Fleet {
  readonly teams: readonly TeamBot[];
  /** Answers what names no team (history over every team, help, …); the only team's bot without `teams:`. */
  readonly root: Bot;
  /** Whether the config has `teams:` (replies and announcements then name their team). */
  readonly multi: boolean;
  handle(inbound: Inbound): Promise<Reply>;
  /**
   * Every team's tick at once (or the named teams'): one team's slow health check never delays
   * another's. The ticks that end together are written in one transaction.
   */
  tick(teams?: readonly string[]): Promise<TickOutcome[]>;
  recover(): Promise<AbortOutcome[]>;
  shutdown(signal: string | null): Promise<AbortOutcome[]>;
}

export interface FleetDeps extends BotDeps {
  /** The global admins only: who may `start all`. */
  readonly globalAuthorizer: Authorizer;
  /** A team's own store, health gate, chat and observers. */
  readonly wire: (team: TeamConfig, view: Config) => TeamWiring;
}

export function createFleet(deps: FleetDeps): Fleet {
  const { config } = deps;
  const multi = !(config.teams.length === 1 && config.teams[0]?.implicit);
  const directory = deps.hosts ?? staticDirectory(config.hosts);
  const teams: TeamBot[] = config.teams.map((team) => {
    const view = teamView(config, team);
    const w = deps.wire(team, view);
    const bot = createBot({
      ...deps,
      config: view,
      hosts: teamDirectory(directory, config.teams, team),
      store: w.store,
      health: w.health,
      announcer: w.chat,
      authorizer: w.chat,
      ...(w.steadyState ? { steadyState: w.steadyState } : {}),
      ...(w.observer ? { observer: w.observer } : {}),
      ...(w.report ? { report: w.report } : {}),
      ...(w.gameDayStore ? { gameDayStore: w.gameDayStore } : {}),
      ...(w.faultLog ? { faultLog: w.faultLog } : {}),
      ...(w.detection ? { detection: w.detection } : {}),
      ...(w.evidence ? { evidence: w.evidence } : {}),
    });
    return { team, bot };
  });
  const journal = new TickJournal(deps.store, deps.logger);
  const ticking = new Set<string>();
  const only = teams[0];
  const root = !multi && only ? only.bot : createBot({ ...deps, hosts: directory, gameDayStore: undefined });
  const byName = new Map(teams.map((t) => [t.team.name, t]));
  const byChannel = new Map(teams.filter((t) => t.team.channel).map((t) => [t.team.channel as string, t.team.name]));

  return {
    teams,
    root,
    multi,
    handle: (inbound) => fleetCommand({ teams, byName, byChannel, root, multi, deps }, inbound),
    tick: (names) => {
      // A team whose last tick still runs (a health check or pre-flight taking minutes) sits this
      // one out; the others tick as usual.
      const chosen = teams.filter((t) => (!names || names.includes(t.team.name)) && !ticking.has(t.team.name));
      return Promise.all(
        chosen.map(async (t) => {
          ticking.add(t.team.name);
          try {
            return await t.bot.tick((at, outcome) => journal.add(t.team.name, at, outcome));
          } finally {
            ticking.delete(t.team.name);
          }
        }),
      );
    },
    recover: async () => {
      adoptStrays(deps.store, config, teams, directory);
      return (await Promise.all(teams.map((t) => t.bot.recover()))).flat();
    },
    shutdown: async (signal) => {
      const all = await Promise.all([...teams.map((t) => t.bot.shutdown(signal)), ...(multi ? [root.shutdown(signal)] : [])]);
      return all.flat();
    },
  };
}

/**
 * Ticks that end in the same turn of the event loop go to the store in one transaction: a hundred
 * teams ticking on the minute cost one commit, not a hundred. A write that fails is logged, as a
 * single tick's is.
 */
class TickJournal {
  private pending: { team: string; at: number; outcome: TickOutcome }[] = [];

  constructor(
    private readonly store: Pick<TickLog, 'recordTicks'>,
    private readonly logger: FleetDeps['logger'],
  ) {}

  add(team: string, at: number, outcome: TickOutcome): void {
    // Not time: the ticks of one minute's teams, added in this turn of the event loop, go in one write.
    if (this.pending.length === 0) setImmediate(() => this.flush());
    this.pending.push({ team, at, outcome });
  }

  private flush(): void {
    const ticks = this.pending;
    this.pending = [];
    try {
      this.store.recordTicks(ticks);
    } catch (error) {
      this.logger.error({ err: error, ticks: ticks.length }, 'cannot record the ticks');
    }
  }
}

/**
 * At start: what a team that left the config still holds is handed on, never dropped. Its latched
 * halt halts every team (editing the config must not undo a stop); its unfinished, unconfirmed and
 * unverified attacks go to the team that owns their host now (else the first team), whose recovery
 * reverts or checks them.
 */
function adoptStrays(store: Store, config: Config, teams: readonly TeamBot[], directory: HostDirectory): void {
  const configured = new Set(teams.map((t) => t.team.name));
  const first = teams[0];
  if (!first) return;
  for (const { team, state } of store.teamStates()) {
    if (configured.has(team)) continue;
    if (state.halt) {
      const halt = {
        ...state.halt,
        reason: unconfiguredTeamHaltText(state.halt.reason, team),
      };
      for (const t of teams) t.bot.context.latch.halt(halt);
    }
    store.forgetTeam(team);
  }
  const strays = [...store.unfinishedAttacks(), ...store.unconfirmedAttacks(), ...store.unverifiedAttacks()];
  for (const r of strays) {
    if (configured.has(r.team)) continue;
    const host = knownHosts(directory).find((h) => h.name === r.host);
    const owner = host ? ownerOf(config.teams, host)[0]?.name : undefined;
    store.reassign(r.id, owner ?? first.team.name);
  }
}
