import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import pino, { type Logger } from 'pino';
import { DryRunExecutor } from '../../../src/adapters/dry-run/dry-run-executor.js';
import type { SlackTransport } from '../../../src/adapters/slack/slack-transport.js';
import { type SlackTuning, startSlackTransport } from '../../../src/adapters/slack/start.js';
import { SqlitePeople } from '../../../src/adapters/sqlite/people.js';
import { SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import { systemClock } from '../../../src/adapters/system/clock.js';
import { systemTimers } from '../../../src/adapters/system/timers.js';
import { type Bot, createBot } from '../../../src/app/bot.js';
import type { ReportCommand } from '../../../src/app/commands/commands.js';
import { overviewOf } from '../../../src/app/commands/overview.js';
import type { Config } from '../../../src/config/config.js';
import { loadConfig } from '../../../src/config/load.js';
import type { AttackRecord } from '../../../src/domain/model.js';
import type { Inbound, Reply } from '../../../src/ports/chat.js';
import type { Clock } from '../../../src/ports/clock.js';
import type { HealthCheck } from '../../../src/ports/health-check.js';
import type { Timers } from '../../../src/ports/timers.js';
import { ScriptedRandom } from '../../support/fakes.js';
import { attackRecord as baseRecord } from '../../support/records.js';
import { SlackStandin, STANDIN_APP_TOKEN, STANDIN_BOT_TOKEN, type StoredMessage } from '../../support/slack-standin.js';
import { MIGRATIONS, writeTestConfig } from '../../support/test-config.js';

export const CHANNEL = 'C0CHAOS';
export const OPS_CHANNEL = 'C0OPS';
export const ELSEWHERE = 'C0RANDOM';
export const ADMIN = 'U0ADMIN';
export const GROUP = 'S0ONCALL';
export const GROUP_MEMBER = 'U0ONCALL';
export const NOBODY = 'U0INTERN';

/** An Etc/GMT zone where it is about noon now, so business hours (01:00-23:00) hold for the whole test. */
export function noonZone(now = new Date()): string {
  const offset = 12 - now.getUTCHours();
  if (offset === 0) return 'Etc/GMT';
  return offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A pino logger that keeps its lines for assertions. */
export function recordingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino(
    { level: 'info' },
    {
      write: (line: string) => {
        lines.push(JSON.parse(line) as LogLine);
      },
    },
  );
  return { logger, lines };
}

/** Fast retries and reconnects: the behaviour is Slack's, the waits are short. */
export const FAST: Partial<SlackTuning> = {
  retry: { attempts: 4, baseDelayMs: 50, maxDelayMs: 200, maxRetryAfterMs: 5_000 },
  reconnect: { hearingWindowMs: 2_000, reconnectMinMs: 50, reconnectBaseMs: 100, reconnectMaxMs: 1_000, helloTimeoutMs: 30_000 },
  probeIntervalMs: 200,
  startTimeoutMs: 20_000,
  flushTimeoutMs: 5_000,
  // Slack's own pace (one a second) made every test's stop wait seconds for its last notices to
  // drain; the pacing tests ask for DEFAULT_PACE and step the time themselves.
  pace: { perSecond: 50, burst: 3 },
};

export interface HarnessOptions {
  mode?: 'socket' | 'http';
  env?: Record<string, string>;
  report?: ReportCommand;
  tuning?: Partial<SlackTuning>;
  usergroups?: Record<string, string[]>;
  /** The transport's timers and clock (pacing, announceStart's bound); default real ones. */
  timers?: Timers;
  clock?: Clock;
}

/** What the bot posted, as the stand-in holds it now (updates applied). */
export interface Posts {
  /** The messages the bot posted to a channel (thread replies included), in order. */
  posted(channel?: string): SlackStandin['messages'];
  /** The top-level announcement of an attack, as it stands now (updates applied). */
  top(attackId: string): StoredMessage | undefined;
  /** The replies in a thread, in order. */
  thread(ts: string): StoredMessage[];
}

function posts(standin: SlackStandin): Posts {
  const posted = (channel = CHANNEL) => standin.messages.filter((m) => m.channel === channel);
  return {
    posted,
    top: (id) =>
      posted().find((m) => m.threadTs === undefined && JSON.stringify(m.blocks ?? []).includes(`Chaos attack #${id}*`)),
    thread: (ts) => posted().filter((m) => m.threadTs === ts),
  };
}

export interface SlackHarness extends Posts {
  standin: SlackStandin;
  transport: SlackTransport;
  bot: Bot;
  store: SqliteStore;
  config: Config;
  logs: LogLine[];
  close(): Promise<void>;
}

const passing: HealthCheck = { check: async () => ({ healthy: true, checkedAt: Date.now(), results: [] }) };

/** A real bot (SQLite store, dry-run executor) behind the real Slack transport, talking to the stand-in. */
export async function startHarness(opts: HarnessOptions = {}): Promise<SlackHarness> {
  const standin = await SlackStandin.start({ usergroups: opts.usergroups ?? { [GROUP]: [GROUP_MEMBER] } });
  const { file } = writeTestConfig(
    {
      timezone: noonZone(),
      businessHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '01:00', end: '23:00', holidays: [] },
      schedule: { tick: '* * * * *', cooldown: '1s' },
      slack: { channel: CHANNEL, channels: [OPS_CHANNEL], admins: [ADMIN], adminGroups: [GROUP] },
    },
    [{ name: 'cpu-burn', weight: 1, duration: '2s', targets: ['web'] }],
  );
  const config = loadConfig(file);
  const store = new SqliteStore({ file: config.database, migrationsDir: MIGRATIONS });
  const executor = new DryRunExecutor(systemClock, systemTimers);
  const { logger, lines } = recordingLogger();
  const mode =
    opts.mode === 'http' ? { SLACK_SIGNING_SECRET: 'standin-signing-secret', PORT: '0' } : { SLACK_APP_TOKEN: STANDIN_APP_TOKEN };
  let bot: Bot | null = null;
  let transport: SlackTransport;
  try {
    transport = await startSlackTransport({
      env: { SLACK_BOT_TOKEN: STANDIN_BOT_TOKEN, SLACK_API_URL: standin.apiUrl, ...mode, ...opts.env },
      slack: config.slack,
      timezone: config.timezone,
      dryRun: config.dryRun,
      logger,
      handle: async (inbound) => {
        if (!bot) throw new Error('bot not built yet');
        return bot.handle(inbound);
      },
      tuning: { ...FAST, ...opts.tuning },
      ...(opts.timers ? { timers: opts.timers } : {}),
      ...(opts.clock ? { clock: opts.clock } : {}),
      people: new SqlitePeople(store.handle),
    });
  } catch (error) {
    store.close();
    await standin.close();
    rmSync(dirname(config.file), { recursive: true, force: true });
    throw error;
  }
  bot = createBot({
    config,
    store,
    executor,
    health: passing,
    announcer: transport,
    ears: transport,
    authorizer: transport,
    clock: systemClock,
    timers: systemTimers,
    random: new ScriptedRandom([0.1, 0.1, 0.1]),
    logger,
    ...(opts.report ? { report: opts.report } : {}),
  });
  const built = bot;
  transport.showOverview(overviewOf([{ name: config.teams[0]?.name ?? 'default', ctx: built.context }]));
  return {
    standin,
    transport,
    bot: built,
    store,
    config,
    logs: lines,
    ...posts(standin),
    close: async () => {
      standin.unstall();
      try {
        await built.context.runner.idle();
        await transport.stop();
        await executor.close();
      } finally {
        store.close();
        await standin.close();
        rmSync(dirname(config.file), { recursive: true, force: true });
      }
    },
  };
}

