import type { Clock } from '../../ports/clock.js';
import {
  type AbortResult,
  type AttackJob,
  type AttackResult,
  type Executor,
  type OrphanJob,
  type RunningAttack,
  startCancelled,
} from '../../ports/executor.js';
import type { Cancel, Timers } from '../../ports/timers.js';

/** Dry run: nothing was touched, so nothing is undone. */
const DRY = { kind: 'dry-run' } as const;

/**
 * The Executor of dry run: records and reports, never connects to a host. An attack "runs" for its
 * duration on a local timer so that status, stop and the Stop button behave as they would live.
 */
export class DryRunExecutor implements Executor {
  private readonly pending = new Set<Cancel>();

  constructor(
    private readonly clock: Clock,
    private readonly timers: Timers,
  ) {}

  async preflight(): Promise<{ ok: true }> {
    return { ok: true };
  }

  async start(job: AttackJob, signal?: AbortSignal): Promise<RunningAttack> {
    if (signal?.aborted) throw startCancelled(job.host.name);
    let settle: (r: AttackResult) => void = () => {};
    const done = new Promise<AttackResult>((resolve) => {
      settle = resolve;
    });
    let ended = false;
    const end = (result: Omit<AttackResult, 'endedAt' | 'exitCode' | 'signal' | 'rollbackOk'>) => {
      if (ended) return;
      ended = true;
      cancel();
      this.pending.delete(cancel);
      settle({ ...result, exitCode: null, signal: null, rollbackOk: true, endedAt: this.clock.now() });
    };
    const cancel = this.timers.after(job.durationMs, () =>
      end({
        outcome: 'completed',
        outputTail: `dry run: would have run ${job.attack.name} on ${job.host.name} for ${Math.round(job.durationMs / 1000)}s`,
        end: null,
      }),
    );
    this.pending.add(cancel);
    return {
      remotePgid: null,
      done,
      abort: async (reason: string): Promise<AbortResult> => {
        end({ outcome: 'reverted', outputTail: 'dry run: nothing to undo', end: { kind: 'aborted', why: reason, found: DRY } });
        return { outcome: 'reverted', found: DRY, tookMs: 0 };
      },
    };
  }

  async recover(_orphan: OrphanJob): Promise<AbortResult> {
    return { outcome: 'reverted', found: DRY, tookMs: 0 };
  }

  async close(): Promise<void> {
    for (const cancel of this.pending) cancel();
    this.pending.clear();
  }
}
