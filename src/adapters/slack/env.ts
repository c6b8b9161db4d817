import { SlackTransportError } from './errors.js';

export type SlackMode =
  | { readonly kind: 'socket'; readonly appToken: string }
  | { readonly kind: 'http'; readonly signingSecret: string; readonly port: number };

/** What the environment says about reaching Slack. Secrets live here and nowhere in the config file. */
export interface SlackEnv {
  readonly botToken: string;
  /** Web API base URL ending in `/`; undefined means Slack's own. */
  readonly apiUrl: string | undefined;
  readonly mode: SlackMode;
}

export const DEFAULT_HTTP_PORT = 3000;

function problem(message: string): SlackTransportError {
  return new SlackTransportError('SLACK_CONFIG', message);
}

function value(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

/** The variables that select Slack: any of them set (not empty) means Slack was meant. */
export const SLACK_VARIABLES = ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_API_URL'] as const;

export type TransportChoice = { readonly kind: 'console' } | { readonly kind: 'slack'; readonly env: SlackEnv };

/**
 * Which chat the bot runs on. The console only with `--console` or when no Slack variable is set:
 * a half-set Slack environment (a typo in an EnvironmentFile) is a mistake to report, never a reason
 * to fall back to a console nobody reads. Throws SLACK_CONFIG naming the missing variable.
 */
export function chooseTransport(env: NodeJS.ProcessEnv, consoleFlag: boolean): TransportChoice {
  if (consoleFlag) return { kind: 'console' };
  if (SLACK_VARIABLES.every((name) => value(env, name) === undefined)) return { kind: 'console' };
  return { kind: 'slack', env: readSlackEnv(env) };
}

/**
 * SLACK_BOT_TOKEN always; SLACK_APP_TOKEN selects Socket Mode, else SLACK_SIGNING_SECRET (+ PORT)
 * selects HTTP mode; SLACK_API_URL replaces https://slack.com/api/. Throws SLACK_CONFIG naming the variable.
 */
export function readSlackEnv(env: NodeJS.ProcessEnv): SlackEnv {
  const botToken = value(env, 'SLACK_BOT_TOKEN');
  if (!botToken) {
    const set = SLACK_VARIABLES.filter((name) => value(env, name) !== undefined);
    throw problem(
      `SLACK_BOT_TOKEN is not set${set.length > 0 ? ` (${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'})` : ''}: ` +
        'set it to the Bot User OAuth Token (xoxb-…) of the Slack app, or unset every SLACK_ variable (or pass --console) for the console chat',
    );
  }
  if (botToken.startsWith('xapp-')) {
    throw problem('SLACK_BOT_TOKEN holds an app-level token (xapp-…); it must be the Bot User OAuth Token (xoxb-…)');
  }
  const apiUrl = readApiUrl(value(env, 'SLACK_API_URL'));
  const appToken = value(env, 'SLACK_APP_TOKEN');
  if (appToken) {
    if (!appToken.startsWith('xapp-')) {
      throw problem('SLACK_APP_TOKEN must be an app-level token (xapp-…) with the connections:write scope');
    }
    return { botToken, apiUrl, mode: { kind: 'socket', appToken } };
  }
  const signingSecret = value(env, 'SLACK_SIGNING_SECRET');
  if (!signingSecret) {
    throw problem(
      'SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode) is: set one of them (docs/slack.md)',
    );
  }
  return { botToken, apiUrl, mode: { kind: 'http', signingSecret, port: readPort(value(env, 'PORT')) } };
}

function readApiUrl(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw problem(`SLACK_API_URL is not a URL: "${raw}" (expected e.g. https://slack.com/api/)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw problem(`SLACK_API_URL must be an http(s) URL, got "${raw}"`);
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

function readPort(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_HTTP_PORT;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) throw problem(`PORT must be a TCP port number (0-65535), got "${raw}"`);
  return port;
}
