import type { TickOutcome } from '../domain/model.js';
import type { AbortOutcome, Inbound, Reply } from '../ports/chat.js';
import { AttackRunner } from './attack-runner.js';
import { handleCommand, type ReportCommand } from './commands.js';
import { type AppContext, HaltLatch, type Ports } from './context.js';
import { recoverOrphans } from './recover.js';
import { tick } from './tick.js';

export interface BotDeps extends Ports {
  /** Addresses network attacks must never cut off (the bot's own). */
  readonly botAddresses?: readonly string[];
  readonly report?: ReportCommand;
  readonly observer?: BotObserver;
}

/** Hooks for metrics; each must not throw. */
export interface BotObserver {
  onTick?(outcome: TickOutcome): void;
  onAttackFinished?(record: import('../domain/model.js').AttackRecord): void;
  onAborted?(outcome: AbortOutcome): void;
}

export interface Bot {
  readonly context: AppContext;
  /** One scheduler tick. */
  tick(): Promise<TickOutcome>;
  /** A command from any transport. */
  handle(inbound: Inbound): Promise<Reply>;
  /** Reverts attacks left in flight by a previous process. */
  recover(): Promise<AbortOutcome[]>;
  /** Reverts everything in flight (same path as stop, without latching a halt), bounded in time. */
  shutdown(reason: string): Promise<AbortOutcome[]>;
}

/** Wires the use cases around the ports. Builds nothing from the outside world. */
export function createBot(deps: BotDeps): Bot {
  const { config } = deps;
  const latch = new HaltLatch(deps.store);
  const runner = new AttackRunner({
    store: deps.store,
    executor: deps.executor,
    announcer: deps.announcer,
    health: deps.health,
    clock: deps.clock,
    logger: deps.logger,
    dryRun: config.dryRun,
    cooldownMs: config.schedule.cooldown,
    healthIntervalMs: config.schedule.healthInterval,
    haltOnHealthFailure: config.schedule.haltOnHealthFailure,
    botAddresses: deps.botAddresses ?? [],
    latchHalt: (by, reason) => {
      latch.halt({ by, at: deps.clock.now(), reason });
    },
    onFinished: (r) => deps.observer?.onAttackFinished?.(r),
    onAborted: (o) => deps.observer?.onAborted?.(o),
  });
  const context: AppContext = {
    config,
    hours: { timezone: config.timezone, ...config.businessHours },
    store: deps.store,
    executor: deps.executor,
    health: deps.health,
    announcer: deps.announcer,
    ears: deps.ears,
    authorizer: deps.authorizer,
    clock: deps.clock,
    random: deps.random,
    logger: deps.logger,
    runner,
    latch,
  };
  return {
    context,
    tick: async () => {
      const outcome = await tick(context);
      deps.observer?.onTick?.(outcome);
      return outcome;
    },
    handle: (inbound) => handleCommand(context, inbound, deps.report),
    recover: () => recoverOrphans(context),
    shutdown: async (reason) => {
      const aborted = await runner.abortAll(reason);
      if (aborted.length > 0) await deps.announcer.announce({ kind: 'shutdown', aborted }).catch(() => {});
      return aborted;
    },
  };
}
