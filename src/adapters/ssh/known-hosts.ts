import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** One key line of an OpenSSH known_hosts file. */
export interface KnownHostsEntry {
  readonly marker: 'revoked' | 'cert-authority' | null;
  /** The host field as written: comma-separated patterns, or one hashed `|1|salt|hash` name. */
  readonly hosts: string;
  readonly keyType: string;
  readonly key: Buffer;
  readonly line: number;
}

export type HostKeyVerdict =
  | { readonly kind: 'ok'; readonly line: number }
  | { readonly kind: 'unknown'; readonly knownTypes: readonly string[] }
  | { readonly kind: 'changed'; readonly line: number }
  | { readonly kind: 'revoked'; readonly line: number };

/** Parses known_hosts text; malformed lines are skipped, as OpenSSH does. */
export function parseKnownHosts(text: string): KnownHostsEntry[] {
  const entries: KnownHostsEntry[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const fields = trimmed.split(/\s+/);
    let marker: KnownHostsEntry['marker'] = null;
    if (fields[0]?.startsWith('@')) {
      const word = fields.shift();
      if (word === '@revoked') marker = 'revoked';
      else if (word === '@cert-authority') marker = 'cert-authority';
      else return;
    }
    const [hosts, keyType, keyText] = fields;
    if (!hosts || !keyType || !keyText || !/^[A-Za-z0-9+/]+=*$/.test(keyText)) return;
    const key = Buffer.from(keyText, 'base64');
    if (key.length === 0 || keyTypeOf(key) !== keyType) return;
    entries.push({ marker, hosts, keyType, key, line: index + 1 });
  });
  return entries;
}

/** The name OpenSSH looks up: the bare host for port 22, `[host]:port` otherwise. */
export function lookupName(address: string, port: number): string {
  const host = address.toLowerCase();
  return port === 22 ? host : `[${host}]:${port}`;
}

/** The key type written inside an SSH public key blob (`ssh-ed25519`, `ssh-rsa`, ...). */
export function keyTypeOf(blob: Buffer): string | null {
  if (blob.length < 4) return null;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) return null;
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** The fingerprint as OpenSSH prints it: `SHA256:` and unpadded base64. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

function hashedMatch(field: string, name: string): boolean {
  const parts = field.split('|');
  // ['', '1', salt, hash]
  if (parts.length !== 4 || parts[1] !== '1') return false;
  const salt = Buffer.from(parts[2] ?? '', 'base64');
  const expected = Buffer.from(parts[3] ?? '', 'base64');
  if (salt.length === 0 || expected.length !== 20) return false;
  const actual = createHmac('sha1', salt).update(name).digest();
  return timingSafeEqual(actual, expected);
}

/** Compiled host patterns: every connection matches every known_hosts line, so each compiles once. */
const compiled = new Map<string, RegExp>();

function globToRegExp(pattern: string): RegExp {
  const cached = compiled.get(pattern);
  if (cached) return cached;
  const body = pattern
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const re = new RegExp(`^${body}$`, 'i');
  // Bounded: patterns come from the known_hosts file, which an operator may keep rewriting.
  if (compiled.size >= 10_000) compiled.clear();
  compiled.set(pattern, re);
  return re;
}

/** Whether a known_hosts host field names `name` (hashed, patterns, `!negation`, wildcards). */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|')) return hashedMatch(field, name);
  let positive = false;
  for (const pattern of field.split(',')) {
    if (pattern === '') continue;
    const negated = pattern.startsWith('!');
    const glob = negated ? pattern.slice(1) : pattern;
    if (!globToRegExp(glob).test(name)) continue;
    if (negated) return false;
    positive = true;
  }
  return positive;
}

/**
 * OpenSSH's verdict for a key a host presented under `name`: revoked wins, then an exact match,
 * then a different key of the same type (changed: refuse loudly); anything else is unknown.
 */
export function checkHostKey(entries: readonly KnownHostsEntry[], name: string, key: Buffer): HostKeyVerdict {
  const presentedType = keyTypeOf(key);
  const forHost = entries.filter((e) => e.marker !== 'cert-authority' && hostFieldMatches(e.hosts, name));
  const revoked = forHost.find((e) => e.marker === 'revoked' && e.key.equals(key));
  if (revoked) return { kind: 'revoked', line: revoked.line };
  const plain = forHost.filter((e) => e.marker === null);
  const exact = plain.find((e) => e.key.equals(key));
  if (exact) return { kind: 'ok', line: exact.line };
  const sameType = plain.find((e) => e.keyType === presentedType);
  if (sameType) return { kind: 'changed', line: sameType.line };
  return { kind: 'unknown', knownTypes: [...new Set(plain.map((e) => e.keyType))] };
}

/** Key types known for a host, so the handshake can ask for one of those first (as OpenSSH does). */
export function knownKeyTypes(entries: readonly KnownHostsEntry[], name: string): string[] {
  const types = entries.filter((e) => e.marker === null && hostFieldMatches(e.hosts, name)).map((e) => e.keyType);
  return [...new Set(types)];
}

const DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
] as const;

/** Host key algorithms for the handshake, those matching known key types first. */
export function hostKeyAlgorithms(knownTypes: readonly string[]): string[] {
  const preferred = DEFAULT_HOST_KEY_ALGORITHMS.filter((algo) =>
    knownTypes.some((type) => (type === 'ssh-rsa' ? algo.startsWith('rsa-sha2-') || algo === 'ssh-rsa' : algo === type)),
  );
  return [...preferred, ...DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => !preferred.includes(a))];
}
