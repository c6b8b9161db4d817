import type { Logger } from 'pino';
import { isSlackUserId } from '../../domain/marks.js';
import type { Clock } from '../../ports/clock.js';
import type { People } from '../../ports/people.js';
import type { SlackApi } from './api.js';

/** A name is asked again after a day: people rename themselves. */
const FRESH_MS = 86_400_000;

/**
 * Learns the display names of the people who talk to the bot (users.info), so the console, the
 * archive and exports can show names instead of ids. Side effects: a Web API call per person a day,
 * a row in the store. Never throws and never delays a command: `learn` returns at once.
 */
export class SlackNames {
  private readonly asked = new Map<string, number>();

  constructor(
    private readonly api: SlackApi,
    private readonly people: People,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  learn(userId: string): void {
    if (!isSlackUserId(userId)) return;
    const now = this.clock.now();
    const last = this.asked.get(userId);
    if (last !== undefined && now - last < FRESH_MS) return;
    this.asked.set(userId, now);
    void this.ask(userId, now);
  }

  private async ask(userId: string, now: number): Promise<void> {
    try {
      const result = await this.api.call('users.info', { user: userId });
      if (!result.ok) {
        this.logger.debug({ user: userId, error: result.error }, 'cannot read a display name');
        return;
      }
      const user = result.data.user as
        | { name?: string; real_name?: string; profile?: { display_name?: string; real_name?: string } }
        | undefined;
      const name = user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name;
      if (name) this.people.remember(userId, name.slice(0, 80), now);
    } catch (error) {
      this.logger.warn({ err: error, user: userId }, 'cannot keep a display name');
    }
  }
}
