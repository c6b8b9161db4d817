/**
 * One read-only GET for the HTTP-based providers. Never throws: every failure becomes a short reason
 * built by us (never a library message, which could echo a URL or a header).
 */

/** Answers larger than this are not read (a health endpoint has no business sending more). */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export type HttpAnswer =
  | { readonly ok: true; readonly status: number; readonly body: string }
  | { readonly ok: false; readonly reason: string };

export interface GetOptions {
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  /** Read the body only for these statuses (others are reported without it). Default: every status. */
  readonly readBodyFor?: (status: number) => boolean;
}

export async function httpGet(url: string, opts: GetOptions): Promise<HttpAnswer> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'GET', headers: { ...opts.headers }, signal: opts.signal, redirect: 'follow' });
  } catch (error) {
    return { ok: false, reason: describeFetchError(error, url) };
  }
  const wanted = opts.readBodyFor ? opts.readBodyFor(response.status) : true;
  if (!wanted) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: true, status: response.status, body: '' };
  }
  try {
    const body = await readCapped(response, MAX_BODY_BYTES);
    if (body === undefined) return { ok: false, reason: `answer larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB` };
    return { ok: true, status: response.status, body };
  } catch (error) {
    return { ok: false, reason: describeFetchError(error, url, 'reading the answer failed') };
  }
}

/** Appends a path and query to a base URL that may itself carry a path prefix (a reverse proxy). */
export function joinUrl(base: string, path: string, query?: URLSearchParams): string {
  const trimmed = base.replace(/\/+$/, '');
  const qs = query?.toString();
  return `${trimmed}${path}${qs ? `?${qs}` : ''}`;
}

/** `host[:port]/path` of a URL, for default names and messages; never the query or user info. */
export function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    const path = u.pathname === '/' ? '' : u.pathname.replace(/\/+$/, '');
    return `${u.host}${path}`;
  } catch {
    return 'invalid-url';
  }
}

/** Parses JSON without throwing. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

async function readCapped(response: Response, max: number): Promise<string | undefined> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no answer headers in time',
  UND_ERR_BODY_TIMEOUT: 'answer body stalled',
  UND_ERR_HEADERS_OVERFLOW: 'answer headers too large',
  UND_ERR_INVALID_ARG: 'invalid request',
};

function describeFetchError(error: unknown, url: string, prefix = 'request failed'): string {
  if (isAbort(error)) return 'aborted';
  const where = hostOf(url);
  const code = errorCode(error);
  if (code !== undefined) {
    const known = CODES[code];
    if (known) return `${known} (${where})`;
    if (code.startsWith('ERR_TLS') || code.includes('CERT') || code.startsWith('ERR_SSL')) return `TLS error ${code} (${where})`;
    return `${prefix}: ${code} (${where})`;
  }
  return `${prefix} (${where})`;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/** Digs the first `code` out of an error and its causes (fetch wraps the socket error). */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const nested = (current as { errors?: unknown }).errors;
    if (Array.isArray(nested) && nested[0] instanceof Error) {
      const inner = (nested[0] as { code?: unknown }).code;
      if (typeof inner === 'string') return inner;
    }
    current = current.cause;
  }
  return undefined;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid URL';
  }
}
