import { errorMessage } from '../../ports/errors.js';
import { SshError } from './errors.js';
import { fingerprint, type HostKeyVerdict, keyTypeOf, lookupName } from './known-hosts.js';

/** One SSH hop: the host itself, or its jump host. */
export interface Endpoint {
  /** The configured host this hop serves. */
  readonly host: string;
  readonly address: string;
  readonly port: number;
  readonly user: string;
  /** How messages name it: `web-1 (10.0.0.5:22)` or `jump host bastion:22 for web-1`. */
  readonly label: string;
}

/** The refusal of a host key, naming the host and the fingerprint it presented (as OpenSSH prints it). */
export function hostKeyError(endpoint: Endpoint, knownHostsPath: string, verdict: HostKeyVerdict, key: Buffer): SshError {
  const host = endpoint.host;
  const seen = `${keyTypeOf(key) ?? 'unknown-type'} ${fingerprint(key)}`;
  const name = lookupName(endpoint.address, endpoint.port);
  switch (verdict.kind) {
    case 'changed':
      return new SshError(
        'SSH_HOST_KEY_CHANGED',
        `${endpoint.label}: HOST KEY CHANGED: the host presented ${seen}, but ${knownHostsPath} line ${verdict.line} ` +
          `holds another key for ${name}. Refusing to connect (possible man-in-the-middle).`,
        { host },
      );
    case 'revoked':
      return new SshError(
        'SSH_HOST_KEY_REVOKED',
        `${endpoint.label}: the host presented ${seen}, which ${knownHostsPath} line ${verdict.line} marks @revoked. Refusing to connect.`,
        { host },
      );
    default: {
      const others =
        verdict.kind === 'unknown' && verdict.knownTypes.length > 0
          ? ` (only ${verdict.knownTypes.join(', ')} keys are known for it)`
          : '';
      return new SshError(
        'SSH_HOST_KEY_UNKNOWN',
        `${endpoint.label}: host key unknown: the host presented ${seen}, and ${knownHostsPath} has no such key for ${name}${others}. ` +
          `Refusing to connect; verify the fingerprint and add the key (ssh-keyscan) if it is right.`,
        { host },
      );
    }
  }
}

/** ssh2's handshake errors (by `level`) as coded errors. */
export function mapHandshakeError(endpoint: Endpoint, error: unknown): SshError {
  const err = error as Error & { level?: string; code?: string };
  const text = errorMessage(error);
  const host = endpoint.host;
  if (err.level === 'client-authentication') {
    return new SshError('SSH_AUTH', `${endpoint.label}: authentication failed for user ${endpoint.user} (${text})`, {
      cause: error,
      host,
    });
  }
  if (err.level === 'client-timeout') {
    return new SshError('SSH_TIMEOUT', `${endpoint.label}: no SSH handshake within the connect timeout (${text})`, {
      cause: error,
      host,
    });
  }
  if (err.level === 'agent') {
    return new SshError('SSH_AUTH', `${endpoint.label}: ssh-agent failed (${text})`, { cause: error, host });
  }
  const code = typeof err.code === 'string' ? ` ${err.code}` : '';
  return new SshError('SSH_CONNECT', `${endpoint.label}: cannot connect:${code} ${text}`, { cause: error, host });
}
