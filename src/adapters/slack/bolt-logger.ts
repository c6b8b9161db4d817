import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from 'pino';

function line(parts: unknown[]): string {
  return parts
    .map((p) => {
      if (typeof p === 'string') return p;
      if (p instanceof Error) return p.message;
      try {
        return JSON.stringify(p);
      } catch {
        return String(p);
      }
    })
    .join(' ');
}

/** Bolt's level for pino's: Bolt skips work (debug payload dumps) below it. */
export function boltLevel(logger: Logger): LogLevel {
  switch (logger.level) {
    case 'trace':
    case 'debug':
      return LogLevel.DEBUG;
    case 'info':
      return LogLevel.INFO;
    case 'warn':
      return LogLevel.WARN;
    default:
      return LogLevel.ERROR;
  }
}

/** What the Socket Mode client says of a dropped socket or a failed reconnect attempt. */
const SOCKET_TROUBLE = /websocket|wss url|\bping\b|\bpong\b|not connected|no active connection/i;

/**
 * The Socket Mode client logs every dropped socket and failed reconnect attempt as an error; they are
 * routine (Slack recycles sockets) and the transport reconnects on its own and says when it cannot
 * hear a stop, so they are warnings: an alert on error-level logs fires on real failures only. (By
 * message: the libraries share one logger and rename it, so its name does not say who speaks.)
 */
export function pinoLevel(message: string, level: 'info' | 'warn' | 'error'): 'info' | 'warn' | 'error' {
  return level === 'error' && SOCKET_TROUBLE.test(message) ? 'warn' : level;
}

/** Bolt, Socket Mode and web-api write through our pino logger; LOG_LEVEL alone sets the level. */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'slack' });
  let name = 'bolt';
  return {
    debug: (...msg: unknown[]) => child.debug({ lib: name }, line(msg)),
    info: (...msg: unknown[]) => child.info({ lib: name }, line(msg)),
    warn: (...msg: unknown[]) => child.warn({ lib: name }, line(msg)),
    error: (...msg: unknown[]) => {
      const text = line(msg);
      child[pinoLevel(text, 'error')]({ lib: name }, text);
    },
    setLevel: () => {},
    getLevel: () => boltLevel(logger),
    setName: (n: string) => {
      name = n;
    },
  };
}
