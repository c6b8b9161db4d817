import type { Logger } from 'pino';
import { formatDuration } from '../../domain/duration.js';
import type { ChatEvent, Posted } from '../../ports/chat.js';
import type { Clock } from '../../ports/clock.js';
import { errorMessage } from '../../ports/errors.js';
import type { Timers } from '../../ports/timers.js';
import { endedText, eventText, progressText } from '../../words/announcements.js';
import { systemClock } from '../system/clock.js';
import { systemTimers } from '../system/timers.js';
import { AnnouncementQueues, type QueueLimits } from './announcement-queues.js';
import { questionsMessage } from './answer-blocks.js';
import type { SlackApi } from './api.js';
import type { ChannelPacer } from './channel-pacer.js';
import { evidenceAttachments } from './evidence-attachments.js';
import { gameDayMessage } from './game-day-blocks.js';
import { replyMessage } from './reply-blocks.js';
import { mrkdwn } from './text.js';
import { ThreadPosts } from './thread-posts.js';
import { uploadAttachments } from './upload.js';

type Started = Extract<ChatEvent, { kind: 'attack-started' }>;

/** How long announceStart waits for Slack to take an attack's top message, retries included. */
export const ANNOUNCE_START_TIMEOUT_MS = 10_000;

export interface PosterLimits extends QueueLimits {
  /** announceStart resolves not ok when Slack has not taken the top message within this. */
  readonly startTimeoutMs: number;
}

export const DEFAULT_POSTER_LIMITS: PosterLimits = {
  maxPending: 500,
  maxThreads: 200,
  startTimeoutMs: ANNOUNCE_START_TIMEOUT_MS,
};

/**
 * Announcements to the channel, as Slack messages, in the order AnnouncementQueues keeps: an
 * attack's top message (with the Stop button) first, then its thread replies, then the update of the
 * top message to its final state. `enqueue` returns at once; `start` waits, bounded, for the top
 * message. Side effects: Web API calls, retried within bounds by SlackApi; failures are logged.
 */
export interface PosterOptions {
  /** Mentioned when a fault may remain (`<!here>`, `<!subteam^S…>`), or empty; `<!here>` by default. */
  readonly escalate?: string;
  readonly clock?: Clock;
  /** web.publicUrl while the archive serves: each ending links to its attack's page. */
  readonly archiveUrl?: string | undefined;
}

export class AnnouncementPoster {
  private readonly queues: AnnouncementQueues;
  private readonly escalate: string;
  private readonly clock: Clock;
  private readonly archiveUrl: string | undefined;
  private readonly posts: ThreadPosts;

  constructor(
    private readonly api: SlackApi,
    pacer: ChannelPacer,
    private readonly logger: Logger,
    private readonly channel: string,
    private readonly timezone: string,
    private readonly limits: PosterLimits = DEFAULT_POSTER_LIMITS,
    private readonly timers: Timers = systemTimers,
    more: PosterOptions = {},
  ) {
    this.escalate = more.escalate ?? '<!here>';
    this.clock = more.clock ?? systemClock;
    this.archiveUrl = more.archiveUrl;
    this.queues = new AnnouncementQueues(logger, limits, timers);
    this.posts = new ThreadPosts(api, pacer, logger, channel, timezone);
  }

  /** The attack whose top message is `ts` in `channel`, if this poster posted it there. */
  attackAt(channel: string, ts: string): string | null {
    return channel === this.channel ? this.queues.attackAt(ts) : null;
  }

  /**
   * Queues the attack's top message first in its thread and resolves once Slack took it (ok), or
   * not ok when Slack refused it or has not taken it within `startTimeoutMs`, retries included.
   * Never throws. A top message that still lands after that is turned into "not started" at once,
   * so no Stop button is left for an attack that never ran.
   */
  start(event: Started): Promise<Posted> {
    const bound = this.limits.startTimeoutMs;
    try {
      const thread = this.queues.thread(event.record.id);
      thread.attack = event.attack;
      thread.note = event.note;
      return new Promise<Posted>((resolve) => {
        let decided: Posted | null = null;
        // Read through a call: the timer may decide while the post is on its way.
        const decision = (): Posted | null => decided;
        const decide = (posted: Posted) => {
          if (decided) return;
          decided = posted;
          cancel();
          resolve(posted);
        };
        const cancel = this.timers.after(bound, () =>
          decide({ ok: false, reason: `Slack did not answer within ${formatDuration(bound)}` }),
        );
        const deadline = this.clock.now() + bound;
        const queued = this.queues.onThread(thread, event.kind, async () => {
          if (decision()) return; // given up before its turn came: never post it
          try {
            const posted = await this.posts.postTop(
              thread,
              event.record,
              Math.max(0, deadline - this.clock.now()),
              () => decision() === null,
            );
            const gaveUp = decision();
            if (posted.ok && gaveUp !== null && !gaveUp.ok) await this.posts.withdraw(thread, event.record, gaveUp.reason);
            decide(posted);
          } catch (error) {
            decide({ ok: false, reason: `cannot post the announcement: ${errorMessage(error)}` });
            throw error;
          }
        });
        if (!queued) decide({ ok: false, reason: 'too many announcements are waiting for Slack' });
      });
    } catch (error) {
      this.logger.error({ err: error, attackId: event.record.id }, 'cannot queue an attack announcement');
      return Promise.resolve({ ok: false, reason: `cannot queue the announcement: ${errorMessage(error)}` });
    }
  }

  /** Queues the event's posts. Never throws, never waits for Slack. */
  enqueue(event: ChatEvent): void {
    try {
      if (!this.enqueueInThread(event)) this.enqueueInChannel(event);
    } catch (error) {
      this.logger.error({ err: error, kind: event.kind }, 'cannot queue an announcement');
    }
  }

