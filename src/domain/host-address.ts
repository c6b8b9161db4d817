/**
 * What a host address and a login name may be, for the config's `hosts:` and for inventory
 * sources alike. They never reach a shell as text, but one that could (spaces, quotes, `$`, `;`,
 * a leading `-` read as an option) is refused where it is read, so no later layer has to care.
 */

const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;
const OCTET = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;
const ZONE_ID = /^[A-Za-z0-9_.-]{1,32}$/;
/** POSIX portable login names (useradd's default rule), at most 32 characters. */
const LOGIN = /^[A-Za-z_][A-Za-z0-9_.-]{0,30}\$?$/;

export function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => OCTET.test(p));
}

/** An IPv6 literal without brackets, e.g. `::1`, `2001:db8::7`, `::ffff:10.0.0.1`, `fe80::1%eth0`. */
export function isIPv6(text: string): boolean {
  const [address = '', zone, ...rest] = text.split('%');
  if (rest.length > 0 || (zone !== undefined && !ZONE_ID.test(zone))) return false;
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const groups = (half: string | undefined): string[] | null => {
    if (!half) return [];
    const parts = half.split(':');
    const last = parts[parts.length - 1] ?? '';
    // A trailing dotted quad counts as two groups.
    const tail = isIPv4(last) ? ['0', '0'] : null;
    const heads = tail ? parts.slice(0, -1) : parts;
    if (!heads.every((g) => HEX_GROUP.test(g))) return null;
    return [...heads, ...(tail ?? [])];
  };
  const head = groups(halves.length === 2 ? halves[0] : address);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (head === null || tail === null) return false;
  if (halves.length === 2 && halves[0] && isIPv4(halves[0].split(':').pop() ?? '')) return false;
  const count = head.length + tail.length;
  return halves.length === 2 ? count <= 7 : count === 8;
}

/** A DNS host name: dot-separated labels of letters, digits, `-` and `_`, none starting or ending with `-`. */
export function isHostName(text: string): boolean {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (name.length === 0 || name.length > 253) return false;
  // All digits and dots is an IPv4 address or nothing (no top-level domain is numeric).
  if (/^[\d.]+$/.test(name)) return isIPv4(name);
  return name.split('.').every((label) => LABEL.test(label));
}

/** A host name, an IPv4 address or an IPv6 literal. */
export function isHostAddress(text: string): boolean {
  return isHostName(text) || isIPv4(text) || isIPv6(text);
}

/** A login name: letters, digits, `_`, `.`, `-` (not first), at most 32 characters. */
export function isLoginName(text: string): boolean {
  return LOGIN.test(text);
}

export const ADDRESS_EXPECTED =
  'expected a host name, an IPv4 address or an IPv6 literal (letters, digits, ".", "-", ":"; no spaces, quotes or shell characters; not starting with "-")';
export const LOGIN_EXPECTED =
  'expected a login name of letters, digits, "_", "." or "-" (not starting with "-", at most 32 characters)';
