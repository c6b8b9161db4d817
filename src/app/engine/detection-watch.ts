import type { Logger } from 'pino';
import { type Detection, type DetectionPoll, detectionOf } from '../../domain/detection.js';
import type { HostDef } from '../../domain/model.js';
import type { Clock } from '../../ports/clock.js';
import type { DetectionSource } from '../../ports/detection.js';
import { errorMessage } from '../../ports/errors.js';
import type { Cancel, Timers } from '../../ports/timers.js';

export interface DetectionWatchDeps {
  readonly sources: readonly DetectionSource[];
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Logger;
  /** How often it looks (the verdict's probe interval). */
  readonly intervalMs: number;
}

/**
 * Did monitoring notice this attack? Looks at every source for every host of the run, from the
 * fault's start, every interval until the verdict, then once more. The first alert seen sticks;
 * otherwise each source's last look counts, so a source unreadable at the end makes the answer
 * unknown (never "not detected" from not looking).
 */
export class DetectionWatch {
  private readonly looks = new Map<string, { source: string; poll: DetectionPoll }>();
  private cancel: Cancel | null = null;
  private looking: Promise<void> | null = null;

  constructor(
    private readonly deps: DetectionWatchDeps,
    private readonly hosts: readonly HostDef[],
    private readonly faultStart: number,
  ) {}

  start(): void {
    this.cancel ??= this.deps.timers.every(this.deps.intervalMs, () => {
      if (!this.looking) this.looking = this.look().finally(() => (this.looking = null));
    });
  }

  /** The last look, then the answer. Never rejects. */
  async finish(): Promise<Detection> {
    this.cancel?.();
    this.cancel = null;
    await this.looking;
    await this.look();
    return detectionOf(this.faultStart, [...this.looks.values()]);
  }

  private async look(): Promise<void> {
    const now = this.deps.clock.now();
    await Promise.all(
      this.deps.sources.flatMap((source) =>
        this.hosts.map(async (host) => {
          const key = `${source.name}\n${host.name}`;
          let poll: DetectionPoll;
          try {
            poll = await source.poll(host, this.faultStart, now);
          } catch (error) {
            poll = { kind: 'unread', why: errorMessage(error) };
          }
          // An alert once seen stays seen (it may resolve before the verdict).
          if (this.looks.get(key)?.poll.kind === 'seen') return;
          if (poll.kind === 'unread')
            this.deps.logger.warn({ source: source.name, host: host.name, why: poll.why }, 'detection source unreadable');
          this.looks.set(key, { source: source.name, poll });
        }),
      ),
    );
  }
}
