/**
 * One base for the errors the bot's parts throw on purpose, in the manner of bolt-js's errors.ts: a
 * stable `code` callers switch on, the `message` people read, and the original `cause`. Each adapter
 * narrows `code` to its own list (SshError's SSH_*, StoreError's STORE_*…); `asCodedError` turns
 * anything caught into one, so no caller casts `(error as { code?: string }).code`.
 */
export class CodedError<C extends string = string> extends Error {
  readonly code: C;

  constructor(code: C, message: string, options: { readonly cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/** Code of an error thrown by something that is not ours: a library, the runtime. */
export const UNKNOWN_ERROR = 'UNKNOWN';

/**
 * The caught value as a coded error: itself when it is one; a library or system error keeps its
 * string `code` (ENOENT, SQLITE_BUSY) under the same message; anything else is UNKNOWN.
 */
export function asCodedError(error: unknown): CodedError {
  if (error instanceof CodedError) return error;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return new CodedError(typeof code === 'string' ? code : UNKNOWN_ERROR, error.message, { cause: error });
  }
  return new CodedError(UNKNOWN_ERROR, String(error), { cause: error });
}

/** The message of anything caught, never undefined: an error's own, or the thrown value as text. */
export function errorMessage(error: unknown): string {
  return asCodedError(error).message;
}
