import type { Logger } from 'pino';
import type { AttackDef } from '../../domain/model.js';
import type { StartNote } from '../../ports/chat.js';
import { type Timers, within } from '../../ports/timers.js';

/** One attack's announcement: its top message (once posted) and the posts queued behind it. */
export interface AttackThread {
  /** The top message; null until posted, and for good if it could not be posted. */
  ts: string | null;
  attack: AttackDef | null;
  /** The start event's sentence, kept on every later rendering of the top message. */
  note: StartNote | undefined;
  /** Why the attack never started although its top message reached Slack (too late); it has no button. */
  notStarted: string | null;
  /** The top message shows the final state: nothing may bring the Stop button back. */
  final: boolean;
  chain: Promise<void>;
}

export interface QueueLimits {
  /** Announcements waiting at most; beyond it new ones are dropped (and logged). */
  readonly maxPending: number;
  /** Attacks whose thread is remembered; the oldest is forgotten first. */
  readonly maxThreads: number;
}

type Task = () => Promise<unknown>;

/**
 * The order announcements go out in: one queue per attack (top message, thread replies, final
 * update), one for `halted` and `resumed`, one for everything else. The queues run side by side,
 * each one task at a time, so a stop is never announced behind a slow report upload and one attack's
 * trouble never holds up another's. Side effects: none but logging; a failed task is logged and the
 * queue goes on.
 */
export class AnnouncementQueues {
  private readonly threads = new Map<string, AttackThread>();
  private channelChain: Promise<void> = Promise.resolve();
  private latchChain: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(
    private readonly logger: Logger,
    private readonly limits: QueueLimits,
    private readonly timers: Timers,
  ) {}

  /** The attack's thread, made on first use. */
  thread(attackId: string): AttackThread {
    let thread = this.threads.get(attackId);
    if (!thread) {
      thread = { ts: null, attack: null, note: undefined, notStarted: null, final: false, chain: Promise.resolve() };
      this.threads.set(attackId, thread);
      while (this.threads.size > this.limits.maxThreads) {
        const oldest = this.threads.keys().next().value;
        if (oldest === undefined) break;
        this.threads.delete(oldest);
      }
    }
    return thread;
  }

  /** The attack whose top message is `ts`, if this process posted it (and still remembers it). */
  attackAt(ts: string): string | null {
    for (const [id, thread] of this.threads) if (thread.ts === ts) return id;
    return null;
  }

  /** The attack's thread if this process announced it (and still remembers it). */
  known(attackId: string): AttackThread | undefined {
    return this.threads.get(attackId);
  }

  /** Queues a task behind the attack's earlier posts; false when it was dropped. */
  onThread(thread: AttackThread, what: string, task: Task): boolean {
    const chain = this.queue(thread.chain, what, task);
    if (chain) thread.chain = chain;
    return chain !== null;
  }

  onChannel(what: string, task: Task): void {
    this.channelChain = this.queue(this.channelChain, what, task) ?? this.channelChain;
  }

  /** The halt and resume announcements: their own queue, in order. */
  onLatch(what: string, task: Task): void {
    this.latchChain = this.queue(this.latchChain, what, task) ?? this.latchChain;
  }

  /** Waits for the queues to drain, at most `timeoutMs`; true when they did. */
  async flush(timeoutMs: number): Promise<boolean> {
    const drained = (async () => {
      while (this.pending > 0) {
        const threads = [...this.threads.values()].map((t) => t.chain);
        await Promise.allSettled([this.channelChain, this.latchChain, ...threads]);
      }
      return true;
    })();
    return within(this.timers, timeoutMs, drained, false);
  }

  private queue(chain: Promise<void>, what: string, task: Task): Promise<void> | null {
    if (this.pending >= this.limits.maxPending) {
      this.logger.error({ kind: what, pending: this.pending }, 'too many announcements waiting for Slack; dropping one');
      return null;
    }
    this.pending++;
    return chain
      .then(task)
      .then(() => {})
      .catch((error) => this.logger.error({ err: error, kind: what }, 'announcement failed'))
      .finally(() => this.pending--);
  }
}
