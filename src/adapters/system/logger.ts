import pino, { type Logger } from 'pino';

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
    },
    destination,
  );
}
