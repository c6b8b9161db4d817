import type { Logger } from 'pino';
import { type AttackRecord, isFinal } from '../../domain/model.js';
import type { Posted } from '../../ports/chat.js';
import type { AttackThread } from './announcement-queues.js';
import type { SlackApi } from './api.js';
import { attackMessage } from './blocks.js';
import type { ChannelPacer } from './channel-pacer.js';
import { mrkdwn, truncate } from './text.js';

/**
 * The Slack messages of an attack's thread and of the channel, one Web API call each, paced: the
 * top message with its Stop button, its updates (reverting, final, not started), thread replies
 * (in the channel when there is no top message) and plain posts. Which post goes when is the
 * poster's (AnnouncementPoster): this only makes each one. Side effects: Web API calls; failures are
 * logged, never thrown.
 */
export class ThreadPosts {
  constructor(
    private readonly api: SlackApi,
    private readonly pacer: ChannelPacer,
    private readonly logger: Logger,
    readonly channel: string,
    private readonly timezone: string,
  ) {}

  /** The top message with its Stop button; `withinMs` bounds the retries. */
  async postTop(thread: AttackThread, record: AttackRecord, withinMs?: number, wanted?: () => boolean): Promise<Posted> {
    const message = attackMessage(record, thread.attack, this.timezone, { note: thread.note });
    // Urgent: the attack waits for its top message, and must not wait behind the channel's chatter.
    const result = await this.pacer.post(
      this.api,
      { channel: this.channel, ...message },
      { urgent: true, ...(withinMs === undefined ? {} : { withinMs }), ...(wanted ? { wanted } : {}) },
    );
    const ts = result.ok ? result.data.ts : undefined;
    if (typeof ts === 'string') {
      thread.ts = ts;
      return { ok: true };
    }
    const error = result.ok ? 'no ts in the answer' : result.error;
    this.logger.error(
      { attackId: record.id, error },
      'cannot announce the attack; its updates go to the channel instead of a thread',
    );
    if (result.ok) return { ok: false, reason: 'Slack answered without the message ts' };
    return {
      ok: false,
      reason: result.refused ? `Slack refused the announcement: ${error}` : `Slack did not take the announcement: ${error}`,
    };
  }

  /** A top message that landed after announceStart gave up: no Stop button, and why nothing ran. */
  async withdraw(thread: AttackThread, record: AttackRecord, why: string): Promise<void> {
    thread.notStarted = why;
    this.logger.warn(
      { attackId: record.id, why },
      'the announcement reached Slack after the wait was given up; marking it not started',
    );
    await this.update(thread, record, { notStarted: why });
  }

  /** A stop is reverting the attack: its top message says so at once; the result follows in the thread. */
  async showReverting(thread: AttackThread, record: AttackRecord): Promise<void> {
    if (thread.final || thread.notStarted !== null || isFinal(record.state)) return;
    await this.update(thread, { ...record, state: 'aborting' }, {});
  }

  /** In the attack's thread; without a top message, in the channel with the attack named. */
  async postInThread(thread: AttackThread, short: string, full: string, broadcast = false, urgent = false): Promise<void> {
    if (thread.ts === null) {
      await this.post({ channel: this.channel, text: mrkdwn(full) }, 'thread fallback', urgent);
      return;
    }
    await this.post(
      { channel: this.channel, thread_ts: thread.ts, text: mrkdwn(short), ...(broadcast ? { reply_broadcast: true } : {}) },
      'thread reply',
      urgent,
    );
  }

  /** The top message in its final state: no Stop button any more. */
  async finalize(thread: AttackThread, record: AttackRecord): Promise<void> {
    thread.final = true;
    await this.update(thread, record, {});
  }

  async update(thread: AttackThread, record: AttackRecord, extras: { notStarted?: string }): Promise<void> {
    if (thread.ts === null) return;
    const message = attackMessage(record, thread.attack, this.timezone, { note: thread.note, ...extras });
    const result = await this.api.call('chat.update', { channel: this.channel, ts: thread.ts, ...message });
    if (!result.ok) this.logger.error({ attackId: record.id, error: result.error }, 'cannot update the attack announcement');
  }

  async post(args: Record<string, unknown>, what: string, urgent = false): Promise<boolean> {
    // Slack refuses a text over 40,000 characters: a shutdown over hundreds of hosts says what fits and that it cut.
    const text = typeof args.text === 'string' ? truncate(args.text) : args.text;
    const result = await this.pacer.post(this.api, { ...args, text }, { urgent });
    if (!result.ok) this.logger.error({ what, error: result.error }, 'cannot post an announcement');
    return result.ok;
  }
}
