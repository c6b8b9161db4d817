import { accessSync, constants, statSync } from 'node:fs';
import { escapeText } from '../domain/visible-text.js';
import { asCodedError } from '../ports/errors.js';

/** One line of the live check: what was checked, how it stands, and what to do when it fails. */
export interface LiveLine {
  readonly status: 'ok' | 'FAIL' | 'note';
  /** What was checked: `ssh.privateKey`, `host web-1`, `slack.channel`… */
  readonly what: string;
  readonly detail: string;
  /** For a failure: what to change, in the config or on the host. */
  readonly fix?: string;
}

export const ok = (what: string, detail: string): LiveLine => ({ status: 'ok', what, detail });
export const bad = (what: string, detail: string, fix: string): LiveLine => ({ status: 'FAIL', what, detail, fix });
export const note = (what: string, detail: string): LiveLine => ({ status: 'note', what, detail });

/** The lines as one table: status, what, detail; each failure's fix on the line below it. */
export function liveTable(lines: readonly LiveLine[]): string {
  const width = Math.max(...lines.map((l) => l.what.length), 4);
  const out: string[] = [];
  for (const l of lines) {
    out.push(`${l.status.padEnd(4)}  ${escapeText(l.what).padEnd(width)}  ${escapeText(l.detail)}`);
    if (l.fix) out.push(`${' '.repeat(6 + width)}  fix: ${escapeText(l.fix)}`);
  }
  return out.join('\n');
}

/** Why `path` cannot be read, or null when it can. */
export function readable(path: string): string | null {
  try {
    accessSync(path, constants.R_OK);
    return statSync(path).isFile() ? null : 'is not a file';
  } catch (error) {
    const { code, message } = asCodedError(error);
    return code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable by this user' : message;
  }
}
