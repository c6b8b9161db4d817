import type { TickOutcome } from '../domain/model.js';
import type { AnswerLog } from '../ports/answer-log.js';
import type { AbortOutcome, Inbound, Reply } from '../ports/chat.js';
import type { DetectionSource } from '../ports/detection.js';
import type { EvidenceLog, EvidenceReader } from '../ports/evidence.js';
import type { FaultLog } from '../ports/fault-log.js';
import type { GameDayStore } from '../ports/game-day-store.js';
import type { HostDirectory } from '../ports/host-directory.js';
import type { BotObserver } from '../ports/observer.js';
import type { SteadyState } from '../ports/steady-state.js';
import { handleCommand, type ReportCommand } from './commands/commands.js';
import { type AppContext, HaltLatch, type Ports } from './context.js';
import { AttackRunner } from './engine/attack-runner.js';
import { Faults } from './engine/faults.js';
import { recoverOrphans } from './engine/recover.js';
import type { RunnerDeps } from './engine/runner-deps.js';
import { type TickRecorder, tick } from './engine/tick.js';
import { GameDays } from './game-days/game-days.js';
import { staticDirectory } from './teams/inventory.js';

export interface BotDeps extends Ports {
  /** Addresses network attacks must never cut off (the bot's own). */
  readonly botAddresses?: readonly string[];
  readonly report?: ReportCommand;
  readonly observer?: BotObserver;
  /** Each attack's steady-state probes; default: the global health gate for every attack. */
  readonly steadyState?: SteadyState;
  /** One attack in flight; only the bench raises it. */
  readonly maxInFlight?: number;
  /** The hosts (static plus inventory); default: the static `hosts:` only. */
  readonly hosts?: HostDirectory;
  /** Where the team's game-day notices and approvals are kept; without it the bot has no game days. */
  readonly gameDayStore?: GameDayStore;
  /** Where faults that may remain are kept across restarts; without it, in memory only. */
  readonly faultLog?: FaultLog;
  /** Where what people learned from each attack is kept; without it the bot asks nothing after a verdict. */
  readonly answers?: AnswerLog;
  /** Where to look for whether monitoring noticed each live attack; none: it does not look. */
  readonly detection?: readonly DetectionSource[];
  /** Reads and keeps each live attack's metrics around the fault; absent: none are read. */
  readonly evidence?: { readonly reader: EvidenceReader; readonly log: EvidenceLog };
}

export interface Bot {
  readonly context: AppContext;
  /** One scheduler tick; its outcome is recorded through `record` when given, else written at once. */
  tick(record?: TickRecorder): Promise<TickOutcome>;
  /** The team's game days: started by the composition root once recovery is done. */
  readonly gameDays: GameDays | null;
  /** A command from any transport. */
  handle(inbound: Inbound): Promise<Reply>;
  /** Reverts attacks left in flight by a previous process, and checks those whose end nobody saw. */
  recover(): Promise<AbortOutcome[]>;
  /** Reverts everything in flight (as stop does, without latching a halt) and waits for the hosts. */
  /** Reverts what is in flight and waits for it: on a signal, or (null) when the console's input ended. */
  shutdown(signal: string | null): Promise<AbortOutcome[]>;
}

/** The ports alone, without BotDeps' own options: what the use cases and the attack runner share. */
function portsOf(deps: BotDeps): Ports {
  const { config, store, executor, health, announcer, ears, authorizer, clock, timers, random, logger } = deps;
  return { config, store, executor, health, announcer, ears, authorizer, clock, timers, random, logger };
}

/**
 * The attack engine over the ports and the parts createBot builds; the rest of RunnerDeps comes
 * from BotDeps' options. `gameDays` is read when a tick asks for a quiet period.
 */
function runnerFor(
  deps: BotDeps,
  parts: Omit<Ports, 'authorizer'> & Pick<RunnerDeps, 'hosts' | 'hours' | 'latch' | 'faults' | 'botAddresses'>,
  gameDays: () => GameDays | null,
): AttackRunner {
  return new AttackRunner({
    ...parts,
    steadyState: deps.steadyState ?? { probesFor: () => deps.health },
    ...(deps.maxInFlight ? { maxInFlight: deps.maxInFlight } : {}),
    quiet: (from: number, to: number): { name: string; at: number } | null => gameDays()?.quietFor(from, to) ?? null,
    onFinished: (r) => deps.observer?.onAttackFinished?.(r),
    onAborted: (o) => deps.observer?.onAborted?.(o),
    onVerdict: (r) => deps.observer?.onVerdict?.(r),
    ...(deps.answers ? { askAfterVerdict: true } : {}),
    ...(deps.detection?.length ? { detection: deps.detection } : {}),
    ...(deps.evidence ? { evidence: deps.evidence } : {}),
  });
}

/** Wires the use cases around the ports. Builds nothing from the outside world. */
export function createBot(deps: BotDeps): Bot {
  const { config } = deps;
  const latch = new HaltLatch(deps.store);
  const hours = { timezone: config.timezone, ...config.businessHours };
  const botAddresses = deps.botAddresses ?? [];
  const hosts = deps.hosts ?? staticDirectory(config.hosts);
  const faults = new Faults({
    config,
    clock: deps.clock,
    logger: deps.logger,
    latch,
    log: deps.faultLog ?? null,
    announce: (event) => void deps.announcer.announce(event).catch(() => {}),
    onChange: (open) => deps.observer?.onFaults?.(open),
  });
  const ports = portsOf(deps);
  // The runner asks nobody's rights: it takes every port but the authorizer.
  const { authorizer, ...shared } = ports;
  const runner = runnerFor(deps, { ...shared, hosts, hours, latch, faults, botAddresses }, () => gameDays);
  const gameDays: GameDays | null = deps.gameDayStore
    ? new GameDays({
        config,
        store: deps.gameDayStore,
        runner,
        announcer: deps.announcer,
        authorizer,
        clock: deps.clock,
        timers: deps.timers,
        logger: deps.logger,
      })
    : null;
  const context: AppContext = {
    ...ports,
    hosts,
    hours,
    runner,
    latch,
    faults,
    ...(gameDays ? { gameDays } : {}),
    ...(deps.answers ? { answers: deps.answers } : {}),
  };
  // The gauge starts from what the store holds (faults opened before a restart).
  deps.observer?.onFaults?.(faults.list());
  return {
    context,
    gameDays,
    tick: async (record) => {
      const outcome = await tick(context, record);
      deps.observer?.onTick?.(outcome);
      return outcome;
    },
    handle: (inbound) => handleCommand(context, inbound, deps.report),
    recover: () => recoverOrphans(context, botAddresses),
    shutdown: async (signal) => {
      gameDays?.stop();
      const aborted = await runner.abortAndWait(signal);
      if (aborted.length > 0) await deps.announcer.announce({ kind: 'shutdown', aborted }).catch(() => {});
      if (!runner.records.flush()) {
        deps.logger.error({ unsaved: runner.records.unsaved }, 'the database still refuses writes; these outcomes are lost');
      }
      return aborted;
    },
  };
}
