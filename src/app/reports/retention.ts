import type { Logger } from 'pino';
import type { Clock } from '../../ports/clock.js';
import type { JournalPruner, PrunableTable } from '../../ports/journal-pruner.js';
import type { Timers } from '../../ports/timers.js';

/** How long tick outcomes and health samples are kept, in ms; null keeps them forever. */
export interface RetentionSettings {
  readonly ticks: number | null;
  readonly health: number | null;
}

export interface RetentionDeps {
  readonly pruner: JournalPruner;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  readonly settings: RetentionSettings;
  /** Rows per DELETE (default 500): a batch holds the write lock for about a millisecond. */
  readonly batch?: number;
  /** Between rounds (default one hour). */
  readonly intervalMs?: number;
}

export type Pruned = Record<PrunableTable, number>;

export interface Retention {
  /** One round now (the same as the hourly one); resolves with what it deleted. Never rejects. */
  round(): Promise<Pruned>;
  /** No further round or batch; a batch in progress ends first. */
  stop(): void;
}

const HOUR = 3_600_000;

/**
 * Thins the journal: a round at start, then one about hourly, each deleting tick outcomes and
 * health samples older than their retention in small batches, yielding to the event loop between
 * batches so a tick, a stop or a probe never waits behind it. A failure is logged and the next
 * round tries again; pruning is housekeeping, never a reason to stop the bot.
 */
export function startRetention(deps: RetentionDeps): Retention {
  const batch = deps.batch ?? 500;
  const tables = (Object.keys(deps.settings) as PrunableTable[]).filter((t) => deps.settings[t] !== null);
  let stopped = false;
  let running: Promise<Pruned> | null = null;
  const yieldNow = () => new Promise<void>((resolve) => deps.timers.after(0, resolve));

  async function prune(): Promise<Pruned> {
    const pruned: Pruned = { ticks: 0, health: 0 };
    try {
      for (const table of tables) {
        const before = deps.clock.now() - (deps.settings[table] as number);
        for (;;) {
          if (stopped) return pruned;
          const n = deps.pruner.prune(table, before, batch);
          pruned[table] += n;
          if (n < batch) break;
          await yieldNow();
        }
      }
      if (pruned.ticks + pruned.health > 0) deps.logger.info({ pruned }, 'retention: old ticks and health samples deleted');
    } catch (error) {
      deps.logger.warn({ err: error, pruned }, 'retention: pruning failed; the next round tries again');
    }
    return pruned;
  }

  function round(): Promise<Pruned> {
    // A round still going (a large backlog) is not overlapped: callers share it.
    running ??= prune().finally(() => {
      running = null;
    });
    return running;
  }

  if (tables.length === 0) return { round: async () => ({ ticks: 0, health: 0 }), stop: () => {} };
  void round();
  const cancel = deps.timers.every(deps.intervalMs ?? HOUR, () => void round());
  return {
    round,
    stop: () => {
      stopped = true;
      cancel();
    },
  };
}
