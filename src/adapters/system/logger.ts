import pino, { type Logger } from 'pino';
import { escapeLines } from '../../domain/visible-text.js';

/** Field paths that may carry secrets; pino replaces their values before anything is written. */
export const REDACT_PATHS = [
  'token',
  'password',
  'passphrase',
  'secret',
  'privateKey',
  'authorization',
  '*.token',
  '*.password',
  '*.passphrase',
  '*.secret',
  '*.privateKey',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  'headers.authorization',
  'headers.Authorization',
  'botToken',
  'appToken',
  'signingSecret',
];

/**
 * Strings in a log call with control and bidi characters escaped (typed text reaches logs as stop
 * reasons, names, Slack errors). Plain objects and arrays are walked a few levels; errors and
 * other instances are left to their serializers.
 */
export function visibleInLog(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return escapeLines(value);
  if (depth >= 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => visibleInLog(v, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visibleInLog(v, depth + 1)]));
}

/**
 * JSON logs to stderr (stdout belongs to the console chat). LOG_LEVEL sets the level;
 * CHAOSCAT_LOG_FILE sends them to a file instead.
 */
export function createLogger(options: { level?: string; file?: string } = {}): Logger {
  const destination = options.file ? pino.destination({ dest: options.file, mkdir: true, sync: false }) : pino.destination(2);
  // A log that cannot be written (the terminal went away: EIO) must not kill the bot mid-revert.
  destination.on('error', () => {});
  return pino(
    {
      name: 'chaoscat',
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => visibleInLog(a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
