import type { Logger } from 'pino';
import { prometheusEvidence } from '../adapters/detection/evidence.js';
import { detectionSources } from '../adapters/detection/sources.js';
import type { teamGates } from '../adapters/health/index.js';
import type { SqliteAnswerLog } from '../adapters/sqlite/answer-log.js';
import type { SqliteEvidenceLog } from '../adapters/sqlite/evidence-log.js';
import { SqliteFaultLog } from '../adapters/sqlite/fault-log.js';
import { SqliteGameDayStore } from '../adapters/sqlite/game-day-store.js';
import type { SqliteStore } from '../adapters/sqlite/sqlite-store.js';
import { systemClock } from '../adapters/system/clock.js';
import { cryptoRandom } from '../adapters/system/random.js';
import { systemTimers } from '../adapters/system/timers.js';
import { createReportCommand, type ReportDeps } from '../app/reports/report.js';
import { createFleet, type Fleet } from '../app/teams/fleet.js';
import type { Config } from '../config/config.js';
import type { Announcer, ChatTransport } from '../ports/chat.js';
import type { Executor } from '../ports/executor.js';
import type { HostDirectory } from '../ports/host-directory.js';
import type { BotObserver } from '../ports/observer.js';
import type { Store } from '../ports/store.js';

export interface FleetParts {
  readonly config: Config;
  readonly hosts: HostDirectory;
  readonly store: SqliteStore;
  readonly executor: Executor;
  readonly gates: ReturnType<typeof teamGates>;
  readonly transport: ChatTransport;
  readonly logger: Logger;
  readonly botAddresses: readonly string[];
  readonly answers: SqliteAnswerLog;
  readonly evidenceLog: SqliteEvidenceLog;
  readonly reportDeps: ReportDeps;
  /** Metrics' observers, when metrics are on. */
  readonly observers: { readonly observer: BotObserver; observerFor(team: string): BotObserver } | null;
  readonly teamStores: ReadonlyMap<string, Store>;
  /** Several teams (`teams:`): each speaks in its own channel, labelled. */
  readonly multi: boolean;
}

/**
 * Every team's bot over the shared parts: its store, health gate, steady state, chat, report,
 * game days, faults, detection and evidence. Returns the fleet and each team's report wiring (for
 * the daily post).
 */
export function wireFleet(parts: FleetParts): {
  fleet: Fleet;
  teamReports: Map<string, { deps: ReportDeps; announcer: Announcer }>;
} {
  const { config, hosts, store, executor, gates, transport, logger, botAddresses, answers, evidenceLog, reportDeps } = parts;
  const { observers, teamStores, multi } = parts;
  const teamReports = new Map<string, { deps: ReportDeps; announcer: Announcer }>();
  const fleet = createFleet({
    config,
    hosts,
    store,
    executor,
    health: gates.gate(config),
    announcer: transport,
    ears: transport,
    authorizer: transport,
    globalAuthorizer: transport,
    clock: systemClock,
    timers: systemTimers,
    random: cryptoRandom,
    logger,
    botAddresses,
    answers,
    detection: detectionSources(config.detection, process.env),
    evidence: { reader: prometheusEvidence((attack) => config.evidence[attack] ?? []), log: evidenceLog },
    report: createReportCommand(reportDeps),
    steadyState: gates.steadyState(config),
    ...(observers ? { observer: observers.observer } : {}),
    wire: (team, view) => {
      const teamStore = teamStores.get(team.name) ?? store;
      const chat = multi ? transport.forTeam({ ...team, label: team.name, timezone: view.timezone }) : transport;
      const deps: ReportDeps = { ...reportDeps, store: teamStore, config: view };
      teamReports.set(team.name, { deps, announcer: chat });
      return {
        store: teamStore,
        health: gates.gate(view),
        steadyState: gates.steadyState(view),
        chat,
        report: createReportCommand(deps),
        gameDayStore: new SqliteGameDayStore(store.handle, team.name),
        faultLog: new SqliteFaultLog(store.handle, team.name),
        detection: detectionSources(view.detection, process.env),
        evidence: { reader: prometheusEvidence((attack) => view.evidence[attack] ?? []), log: evidenceLog },
        ...(observers ? { observer: observers.observerFor(team.name) } : {}),
      };
    },
  });
  return { fleet, teamReports };
}
