/**
 * HTML built from tagged templates that escape every value: a value reaches the page as text unless
 * it is already Html (made here, from escaped parts). No template library: this is all it takes.
 */

import { escapeLines } from '../../domain/visible-text.js';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type Value = Html | string | number | boolean | null | undefined | readonly Value[];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  // Text from outside stays text: bidi overrides and control characters are written out (`\u202e`).
  return escapeHtml(escapeLines(String(value)));
}

/** `html\`<p>${text}</p>\``: interpolated values are escaped; arrays are joined; null/false/undefined vanish. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** Markup that is trusted as is: only for what this program made itself (the chart SVG). */
export function trusted(markup: string): Html {
  return new Html(markup);
}

/** A line of the channel report: escaped, then its `*bold*` and `code` spans become tags. */
export function chatLine(line: string): Html {
  return new Html(
    escapeHtml(line)
      .replace(/\*([^*\n]+)\*/g, '<strong>$1</strong>')
      .replace(/`([^`\n]+)`/g, '<code>$1</code>'),
  );
}

/** A query-string link: values are URL-encoded, then escaped by the template. */
export function hrefWith(path: string, params: Readonly<Record<string, string | number | undefined>>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(key, String(value));
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

const ATTR_ESCAPES: Record<string, string> = { '"': '&quot;', '<': '&lt;', '>': '&gt;' };

/**
 * Each data cell of a table with a header row gets its column's name (`data-label`), so that a phone
 * shows every row as a card of "label: value" lines (style.ts) instead of a table wider than the
 * screen. Reads only markup this program made (one header row, no nested tables).
 */
export function labelCells(markup: string): string {
  return markup.replace(/<table\b[^>]*>[\s\S]*?<\/table>/g, (table) => {
    const head = /<thead>([\s\S]*?)<\/thead>/.exec(table)?.[1];
    if (!head) return table;
    const labels = [...head.matchAll(/<th\b[^>]*>([\s\S]*?)<\/th>/g)].map((m) =>
      (m[1] ?? '').replace(/<[^>]*>/g, '').replace(/["<>]/g, (c) => ATTR_ESCAPES[c] ?? c),
    );
    return table.replace(/<tbody>([\s\S]*?)<\/tbody>/, (tbody) =>
      tbody.replace(/<tr\b[^>]*>[\s\S]*?<\/tr>/g, (row) => {
        let i = 0;
        return row.replace(/<td\b/g, () => `<td data-label="${labels[i++] ?? ''}"`);
      }),
    );
  });
}

export function layout(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header class="site"><a href="/">ChaosCat report archive</a><span class="ro">read-only</span></header>
<main>
${trusted(labelCells(body.text))}
</main>
</body>
</html>
`.text;
}