export interface TransportHarness extends Posts {
  standin: SlackStandin;
  transport: SlackTransport;
  logs: LogLine[];
  /** The commands the transport handed to the core, in order. */
  inbound: Inbound[];
  /** Releases stalled requests, stops the transport and the stand-in; safe to call after a failure. */
  close(): Promise<void>;
}

export interface TransportOptions {
  mode?: 'socket' | 'http';
  tuning?: Partial<SlackTuning>;
  /** The core's answer to a command; by default it echoes the command. */
  reply?: (inbound: Inbound) => Reply;
  /** Timers bounding announceStart and pacing posts; default real ones. */
  timers?: Timers;
  /** The pacing's clock, with `timers`. */
  clock?: Clock;
  /** web.publicUrl: endings link to the archive. */
  archiveUrl?: string;
}

/**
 * The Slack transport alone against the stand-in, with a core that only answers: for what the
 * adapter promises by itself (announcements, pacing), whatever the use cases do.
 */
export async function startTransport(opts: TransportOptions = {}): Promise<TransportHarness> {
  const standin = await SlackStandin.start();
  const { logger, lines } = recordingLogger();
  const inbound: Inbound[] = [];
  const reply = opts.reply ?? ((i: Inbound) => ({ text: `heard: ${i.text}` }));
  const mode =
    opts.mode === 'http' ? { SLACK_SIGNING_SECRET: 'standin-signing-secret', PORT: '0' } : { SLACK_APP_TOKEN: STANDIN_APP_TOKEN };
  let transport: SlackTransport;
  try {
    transport = await startSlackTransport({
      env: { SLACK_BOT_TOKEN: STANDIN_BOT_TOKEN, SLACK_API_URL: standin.apiUrl, ...mode },
      slack: {
        channel: CHANNEL,
        channels: [OPS_CHANNEL],
        admins: [ADMIN],
        adminGroups: [],
        escalate: 'here',
        stopReactions: ['octagonal_sign'],
      },
      timezone: 'UTC',
      dryRun: false,
      logger,
      handle: async (i) => {
        inbound.push(i);
        return reply(i);
      },
      tuning: { ...FAST, ...opts.tuning },
      ...(opts.timers ? { timers: opts.timers } : {}),
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.archiveUrl ? { archiveUrl: opts.archiveUrl } : {}),
    });
  } catch (error) {
    await standin.close();
    throw error;
  }
  const started = transport;
  return {
    standin,
    transport: started,
    logs: lines,
    inbound,
    ...posts(standin),
    close: async () => {
      standin.unstall();
      try {
        await started.stop();
      } finally {
        await standin.close();
      }
    },
  };
}

/** A live attack record as the runner writes it before the start announcement. */
export function attackRecord(overrides: Partial<AttackRecord> = {}): AttackRecord {
  const now = Date.now();
  return baseRecord({
    trigger: { kind: 'user', user: ADMIN },
    createdAt: now,
    deadlineAt: now + 300_000,
    durationMs: 300_000,
    ...overrides,
  });
}

interface ButtonElement {
  type?: string;
  action_id?: string;
  style?: string;
  value?: string;
  confirm?: unknown;
}

export function stopButton(blocks: unknown[] | undefined): ButtonElement | undefined {
  for (const block of blocks ?? []) {
    const elements = (block as { elements?: ButtonElement[] }).elements ?? [];
    const button = elements.find((e) => e.type === 'button' && e.action_id === 'chaoscat_stop');
    if (button) return button;
  }
  return undefined;
}

export function hasStopButton(blocks: unknown[] | undefined): boolean {
  return stopButton(blocks) !== undefined;
}
