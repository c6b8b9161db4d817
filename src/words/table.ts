import type { Reply, Table } from '../ports/chat.js';
import { type NameOf, plainText } from './tokens.js';

export type { Table };

/** Counts and durations ("8s", "1h 5m", "—") line up on the right. */
const NUMERIC_CELL = /^(—|-|\d[\dhms. ]*)$/;

/** The indexes of the columns (from `from` on) where every cell is a count or a duration. */
export function numericColumns(columns: readonly string[], rows: readonly (readonly string[])[], from = 1): number[] {
  const out: number[] = [];
  for (let i = from; i < columns.length; i++) {
    if (rows.length > 0 && rows.every((r) => NUMERIC_CELL.test(r[i] ?? ''))) out.push(i);
  }
  return out;
}

/** The table in aligned columns for a terminal or a code block: the header line, then a line per row. */
export function tableText(t: Table, withTitle = false, nameOf?: NameOf): string {
  const all = [t.columns, ...t.rows];
  // Widths as read: a time or a person mark takes the room of what it shows, not of its markup.
  const shown = (c: string) => plainText(c, nameOf).length;
  const widths = t.columns.map((_, i) => Math.max(...all.map((row) => shown(row[i] ?? ''))));
  const right = new Set(t.numeric ?? []);
  // Counts line up on the right; the header's names stay on the left.
  const pad = (c: string, i: number, header: boolean) => {
    const room = ' '.repeat(Math.max(0, (widths[i] ?? 0) - shown(c)));
    return right.has(i) && !header ? room + c : c + room;
  };
  const lines = all.map((row, r) =>
    row
      .map((c, i) => pad(c, i, r === 0))
      .join('  ')
      .trimEnd(),
  );
  return [...(withTitle ? [t.title] : []), ...lines, ...(t.note ? [t.note] : [])].join('\n');
}

/** Several tables one after another, each under its title. */
export function tablesText(tables: readonly Table[], nameOf?: NameOf): string {
  return tables.map((t) => tableText(t, tables.length > 1, nameOf)).join('\n\n');
}

/** A reply's preformatted block and tables as text, or '' when it has neither (the console, exports, tests). */
export function replyBody(reply: Reply, nameOf?: NameOf): string {
  const tables = reply.full?.tables ?? reply.tables;
  return [reply.block, tables?.length ? tablesText(tables, nameOf) : undefined].filter(Boolean).join('\n\n');
}

/** A reply as a transport with room shows it (the console): its whole text, then its block and tables. */
export function replyWhole(reply: Reply, nameOf?: NameOf): { readonly text: string; readonly body: string } {
  return { text: reply.full?.text ?? reply.text, body: replyBody(reply, nameOf) };
}
