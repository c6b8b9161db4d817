import { hostname } from 'node:os';
import { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { SlackSettings } from '../../config/config.js';
import type { Inbound, Reply } from '../../ports/chat.js';
import type { Clock } from '../../ports/clock.js';
import type { Timers } from '../../ports/timers.js';
import { systemClock } from '../system/clock.js';
import { systemTimers } from '../system/timers.js';
import { packageVersion } from '../system/version.js';
import { type AdminSettings, GROUP_CACHE_MS, SlackAdmins } from './admins.js';
import { DEFAULT_RETRY, SlackApi } from './api.js';
import { AppHome } from './app-home.js';
import { boltApp, startEars, whoAmI } from './bolt-app.js';
import { boltLevel, boltLogger } from './bolt-logger.js';
import { ChannelPacer, DEFAULT_PACE } from './channel-pacer.js';
import { readSlackEnv, type SlackEnv } from './env.js';
import { SlackTransportError } from './errors.js';
import { ChannelPolicy, listen } from './inbound.js';
import { ANNOUNCE_START_TIMEOUT_MS, AnnouncementPoster, DEFAULT_POSTER_LIMITS } from './poster.js';
import { PROBE_INTERVAL_MS } from './probe-ears.js';
import { ReplySender } from './replies.js';
import { SlackTransport } from './slack-transport.js';
import type { SlackTuning } from './tuning.js';

export type { SlackTuning };

import type { People } from '../../ports/people.js';
import { SlackNames } from './names.js';
import { DEFAULT_RECONNECT } from './socket-ears.js';

/** The mention for `slack.escalate`: `here` and `channel` as Slack writes them, a user group as `<!subteam^ID>`. */
export function escalationMention(escalate: string | undefined): string {
  if (escalate === undefined || escalate === 'here') return '<!here>';
  if (escalate === 'none') return '';
  if (escalate === 'channel') return '<!channel>';
  return `<!subteam^${escalate}>`;
}

export const DEFAULT_TUNING: SlackTuning = {
  retry: DEFAULT_RETRY,
  requestTimeoutMs: 15_000,
  probeIntervalMs: PROBE_INTERVAL_MS,
  groupCacheMs: GROUP_CACHE_MS,
  startTimeoutMs: 30_000,
  reconnect: DEFAULT_RECONNECT,
  flushTimeoutMs: 10_000,
  announceStartTimeoutMs: ANNOUNCE_START_TIMEOUT_MS,
  pace: DEFAULT_PACE,
};

export interface SlackTransportOptions {
  /** Reads SLACK_BOT_TOKEN, SLACK_APP_TOKEN, SLACK_SIGNING_SECRET, PORT, SLACK_API_URL. */
  readonly env: NodeJS.ProcessEnv;
  readonly slack: SlackSettings;
  /** Each team's channel: commands there act on the team (slack.channel may then be left out). */
  readonly teamChannels?: readonly string[];
  readonly timezone: string;
  readonly dryRun: boolean;
  readonly logger: Logger;
  /** The core's one entry point for commands (Bot.handle). */
  readonly handle: (inbound: Inbound) => Promise<Reply>;
  readonly tuning?: Partial<SlackTuning>;
  /** Bounds announceStart's wait and paces posts; tests step time. Default: real timers. */
  readonly timers?: Timers;
  /** The pacing's clock (with `timers`). Default: the system clock. */
  readonly clock?: Clock;
  /** Shown in the start-up notice, e.g. `0.1.0`. */
  readonly version?: string;
  /** web.publicUrl while the archive serves: each ending links to its attack's page there. */
  readonly archiveUrl?: string | undefined;
  /** Where the display names of the people who talk to the bot are kept (for the console, archive and exports). */
  readonly people?: People;
}

/** A channel to announce in is required; anything that does not look like a channel id is logged. */
function checkChannels(channel: string | undefined, others: readonly string[], teamsHaveChannels: boolean, logger: Logger): void {
  if (!channel && !teamsHaveChannels) {
    throw new SlackTransportError(
      'SLACK_CONFIG',
      'slack.channel is not set: announcements need a channel id such as C0123456789',
    );
  }
  for (const c of [...(channel ? [channel] : []), ...others]) {
    if (!/^[CG][A-Z0-9]{2,}$/.test(c)) logger.warn({ channel: c }, 'this does not look like a Slack channel id (C…)');
  }
}

/** The Web API clients' options: no retries of their own (SlackApi retries), our timeout, the stand-in's URL in tests. */
function webClientOptions(env: SlackEnv, tuning: SlackTuning): Record<string, unknown> {
  return {
    ...(env.apiUrl ? { slackApiUrl: env.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: tuning.requestTimeoutMs,
  };
}

/** Keeps each command reply in `work` until it settles (stop waits for them); a failed one is logged. */
function tracker(work: Set<Promise<void>>, logger: Logger): (p: Promise<void>) => void {
  return (p) => {
    const tracked = p.catch((error) => logger.error({ err: error }, 'command reply failed'));
    work.add(tracked);
    void tracked.finally(() => work.delete(tracked));
  };
}

function posterLimits(tuning: SlackTuning) {
  return { ...DEFAULT_POSTER_LIMITS, startTimeoutMs: tuning.announceStartTimeoutMs };
}

/**
 * Checks the tokens, connects to Slack (Socket Mode with SLACK_APP_TOKEN, else HTTP on PORT with
 * SLACK_SIGNING_SECRET) and starts taking commands. Throws SlackTransportError (code SLACK_CONFIG,
 * SLACK_AUTH, SLACK_UNREACHABLE or SLACK_CONNECT) with a message naming what to fix.
 */
export async function startSlackTransport(opts: SlackTransportOptions): Promise<SlackTransport> {
  const tuning: SlackTuning = { ...DEFAULT_TUNING, ...opts.tuning };
  const env = readSlackEnv(opts.env);
  const channel = opts.slack.channel;
  const teamChannels = opts.teamChannels ?? [];
  const logger = opts.logger.child({ component: 'slack' });
  checkChannels(channel, [...opts.slack.channels, ...teamChannels], teamChannels.length > 0, logger);
  const bolt = boltLogger(opts.logger);
  const logLevel = boltLevel(opts.logger);
  const clientOptions = webClientOptions(env, tuning);
  const abort = new AbortController();
  // Two clients, two request queues (each WebClient runs at most 100 requests at once): a stalled
  // Slack can fill the announcements' queue, and a stop's reply must not wait behind it.
  const timers = opts.timers ?? systemTimers;
  const clock = opts.clock ?? systemClock;
  const time = { clock, timers };
  const webApiFor = () =>
    new SlackApi(
      new webApi.WebClient(env.botToken, { ...clientOptions, logger: bolt }),
      logger,
      tuning.retry,
      abort.signal,
      time,
    );
  const api = webApiFor();
  const announcementsApi = webApiFor();
  const { botUserId, botId } = await whoAmI(api, env);

  const { receiver, app } = boltApp(env, tuning, { bolt, logLevel, clientOptions: { ...clientOptions }, botUserId, botId });
  const work = new Set<Promise<void>>();
  // One pacer for both clients: Slack's limit is per channel, whoever posts.
  const pacer = new ChannelPacer(logger, clock, timers, tuning.retry, tuning.pace);
  const replies = new ReplySender(api, pacer, logger);
  const home = new AppHome(api, logger);
  // Every poster made below, for a reaction's "on #ID": which attack's top message was reacted to.
  const posters: AnnouncementPoster[] = [];
  const names = opts.people ? new SlackNames(api, opts.people, clock, logger) : null;
  // Learn who asked (never awaited: a stop must not wait for users.info).
  const handle = (inbound: Inbound): Promise<Reply> => {
    names?.learn(inbound.actor);
    return opts.handle(inbound);
  };
  listen(app, {
    botUserId,
    stopReactions: opts.slack.stopReactions ?? ['octagonal_sign'],
    attackAt: (where, ts) => posters.map((p) => p.attackAt(where, ts)).find((id) => id !== null) ?? null,
    channels: new ChannelPolicy([...(channel ? [channel] : []), ...opts.slack.channels, ...teamChannels]),
    replies,
    home,
    handle,
    logger,
    track: tracker(work, logger),
  });

  const { ears, port } = await startEars(receiver, api, env, tuning, logger, time, abort);
  const adminsFor = (settings: AdminSettings) => new SlackAdmins(settings, api, logger, tuning.groupCacheMs, () => clock.now());
  const admins = adminsFor(opts.slack);
  const posterFor = (to: string, timezone: string) => {
    const made = new AnnouncementPoster(announcementsApi, pacer, logger, to, timezone, posterLimits(tuning), timers, {
      escalate: escalationMention(opts.slack.escalate),
      clock,
      archiveUrl: opts.archiveUrl,
    });
    posters.push(made);
    return made;
  };
  const poster = channel ? posterFor(channel, opts.timezone) : null;
  logger.info({ mode: env.mode.kind, channel, port, botUserId, dryRun: opts.dryRun }, 'Slack transport ready');
  const notice = startupNotice(opts.dryRun, opts.version);
  const parts = { env, app, ears, poster, posterFor, home, pacer, notice, adminsFor, admins, abort, work, botUserId, port };
  return new SlackTransport({ ...parts, logger, tuning, timers });
}

/** One line for the channels when the bot starts: who, which build, where, and whether hosts are touched. */
export { packageVersion };

export function startupNotice(dryRun: boolean, version = packageVersion()): string {
  const mode = dryRun ? 'dry run: hosts are never touched' : 'LIVE: attacks touch hosts';
  return `ChaosCat ${version} started on ${hostname()} (pid ${process.pid}) — ${mode}.`;
}
