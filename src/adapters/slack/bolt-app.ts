/**
 * Bolt's side of the Slack transport: who the token is (auth.test), Bolt's App over its receiver
 * (Socket Mode or HTTP), and the ears that say whether the bot can hear a stop.
 */
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Clock } from '../../ports/clock.js';
import { errorMessage } from '../../ports/errors.js';
import type { Timers } from '../../ports/timers.js';
import type { SlackApi } from './api.js';
import type { boltLevel, boltLogger } from './bolt-logger.js';
import type { SlackEnv } from './env.js';
import { SlackTransportError } from './errors.js';
import { ProbeEars } from './probe-ears.js';
import { type SocketClient, SocketEars } from './socket-ears.js';
import type { SlackTuning } from './tuning.js';

/** auth.test: proves the bot token and names the bot (its mention is stripped from commands). */
export async function whoAmI(api: SlackApi, env: SlackEnv): Promise<{ botUserId: string; botId: string }> {
  const result = await api.call('auth.test', {}, { attempts: 3 });
  if (!result.ok) {
    const rejected = ['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired'].includes(result.error);
    throw rejected
      ? new SlackTransportError('SLACK_AUTH', `Slack rejected SLACK_BOT_TOKEN: ${result.error}`)
      : new SlackTransportError(
          'SLACK_UNREACHABLE',
          `cannot reach the Slack Web API at ${env.apiUrl ?? 'https://slack.com/api/'}: ${result.error}`,
        );
  }
  const { user_id: botUserId, bot_id: botId } = result.data;
  if (typeof botUserId !== 'string' || typeof botId !== 'string') {
    throw new SlackTransportError(
      'SLACK_AUTH',
      'SLACK_BOT_TOKEN is not a bot token (auth.test names no bot): use the xoxb- token',
    );
  }
  return { botUserId, botId };
}

/** Bolt's App over its receiver: Socket Mode (reconnects are ours: SocketEars) or HTTP. */
export function boltApp(
  env: SlackEnv,
  tuning: SlackTuning,
  o: {
    readonly bolt: ReturnType<typeof boltLogger>;
    readonly logLevel: ReturnType<typeof boltLevel>;
    readonly clientOptions: Record<string, unknown>;
    readonly botUserId: string;
    readonly botId: string;
  },
): { receiver: SocketModeReceiver | HTTPReceiver; app: App } {
  const { bolt, logLevel, clientOptions, botUserId, botId } = o;
  const receiver =
    env.mode.kind === 'socket'
      ? new SocketModeReceiver({
          appToken: env.mode.appToken,
          logger: bolt,
          logLevel,
          autoReconnectEnabled: false,
          // The client pings every third of this (well inside the hearing window) and drops a
          // connection silent this long; the ears call it deaf after the window already.
          clientPingTimeout: tuning.reconnect.hearingWindowMs * 2,
          installerOptions: { clientOptions },
        })
      : new HTTPReceiver({
          signingSecret: env.mode.signingSecret,
          endpoints: '/slack/events',
          port: env.mode.port,
          logger: bolt,
          logLevel,
          processBeforeResponse: false,
        });
  const app = new App({
    token: env.botToken,
    botId,
    botUserId,
    receiver,
    logger: bolt,
    logLevel,
    clientOptions,
    convoStore: false,
  });
  return { receiver, app };
}

/**
 * Starts hearing: Socket Mode's ears wait for the first pong (bounded); HTTP listens on PORT and
 * probes the Web API. A failure aborts the Web API clients and throws SlackTransportError.
 */
export async function startEars(
  receiver: SocketModeReceiver | HTTPReceiver,
  api: SlackApi,
  env: SlackEnv,
  tuning: SlackTuning,
  logger: Logger,
  time: { readonly clock: Clock; readonly timers: Timers },
  abort: AbortController,
): Promise<{ ears: SocketEars | ProbeEars; port: number | null }> {
  const { clock } = time;
  let ears: SocketEars | ProbeEars;
  let port: number | null = null;
  if (receiver instanceof SocketModeReceiver) {
    const socketEars = new SocketEars(receiver.client as unknown as SocketClient, logger, tuning.reconnect, time);
    ears = socketEars;
    try {
      await socketEars.start(tuning.startTimeoutMs);
    } catch (error) {
      abort.abort();
      await socketEars.stop();
      throw error;
    }
  } else {
    const probe = new ProbeEars(api, logger, tuning.probeIntervalMs, () => clock.now());
    ears = probe;
    const listenPort = env.mode.kind === 'http' ? env.mode.port : 0;
    try {
      const server = await receiver.start(listenPort);
      port = (server.address() as AddressInfo).port;
    } catch (error) {
      abort.abort();
      throw new SlackTransportError('SLACK_CONFIG', `cannot listen on PORT ${listenPort}: ${errorMessage(error)}`, {
        cause: error,
      });
    }
    await probe.probe();
    probe.start();
  }
  return { ears, port };
}
