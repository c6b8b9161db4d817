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

/** Bolt, Socket Mode and web-api write through our pino logger; LOG_LEVEL alone sets the level. */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'slack' });
  let name = 'bolt';
  return {
    debug: (...msg: unknown[]) => child.debug({ lib: name }, line(msg)),
    info: (...msg: unknown[]) => child.info({ lib: name }, line(msg)),
    warn: (...msg: unknown[]) => child.warn({ lib: name }, line(msg)),
    error: (...msg: unknown[]) => child.error({ lib: name }, line(msg)),
    setLevel: () => {},
    getLevel: () => boltLevel(logger),
    setName: (n: string) => {
      name = n;
    },
  };
}
