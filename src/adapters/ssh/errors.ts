import { CodedError } from '../../ports/errors.js';
/** Stable codes for SSH trouble; callers branch on `code`, people read `message`. */
export type SshErrorCode =
  | 'SSH_HOST_KEY_UNKNOWN'
  | 'SSH_HOST_KEY_CHANGED'
  | 'SSH_HOST_KEY_REVOKED'
  | 'SSH_AUTH'
  | 'SSH_CONNECT'
  | 'SSH_TIMEOUT'
  | 'SSH_CHANNEL'
  | 'SSH_START'
  | 'SSH_PROTOCOL'
  | 'SSH_CONFIG'
  | 'SSH_INVALID_JOB';

export class SshError extends CodedError<SshErrorCode> {
  /** The host name as configured, when the error concerns one host. */
  readonly host: string | undefined;

  constructor(code: SshErrorCode, message: string, options: { cause?: unknown; host?: string } = {}) {
    super(code, message, { cause: options.cause });
    this.host = options.host;
  }
}

export function isSshError(error: unknown): error is SshError {
  return error instanceof SshError;
}
