import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import type {
  Announcer,
  Authorizer,
  ChatEvent,
  ChatTransport,
  Hearing,
  Overview,
  OverviewShower,
  Posted,
  TeamChat,
} from '../../ports/chat.js';
import { type Timers, within } from '../../ports/timers.js';
import type { AdminSettings, SlackAdmins } from './admins.js';
import type { AppHome } from './app-home.js';
import type { ChannelPacer } from './channel-pacer.js';
import type { SlackEnv } from './env.js';
import type { AnnouncementPoster } from './poster.js';
import type { ProbeEars } from './probe-ears.js';
import type { SocketEars } from './socket-ears.js';
import type { SlackTuning } from './tuning.js';

/** Events after which the App Home is published again for its recent viewers. */
const CHANGES_STATE = new Set<ChatEvent['kind']>([
  'attack-started',
  'attack-ended',
  'halted',
  'resumed',
  'verdict',
  'auto-aborted',
]);

export interface Parts {
  readonly env: SlackEnv;
  readonly app: App;
  readonly ears: SocketEars | ProbeEars;
  /** The top-level channel's announcements; null when only teams have channels. */
  readonly poster: AnnouncementPoster | null;
  /** Makes the poster of another channel (a team's), on the announcements' own Web API client. */
  readonly posterFor: (channel: string, timezone: string) => AnnouncementPoster;
  readonly home: AppHome;
  readonly pacer: ChannelPacer;
  /** Posted to every announcement channel by start(). */
  readonly notice: string;
  readonly adminsFor: (admins: AdminSettings) => SlackAdmins;
  readonly admins: SlackAdmins;
  readonly abort: AbortController;
  readonly work: Set<Promise<void>>;
  readonly botUserId: string;
  readonly port: number | null;
  readonly logger: Logger;
  readonly tuning: SlackTuning;
  /** Bounds the shutdown's waits (the same timers as the poster's). */
  readonly timers: Timers;
}

/**
 * ChaosCat in Slack: commands in, announcements out, admins from config and user groups, and ears
 * that say whether a `stop` can be heard right now. Built and connected by startSlackTransport.
 */
export class SlackTransport implements ChatTransport, OverviewShower {
  private stopping: Promise<void> | null = null;
  private started = false;
  private readonly posters: AnnouncementPoster[] = [];

  /** @internal use startSlackTransport */
  constructor(private readonly parts: Parts) {}

  get mode(): 'socket' | 'http' {
    return this.parts.env.mode.kind;
  }

  get botUserId(): string {
    return this.parts.botUserId;
  }

  /** The port the HTTP receiver listens on (HTTP mode), else null. */
  get port(): number | null {
    return this.parts.port;
  }

  /**
   * Posts the attack's top message (Stop button, note) first in its thread; ok once Slack took it,
   * not ok when Slack refused it or did not take it within tuning.announceStartTimeoutMs. Goes over
   * the Web API, so it works while Socket Mode reconnects. Never throws.
   */
  announceStart(event: Extract<ChatEvent, { kind: 'attack-started' }>): Promise<Posted> {
    return this.startOn(this.parts.poster, event);
  }

  /** Queues the posts and returns at once; Slack trouble is retried within bounds and logged. */
  announce(event: ChatEvent): Promise<void> {
    return this.enqueueOn(this.parts.poster, event);
  }

  private startOn(poster: AnnouncementPoster | null, event: Extract<ChatEvent, { kind: 'attack-started' }>): Promise<Posted> {
    if (this.stopping) return Promise.resolve({ ok: false, reason: 'the Slack transport is stopping' });
    if (!poster) return Promise.resolve({ ok: false, reason: 'no channel for announcements (slack.channel)' });
    const posted = poster.start(event);
    void posted.then(() => this.parts.home.refresh());
    return posted;
  }

  private enqueueOn(poster: AnnouncementPoster | null, event: ChatEvent): Promise<void> {
    if (this.stopping || !poster) {
      this.parts.logger.warn(
        { kind: event.kind },
        this.stopping ? 'announcement after stop; not posted' : 'no channel for this announcement; not posted',
      );
      return Promise.resolve();
    }
    poster.enqueue(event);
    if (CHANGES_STATE.has(event.kind)) void this.parts.home.refresh();
    return Promise.resolve();
  }

  /** The App Home shows this overview from now on, and is kept current as state changes. */
  showOverview(overview: Overview): void {
    this.parts.home.show(overview);
  }

  /** The team's announcements go to its channel; its admins are the global ones and its own. */
  forTeam(team: TeamChat): Announcer & Authorizer {
    const poster = team.channel ? this.parts.posterFor(team.channel, team.timezone) : this.parts.poster;
    if (poster && poster !== this.parts.poster) this.posters.push(poster);
    const global = this.parts.admins.settings;
    const admins = this.parts.adminsFor({
      admins: [...new Set([...global.admins, ...team.admins])],
      adminGroups: [...new Set([...global.adminGroups, ...team.adminGroups])],
    });
    return {
      announceStart: (event) => this.startOn(poster, event),
      announce: (event) => this.enqueueOn(poster, event),
      isAdmin: (userId) => admins.isAdmin(userId),
      describeAdmins: () => admins.describeAdmins(),
    };
  }

  hearing(): Hearing {
    if (this.stopping) return { ok: false, reason: 'the Slack transport is stopping' };
    return this.parts.ears.hearing();
  }

  isAdmin(userId: string): Promise<boolean> {
    return this.parts.admins.isAdmin(userId);
  }

  describeAdmins(): string {
    return this.parts.admins.describeAdmins();
  }

  /**
   * Slack is connected by startSlackTransport; this says so in every announcement channel (one
   * line: version, where, dry run or live), once.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const posters = new Set([this.parts.poster, ...this.posters].filter((p): p is AnnouncementPoster => p !== null));
    for (const poster of posters) poster.enqueue({ kind: 'notice', notice: { kind: 'transport', text: this.parts.notice } });
  }

  /** Stops hearing, lets replies and queued announcements go out (bounded), then disconnects. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    const { app, ears, poster, abort, work, logger, tuning, timers } = this.parts;
    const bounded = (p: Promise<unknown>): Promise<unknown> => within(timers, tuning.flushTimeoutMs, p, undefined);
    await bounded(ears.stop());
    if (this.mode === 'http')
      await bounded(app.stop().catch((error) => logger.warn({ err: error }, 'HTTP receiver stop failed')));
    await bounded(Promise.allSettled([...work]));
    const flushed = await Promise.all([poster, ...this.posters].map((p) => p?.flush(tuning.flushTimeoutMs) ?? true));
    if (flushed.includes(false)) logger.warn('announcements still queued at stop were dropped');
    abort.abort();
    logger.info('Slack transport stopped');
  }
}
