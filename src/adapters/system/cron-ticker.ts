import cron, { type ScheduledTask } from 'node-cron';

/**
 * Calls `onTick` on the cron expression, in the configured zone. A tick still running when the
 * next one is due is skipped, never stacked.
 */
export class CronTicker {
  private task: ScheduledTask | null = null;

  constructor(
    private readonly expression: string,
    private readonly timezone: string,
    private readonly onTick: () => Promise<unknown>,
  ) {}

  start(): void {
    this.task = cron.schedule(this.expression, () => this.onTick(), {
      timezone: this.timezone,
      noOverlap: true,
      name: 'chaoscat-tick',
    });
  }

  async stop(): Promise<void> {
    const task = this.task;
    this.task = null;
    if (task) {
      await task.stop();
      await task.destroy();
    }
  }
}
