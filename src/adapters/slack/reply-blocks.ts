/**
 * A command's reply as a Slack message: its sentences as sections, a preformatted block (an attack's
 * output, `history #ID`) as code sections, and its table as Slack's table block, where people are
 * user elements and times date elements (each reader sees names and their own zone). Every message
 * stays within Slack's limits: 50 blocks, 3,000 characters a section, 100 rows a table.
 */
import type { Reply, Table } from '../../ports/chat.js';
import { hasMark, splitMarks } from '../../words/tokens.js';
import { codeBlock, mrkdwn } from './text.js';

/** Block Kit JSON as Slack takes it (the table block is newer than some of @slack/types' unions). */
type Block = Record<string, unknown>;

export const MAX_BLOCKS = 50;
export const MAX_SECTION_TEXT = 3_000;
/** Slack's table block: at most 100 rows, the header included, and 20 cells a row. */
export const MAX_TABLE_ROWS = 100;
export const MAX_TABLE_COLUMNS = 20;
/** The notification text (shown where blocks are not: notifications, old clients). */
const MAX_FALLBACK = 3_000;

export interface SlackMessage {
  readonly text: string;
  readonly blocks: Block[];
}

/** The lines of `text`, in pieces of at most `max` characters each (a longer line is cut). */
export function pieces(lines: readonly string[], max: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = raw.length > max ? `${raw.slice(0, max - 1)}…` : raw;
    if (current && current.length + 1 + line.length > max) {
      out.push(current);
      current = line;
    } else current = current ? `${current}\n${line}` : line;
  }
  if (current) out.push(current);
  return out;
}

function section(text: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/** Rich text pieces of a cell: the app's person and time marks become user and date elements. */
function richElements(text: string, style?: { bold: true }): Record<string, unknown>[] {
  return splitMarks(text).map((piece) => {
    if (piece.kind === 'person') return { type: 'user', user_id: piece.id };
    if (piece.kind === 'time') return { type: 'date', timestamp: piece.at, format: piece.format, fallback: piece.fallback };
    return { type: 'text', text: piece.text, ...(style ? { style } : {}) };
  });
}

function cell(text: string, bold = false): Record<string, unknown> {
  const shown = text.trim() === '' ? '-' : text;
  if (!bold && !hasMark(shown)) return { type: 'raw_text', text: shown };
  return {
    type: 'rich_text',
    elements: [{ type: 'rich_text_section', elements: richElements(shown, bold ? { bold: true } : undefined) }],
  };
}

/** A table as Slack's table block (header row bold, counts aligned right), and what did not fit. */
export function tableBlocks(t: Table, withTitle: boolean): Block[] {
  const columns = t.columns.slice(0, MAX_TABLE_COLUMNS);
  const rows = t.rows.slice(0, MAX_TABLE_ROWS - 1);
  const right = new Set(t.numeric ?? []);
  const out: Block[] = [];
  if (withTitle) out.push(section(`*${mrkdwn(t.title)}*`));
  out.push({
    type: 'table',
    column_settings: columns.map((_, i) => (right.has(i) ? { align: 'right' } : { is_wrapped: true })),
    rows: [columns.map((c) => cell(c, true)), ...rows.map((r) => columns.map((_, i) => cell(r[i] ?? '')))],
  });
  const notes: string[] = [];
  if (t.rows.length > rows.length) notes.push(`${t.rows.length - rows.length} more rows not shown (Slack shows ${rows.length}).`);
  if (t.columns.length > columns.length) notes.push(`${t.columns.length - columns.length} more columns not shown.`);
  if (t.note) notes.push(t.note);
  if (notes.length) out.push({ type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn(notes.join(' ')).slice(0, 3_000) }] });
  return out;
}

/** A second table in the same message (Slack takes one table block a message): a list, one row a line. */
function tableAsList(t: Table): Block[] {
  const lines = t.rows.map(
    (r) =>
      `• ${mrkdwn(r[0] ?? '')} — ${t.columns
        .slice(1)
        .map((c, i) => `${mrkdwn(c)} ${mrkdwn(r[i + 1] ?? '-')}`)
        .join(', ')}`,
  );
  return pieces([`*${mrkdwn(t.title)}*`, ...lines, ...(t.note ? [mrkdwn(t.note)] : [])], MAX_SECTION_TEXT).map(section);
}

/** Preformatted text as code sections, each within a section's limit. */
function codeBlocks(block: string): Block[] {
  // Escaping may lengthen a line (& → &amp;): leave room for it and for the fences.
  return pieces(block.split('\n'), 2_400).map((piece) => section(codeBlock(piece)));
}

/** The reply as Slack blocks, with `preface` (who asked, for a slash command) above it. */
export function replyMessage(reply: Reply, preface?: string): SlackMessage {
  const head = [preface, mrkdwn(reply.text)].filter((t): t is string => Boolean(t));
  const blocks: Block[] = pieces(head.join('\n').split('\n'), MAX_SECTION_TEXT).map(section);
  if (reply.block) blocks.push(...codeBlocks(reply.block));
  const tables = reply.tables ?? [];
  tables.forEach((t, i) => {
    blocks.push(...(i === 0 ? tableBlocks(t, tables.length > 1) : tableAsList(t)));
  });
  if (blocks.length > MAX_BLOCKS) {
    const cut = blocks.length - (MAX_BLOCKS - 1);
    blocks.splice(MAX_BLOCKS - 1);
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `(${cut} more parts cut: Slack takes ${MAX_BLOCKS} blocks a message.)` }],
    });
  }
  const fallback = head.join('\n');
  return { text: fallback.length > MAX_FALLBACK ? `${fallback.slice(0, MAX_FALLBACK - 1)}…` : fallback, blocks };
}
