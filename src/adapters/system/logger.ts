import { mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
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
 * Errors with their stack, except the Socket Mode client's own (`slack_socket_mode_…` codes: a socket
 * dropped or refused): routine, the transport reconnects on its own, and a stack trace there reads
 * like a crash to whoever watches the log.
 */
export function errorForLog(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('slack_socket_mode_')) {
    const e = error as Error & { original?: { message?: string } };
    return { type: e.name, code, message: e.message || e.original?.message || '(no message)' };
  }
  return pino.stdSerializers.err(error as Error);
}

function openLogFile(file: string): number {
  mkdirSync(dirname(file), { recursive: true });
  return openSync(file, 'a');
}

/**
 * JSON logs to stderr (stdout belongs to the console chat). LOG_LEVEL sets the level;
 * CHAOSCAT_LOG_FILE sends them to a file instead. With `notices`, each warning or error is also
 * handed over as its JSON line (the console shows a one-line notice for it).
 */
export function createLogger(options: { level?: string; file?: string; notices?: (jsonLine: string) => void } = {}): Logger {
  // The file is opened here, synchronously: a path that cannot be written throws now, and a bot that
  // exits within its first second (an asynchronous open still pending) still flushes its last lines.
  const dest = options.file ? openLogFile(options.file) : 2;
  const destination = pino.destination({ dest, sync: false, minLength: 0 });
  // A log that cannot be written (the terminal went away: EIO) must not kill the bot mid-revert.
  destination.on('error', () => {});
  const level = options.level ?? 'info';
  const notices = options.notices;
  const stream =
    notices && level !== 'silent'
      ? pino.multistream([
          { level: level as pino.Level, stream: destination },
          { level: 'warn', stream: { write: (line: string) => notices(line) } },
        ])
      : destination;
  return pino(
    {
      name: 'chaoscat',
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: errorForLog },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => visibleInLog(a)) as Parameters<typeof method>);
        },
      },
    },
    stream,
  );
}
