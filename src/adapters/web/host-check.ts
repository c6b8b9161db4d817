/**
 * DNS rebinding: a page on evil.example can point its own name at 127.0.0.1 and read the archive
 * with the browser of someone on this machine. The browser still sends `Host: evil.example`, so
 * the archive answers only the names it is known by: its bind address, web.publicUrl's host and
 * the loopback names, with or without a port.
 */

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];
/** Addresses that mean "every interface": no name a browser would send. */
const ANY = new Set(['0.0.0.0', '::', '[::]', '']);

export interface HostRule {
  readonly names: ReadonlySet<string>;
  readonly ports: ReadonlySet<string>;
}

function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** The Host values the archive answers: bound on `bindHost`:`port`, reached as `publicUrl` (if any). */
export function hostRule(bindHost: string, port: number, publicUrl?: string): HostRule {
  const names = new Set(LOOPBACK);
  const ports = new Set([String(port)]);
  const bind = bracketed(bindHost.toLowerCase());
  if (!ANY.has(bind)) names.add(bind);
  if (publicUrl !== undefined) {
    const url = new URL(publicUrl);
    names.add(url.hostname.toLowerCase());
    ports.add(url.port || (url.protocol === 'https:' ? '443' : '80'));
  }
  return { names, ports };
}

/** True when a request's Host header names this archive; a missing or malformed one does not. */
export function hostAllowed(header: string | undefined, rule: HostRule): boolean {
  if (header === undefined) return false;
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(header.trim());
  if (!m?.[1]) return false;
  const name = m[1].toLowerCase().replace(/\.$/, '');
  return rule.names.has(name) && (m[2] === undefined || rule.ports.has(m[2]));
}