  /** An attack's story, in its thread (its top message first): true when `event` was one. */
  private enqueueInThread(event: ChatEvent): boolean {
    switch (event.kind) {
      case 'attack-started': {
        const thread = this.queues.thread(event.record.id);
        thread.attack = event.attack;
        thread.note = event.note;
        this.queues.onThread(thread, event.kind, async () => {
          await this.posts.postTop(thread, event.record);
        });
        return true;
      }
      case 'attack-progress': {
        const thread = this.queues.thread(event.record.id);
        const full = eventText(event, this.timezone);
        this.queues.onThread(thread, event.kind, () =>
          this.posts.postInThread(thread, progressText(event.progress, this.timezone), full),
        );
        return true;
      }
      case 'attack-ended': {
        const thread = this.queues.thread(event.record.id);
        this.queues.onThread(thread, event.kind, async () => {
          const text = `${endedText(event.record, event.legs, this.timezone)}${this.archiveLine(event.record.id)}`;
          // How it ended (a revert, a failed rollback) goes before other waiting posts; the thread
          // keeps its order: its top message ("Started") was answered before this is queued.
          await this.posts.postInThread(thread, text, text, false, true);
          await this.posts.finalize(thread, event.record);
        });
        return true;
      }
      case 'verdict': {
        // In the attack's thread; a system that did not recover is also told in the channel.
        const thread = this.queues.thread(event.record.id);
        const text = eventText(event, this.timezone);
        const broadcast = event.record.verdict === 'not-recovered';
        this.queues.onThread(thread, event.kind, async () => {
          await this.posts.postInThread(thread, text, text, broadcast);
          // The ending message carries the verdict too.
          await this.posts.finalize(thread, event.record);
        });
        return true;
      }
      case 'evidence': {
        // The baseline in the thread, then each series as a chart (drawn when posted: ECharts loads only then).
        const thread = this.queues.thread(event.record.id);
        const text = eventText(event, this.timezone);
        this.queues.onThread(thread, event.kind, async () => {
          await this.posts.postInThread(thread, text, text);
          if (event.series.length === 0) return;
          const attachments = await evidenceAttachments(event.record, event.series, this.timezone, this.logger);
          if (attachments.length)
            await uploadAttachments(
              this.api,
              this.logger,
              { channel: this.channel, threadTs: thread.ts ?? undefined },
              attachments,
            );
        });
        return true;
      }
      case 'questions': {
        // After the verdict, in the thread: the buttons carry the attack id, nothing else.
        const thread = this.queues.thread(event.record.id);
        const message = questionsMessage(event.record, event.runbook);
        this.queues.onThread(thread, event.kind, async () => {
          if (thread.ts === null) await this.posts.post({ channel: this.channel, ...message }, event.kind);
          else await this.posts.post({ channel: this.channel, thread_ts: thread.ts, ...message }, event.kind);
        });
        return true;
      }
      case 'auto-aborted': {
        const thread = this.queues.thread(event.record.id);
        const text = eventText(event, this.timezone);
        this.queues.onThread(thread, event.kind, () => this.posts.postInThread(thread, text, text, true));
        return true;
      }
      default:
        return false;
    }
  }

  /** What the whole channel must see: halts (first), faults, resumes, game days, reports, notices. */
  private enqueueInChannel(event: ChatEvent): void {
    switch (event.kind) {
      case 'halted': {
        const text = mrkdwn(eventText(event, this.timezone));
        this.queues.onLatch(event.kind, () => this.posts.post({ channel: this.channel, text }, event.kind, true));
        for (const record of event.reverting) {
          const thread = this.queues.known(record.id);
          if (thread) this.queues.onThread(thread, event.kind, () => this.posts.showReverting(thread, record));
        }
        return;
      }
      case 'fault-may-remain': {
        // In the channel, not only the thread, ahead of other posts, with the escalation mention.
        const text = `${this.escalate ? `${this.escalate} ` : ''}:rotating_light: ${mrkdwn(eventText(event, this.timezone))}`;
        this.queues.onLatch(event.kind, () => this.posts.post({ channel: this.channel, text }, event.kind, true));
        return;
      }
      case 'resumed': {
        const text = mrkdwn(eventText(event, this.timezone));
        this.queues.onLatch(event.kind, () => this.posts.post({ channel: this.channel, text }, event.kind));
        return;
      }
      case 'game-day-notice': {
        const message = gameDayMessage(event.notice);
        this.queues.onChannel(event.kind, async () => {
          await this.posts.post({ channel: this.channel, ...message }, event.kind);
        });
        return;
      }
      case 'report':
        this.queues.onChannel(event.kind, async () => {
          if (!(await this.posts.post({ channel: this.channel, ...replyMessage(event.reply) }, event.kind))) return;
          if (event.reply.attachments?.length) {
            await uploadAttachments(this.api, this.logger, { channel: this.channel }, event.reply.attachments);
          }
        });
        return;
      default: {
        const text = mrkdwn(eventText(event, this.timezone));
        this.queues.onChannel(event.kind, async () => {
          await this.posts.post({ channel: this.channel, text }, event.kind);
        });
      }
    }
  }

  /** Waits for the queues to drain, at most `timeoutMs`; true when they did. */
  flush(timeoutMs: number): Promise<boolean> {
    return this.queues.flush(timeoutMs);
  }

  /** "\nIn the archive: #12" linked to the attack's page, or nothing while there is no archive to link. */
  private archiveLine(id: string): string {
    if (!this.archiveUrl) return '';
    return `\nIn the archive: <${this.archiveUrl.replace(/\/+$/, '')}/attack/${encodeURIComponent(id)}|#${id}>`;
  }
}
