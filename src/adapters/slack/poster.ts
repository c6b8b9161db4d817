import type { Logger } from 'pino';
import { endedText, eventText } from '../../app/announcements.js';
import type { AttackDef, AttackRecord } from '../../domain/model.js';
import type { ChatEvent } from '../../ports/chat.js';
import type { SlackApi } from './api.js';
import { attackMessage } from './blocks.js';
import { mrkdwn, replyText } from './text.js';
import { uploadAttachments } from './upload.js';

/** One attack's announcement: its top message (once posted) and the posts queued behind it. */
interface AttackThread {
  /** The top message; null until posted, and for good if it could not be posted. */
  ts: string | null;
  attack: AttackDef | null;
  chain: Promise<void>;
}

export interface PosterLimits {
  /** Announcements waiting at most; beyond it new ones are dropped (and logged). */
  readonly maxPending: number;
  /** Attacks whose thread is remembered; the oldest is forgotten first. */
  readonly maxThreads: number;
}

export const DEFAULT_POSTER_LIMITS: PosterLimits = { maxPending: 500, maxThreads: 200 };

/**
 * Announcements to the channel, queued so that `announce` returns at once and an attack never waits
 * for Slack. Each attack has its own queue: its top message (with the Stop button) first, then the
 * thread replies, then the update of the top message to its final state. Everything else shares one
 * queue. Side effects: Web API calls, retried within bounds by SlackApi; failures are logged.
 */
export class AnnouncementPoster {
  private readonly threads = new Map<string, AttackThread>();
  private channelChain: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(
    private readonly api: SlackApi,
    private readonly logger: Logger,
    private readonly channel: string,
    private readonly timezone: string,
    private readonly limits: PosterLimits = DEFAULT_POSTER_LIMITS,
  ) {}

  /** Queues the event's posts. Never throws, never waits for Slack. */
  enqueue(event: ChatEvent): void {
    try {
      switch (event.kind) {
        case 'attack-started': {
          const thread = this.thread(event.record.id);
          thread.attack = event.attack;
          this.onThread(thread, event, () => this.postTop(thread, event.record));
          return;
        }
        case 'attack-progress': {
          const thread = this.thread(event.record.id);
          const full = eventText(event, this.timezone);
          this.onThread(thread, event, () => this.postInThread(thread, event.text, full));
          return;
        }
        case 'attack-ended': {
          const thread = this.thread(event.record.id);
          this.onThread(thread, event, async () => {
            const text = endedText(event.record);
            await this.postInThread(thread, text, text);
            await this.finalize(thread, event.record);
          });
          return;
        }
        case 'auto-aborted': {
          const thread = this.thread(event.record.id);
          const text = eventText(event, this.timezone);
          this.onThread(thread, event, () => this.postInThread(thread, text, text, true));
          return;
        }
        case 'report':
          this.onChannel(event, async () => {
            if (!(await this.post({ channel: this.channel, text: replyText(event.reply) }, event.kind))) return;
            if (event.reply.attachments?.length) {
              await uploadAttachments(this.api, this.logger, { channel: this.channel }, event.reply.attachments);
            }
          });
          return;
        default: {
          const text = mrkdwn(eventText(event, this.timezone));
          this.onChannel(event, async () => {
            await this.post({ channel: this.channel, text }, event.kind);
          });
        }
      }
    } catch (error) {
      this.logger.error({ err: error, kind: event.kind }, 'cannot queue an announcement');
    }
  }

  /** Waits for the queues to drain, at most `timeoutMs`; true when they did. */
  async flush(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const drained = (async () => {
      while (this.pending > 0) {
        await Promise.allSettled([this.channelChain, ...[...this.threads.values()].map((t) => t.chain)]);
      }
      return true;
    })();
    try {
      return await Promise.race([drained, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private thread(attackId: string): AttackThread {
    let thread = this.threads.get(attackId);
    if (!thread) {
      thread = { ts: null, attack: null, chain: Promise.resolve() };
      this.threads.set(attackId, thread);
      while (this.threads.size > this.limits.maxThreads) {
        const oldest = this.threads.keys().next().value;
        if (oldest === undefined) break;
        this.threads.delete(oldest);
      }
    }
    return thread;
  }

  private admit(event: ChatEvent): boolean {
    if (this.pending < this.limits.maxPending) return true;
    this.logger.error({ kind: event.kind, pending: this.pending }, 'too many announcements waiting for Slack; dropping one');
    return false;
  }

  private onThread(thread: AttackThread, event: ChatEvent, task: () => Promise<void>): void {
    if (!this.admit(event)) return;
    this.pending++;
    thread.chain = thread.chain
      .then(task)
      .catch((error) => this.failed(event, error))
      .finally(() => this.pending--);
  }

  private onChannel(event: ChatEvent, task: () => Promise<void>): void {
    if (!this.admit(event)) return;
    this.pending++;
    this.channelChain = this.channelChain
      .then(task)
      .catch((error) => this.failed(event, error))
      .finally(() => this.pending--);
  }

  private failed(event: ChatEvent, error: unknown): void {
    this.logger.error({ err: error, kind: event.kind }, 'announcement failed');
  }

  private async postTop(thread: AttackThread, record: AttackRecord): Promise<void> {
    const message = attackMessage(record, thread.attack, this.timezone);
    const result = await this.api.call('chat.postMessage', { channel: this.channel, ...message });
    const ts = result.ok ? result.data.ts : undefined;
    if (typeof ts === 'string') {
      thread.ts = ts;
      return;
    }
    this.logger.error(
      { attackId: record.id, error: result.ok ? 'no ts in the answer' : result.error },
      'cannot announce the attack; its updates go to the channel instead of a thread',
    );
  }

  /** In the attack's thread; without a top message, in the channel with the attack named. */
  private async postInThread(thread: AttackThread, short: string, full: string, broadcast = false): Promise<void> {
    if (thread.ts === null) {
      await this.post({ channel: this.channel, text: mrkdwn(full) }, 'thread fallback');
      return;
    }
    await this.post(
      { channel: this.channel, thread_ts: thread.ts, text: mrkdwn(short), ...(broadcast ? { reply_broadcast: true } : {}) },
      'thread reply',
    );
  }

  /** The top message in its final state: no Stop button any more. */
  private async finalize(thread: AttackThread, record: AttackRecord): Promise<void> {
    if (thread.ts === null) return;
    const message = attackMessage(record, thread.attack, this.timezone);
    const result = await this.api.call('chat.update', { channel: this.channel, ts: thread.ts, ...message });
    if (!result.ok) this.logger.error({ attackId: record.id, error: result.error }, 'cannot update the attack announcement');
  }

  private async post(args: Record<string, unknown>, what: string): Promise<boolean> {
    const result = await this.api.call('chat.postMessage', args);
    if (!result.ok) this.logger.error({ what, error: result.error }, 'cannot post an announcement');
    return result.ok;
  }
}
