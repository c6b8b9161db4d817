import type { Reply, Table } from '../ports/chat.js';

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
export function tableText(t: Table, withTitle = false): string {
  const all = [t.columns, ...t.rows];
  const widths = t.columns.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const right = new Set(t.numeric ?? []);
  const lines = all.map((row) =>
    row
      .map((c, i) => (right.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
  return [...(withTitle ? [t.title] : []), ...lines, ...(t.note ? [t.note] : [])].join('\n');
}

/** Several tables one after another, each under its title. */
export function tablesText(tables: readonly Table[]): string {
  return tables.map((t) => tableText(t, tables.length > 1)).join('\n\n');
}

/** A reply's preformatted block and tables as text, or '' when it has neither (the console, exports, tests). */
export function replyBody(reply: Reply): string {
  const tables = reply.full?.tables ?? reply.tables;
  return [reply.block, tables?.length ? tablesText(tables) : undefined].filter(Boolean).join('\n\n');
}

/** A reply as a transport with room shows it (the console): its whole text, then its block and tables. */
export function replyWhole(reply: Reply): { readonly text: string; readonly body: string } {
  return { text: reply.full?.text ?? reply.text, body: replyBody(reply) };
}
