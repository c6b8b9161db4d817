import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DateTime } from 'luxon';
import type { JournalCursor, JournalEntry, JournalRange } from '../../domain/journal.js';
import type { JournalSource } from '../../ports/journal.js';
import type { NameOf } from '../../ports/people.js';

export interface ExportOptions {
  readonly since: number;
  /** Default: no upper bound. */
  readonly until?: number;
  /** Receives JSON Lines; left open for the caller to end (it may be stdout). */
  readonly out: Writable;
  readonly pageSize?: number;
  /** People's display names: each line carries `names` for the Slack ids it holds that are known. */
  readonly nameOf?: NameOf;
}

/** A record as exported: with `names` ({"U0ALICE": "alice"}) for the people it mentions, where known. */
function withNames(entry: JournalEntry, nameOf: NameOf | undefined): string {
  const json = JSON.stringify(entry);
  if (!nameOf) return json;
  const names: Record<string, string> = {};
  for (const id of new Set(json.match(/\b[UW][A-Z0-9]{6,}\b/g) ?? [])) {
    const name = nameOf(id);
    if (name) names[id] = name;
  }
  return Object.keys(names).length ? JSON.stringify({ ...entry, names }) : json;
}

const DEFAULT_PAGE = 1_000;

/**
 * Writes the journal of attacks created in [since, until) as JSON Lines: one JournalEntry (the full
 * attack record and its probe rounds) per line, oldest first. Reads a page at a time and waits when
 * `out` is full, so a million rows never sit in memory at once. Resolves with the number of records written; rejects if `out` fails.
 */
export async function exportJournal(source: JournalSource, options: ExportOptions): Promise<{ count: number }> {
  const range: JournalRange = { since: options.since, until: options.until ?? Number.MAX_SAFE_INTEGER };
  const limit = Math.max(1, options.pageSize ?? DEFAULT_PAGE);
  let count = 0;
  async function* pages(): AsyncGenerator<string> {
    let after: JournalCursor | null = null;
    for (;;) {
      const page = source.page(range, after, limit);
      if (page.length === 0) return;
      count += page.length;
      yield page.map((r) => `${withNames(r, options.nameOf)}\n`).join('');
      if (page.length < limit) return;
      const last = page[page.length - 1] as JournalEntry;
      after = { createdAt: last.createdAt, id: last.id };
    }
  }
  // One page buffered ahead at most: memory stays at a page or two whatever the journal's size.
  await pipeline(Readable.from(pages(), { highWaterMark: 1 }), options.out, { end: false });
  return { count };
}

export interface ExportArgs {
  readonly since: number;
  readonly until?: number;
  /** A file to write; stdout when absent. */
  readonly out?: string;
}

/**
 * A moment from the command line: a date (`2026-03-01`, local midnight in the zone) or an ISO
 * date-time (`2026-03-01T09:30`, in the zone unless it carries an offset). Null when neither.
 */
export function parseMoment(text: string, timezone: string): number | null {
  const at = DateTime.fromISO(text, { zone: timezone, setZone: false });
  return at.isValid && /^\d{4}-\d{2}-\d{2}/.test(text) ? at.toMillis() : null;
}

/** `--since DATE [--until DATE] [--out FILE]`, as the `chaoscat export` subcommand takes them. */
export function parseExportArgs(argv: readonly string[], timezone: string): ExportArgs | { readonly error: string } {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const sinceText = value('--since');
  if (sinceText === undefined) return { error: 'export needs --since DATE (YYYY-MM-DD or an ISO date-time)' };
  const since = parseMoment(sinceText, timezone);
  if (since === null) return { error: `--since "${sinceText}" is not a date (YYYY-MM-DD or an ISO date-time)` };
  const untilText = value('--until');
  const until = untilText === undefined ? undefined : parseMoment(untilText, timezone);
  if (until === null) return { error: `--until "${untilText}" is not a date (YYYY-MM-DD or an ISO date-time)` };
  if (until !== undefined && until <= since) return { error: '--until must be after --since' };
  const out = value('--out');
  if (argv.includes('--out') && !out) return { error: '--out needs a file path' };
  return { since, ...(until === undefined ? {} : { until }), ...(out ? { out } : {}) };
}
