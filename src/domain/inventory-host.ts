import { isHostAddress, isLoginName } from './host-address.js';
import type { HostDef } from './model.js';
import { looksLikeOption, OPTION_LIKE } from './params.js';
import { escapeText } from './visible-text.js';

/**
 * An inventory's word is not trusted more than the config file's: every host read from a source is
 * checked as the config schema checks `hosts:`, and more strictly where the config relies on a human
 * reading it (addresses and users are never shell text, but we refuse anything that could be).
 */

/** Host names and tags: as `plainName` in the config schema. */
export const PLAIN_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/i;
/** Host vars reach scripts as CHAOSCAT_VAR_<NAME>: the same rules as the config schema's `vars`. */
const VAR_NAME = /^[a-z][a-z0-9_]*$/i;
const VAR_VALUE = /^[A-Za-z0-9@._:/+-]*$/;

/** A host as a source describes it, before it is checked. */
export interface HostCandidate {
  readonly name: string;
  readonly address: unknown;
  readonly port: unknown;
  readonly user?: unknown;
  readonly tags: readonly string[];
  readonly vars: Readonly<Record<string, unknown>>;
}

export type CheckedHost =
  | { readonly ok: true; readonly host: HostDef; readonly notes: readonly string[] }
  | { readonly ok: false; readonly reason: string };

function shown(value: unknown): string {
  // Text from outside stays text: a newline or U+202E in a source's value is written out, not shown.
  const text = escapeText(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** A port as an inventory writes it: a number, or a string of digits (YAML `"2222"`). */
function portOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}

/**
 * Checks one host from a source. A bad name, address, port or user skips the host (with the reason);
 * a bad tag or var is left out and noted, since a host with fewer tags or vars is eligible for fewer
 * attacks, never more. Vars keep only plain strings: numbers, booleans, lists, maps and strings
 * with other characters are left out (they would have to be turned into text some way we would guess).
 */
export function checkHost(c: HostCandidate, source: string): CheckedHost {
  if (!PLAIN_NAME.test(c.name)) {
    return { ok: false, reason: `host "${shown(c.name)}": the name is not plain (letters, digits, ".", "_", "-"; at most 63)` };
  }
  if (typeof c.address !== 'string' || !isHostAddress(c.address)) {
    return { ok: false, reason: `host ${c.name}: address "${shown(c.address)}" is not a host name or IP address` };
  }
  const port = portOf(c.port);
  if (port === undefined) return { ok: false, reason: `host ${c.name}: port "${shown(c.port)}" is not a port (1–65535)` };
  if (c.user !== undefined && (typeof c.user !== 'string' || !isLoginName(c.user))) {
    return { ok: false, reason: `host ${c.name}: user "${shown(c.user)}" is not a plain login name` };
  }
  const notes: string[] = [];
  const tags: string[] = [];
  for (const tag of c.tags) {
    if (!PLAIN_NAME.test(tag)) notes.push(`host ${c.name}: tag "${shown(tag)}" left out (not a plain name)`);
    else if (!tags.includes(tag)) tags.push(tag);
  }
  // A var that could be read as an option skips the whole host: left out, the attack would run
  // there without the value its owner meant, and a source that writes "-uroot" is not to be guessed at.
  for (const [key, value] of Object.entries(c.vars)) {
    if (typeof value === 'string' && looksLikeOption(value)) {
      return { ok: false, reason: `host ${c.name}: var ${key}="${shown(value)}" ${OPTION_LIKE}` };
    }
  }
  const vars: Record<string, string> = {};
  const left: string[] = [];
  for (const [key, value] of Object.entries(c.vars)) {
    if (VAR_NAME.test(key) && typeof value === 'string' && VAR_VALUE.test(value)) vars[key] = value;
    else left.push(key);
  }
  if (left.length > 0)
    notes.push(
      `host ${c.name}: vars left out (not plain strings): ${left.slice(0, 5).map(escapeText).join(', ')}${left.length > 5 ? ` and ${left.length - 5} more` : ''}`,
    );
  const host: HostDef = {
    name: c.name,
    address: c.address,
    port,
    tags,
    vars,
    source,
    ...(typeof c.user === 'string' ? { user: c.user } : {}),
  };
  return { ok: true, host, notes };
}
