import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { TransportChoice } from '../adapters/slack/env.js';
import { NoticeBoard } from '../adapters/system/log-notice.js';
import { createLogger } from '../adapters/system/logger.js';
import type { Config } from '../config/config.js';
import { errorMessage } from '../ports/errors.js';
import { fail, failThrough } from './cli.js';

export interface RunLogging {
  readonly logger: Logger;
  /** The console's one-line notices of warnings and errors; null in Slack (the log is the record). */
  readonly notices: NoticeBoard | null;
}

/**
 * Where a running bot logs. In Slack: JSON on stderr (or CHAOSCAT_LOG_FILE), level info, and a
 * fatal exit is a JSON record too. In the console the terminal belongs to the chat: JSON goes to
 * CHAOSCAT_LOG_FILE (default chaoscat.log beside the database, e.g. data/chaoscat.log) and
 * warnings show as one line on the console.
 */
export function runLogging(choice: TransportChoice, config: Config, env: NodeJS.ProcessEnv): RunLogging {
  const level = env.LOG_LEVEL || 'info';
  if (choice.kind === 'slack') {
    const logger = logTo(env.CHAOSCAT_LOG_FILE || undefined, () =>
      createLogger({ level, file: env.CHAOSCAT_LOG_FILE || undefined }),
    );
    failThrough(logger);
    return { logger, notices: null };
  }
  const file = env.CHAOSCAT_LOG_FILE || join(dirname(config.database), 'chaoscat.log');
  const notices = new NoticeBoard(file);
  return { logger: logTo(file, () => createLogger({ level, file, notices: notices.push })), notices };
}

function logTo(file: string | undefined, create: () => Logger): Logger {
  try {
    return create();
  } catch (error) {
    fail(`cannot write the log file ${file}: ${errorMessage(error)}; set CHAOSCAT_LOG_FILE to a writable file`, 1);
  }
}
