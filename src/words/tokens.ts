/**
 * The two marks the app's words carry for the edge to render: a person (`<@U…>`, from `who`) and a
 * time (`<!date^EPOCH^{…}|fallback>`, from `when`). Both are Slack's own markup, so Slack shows each
 * reader the person's name and the time in their own zone; every other edge (console, web archive,
 * exports, logs) renders them plain with `plainText`: the name where it is known, the time in the
 * config's zone, labelled.
 */
import type { NameOf } from '../ports/people.js';

export { timeOfDay, when } from '../domain/marks.js';
export type { NameOf };

/** A time mark, found in text: its epoch seconds, Slack format and fallback. */
export const TIME_MARK = /<!date\^(\d+)\^([^|>]*)\|([^>]*)>/g;
/** A person mark (`<@U0123>` or `<@U0123|name>`). */
export const PERSON_MARK = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;

/** Text cut at its marks, in order: what an edge lays out piece by piece (Slack's rich text). */
export type MarkedPiece =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'person'; readonly id: string }
  | { readonly kind: 'time'; readonly at: number; readonly format: string; readonly fallback: string };

const ANY_MARK = new RegExp(`${PERSON_MARK.source}|${TIME_MARK.source}`, 'g');

/** Whether `text` holds a person or a time mark. */
export function hasMark(text: string): boolean {
  return new RegExp(ANY_MARK.source).test(text);
}

/** `text` as plain pieces and marks, in order; no empty text pieces. */
export function splitMarks(text: string): MarkedPiece[] {
  const out: MarkedPiece[] = [];
  let last = 0;
  const plain = (t: string) => {
    if (t) out.push({ kind: 'text', text: t });
  };
  for (const m of text.matchAll(ANY_MARK)) {
    plain(text.slice(last, m.index));
    if (m[1]) out.push({ kind: 'person', id: m[1] });
    else out.push({ kind: 'time', at: Number(m[2]), format: m[3] ?? '', fallback: m[4] ?? '' });
    last = m.index + m[0].length;
  }
  plain(text.slice(last));
  return out;
}

/**
 * The words for a plain edge: a time mark reads as its fallback (config zone, labelled), a person
 * as `@name` (or `@U…` while the name is unknown), groups and channels as `@S…`, `#C…`; never raw markup.
 */
export function plainText(text: string, nameOf: NameOf = () => undefined): string {
  return text
    .replace(TIME_MARK, (_, _at, _format, fallback: string) => fallback)
    .replace(PERSON_MARK, (_, id: string) => `@${nameOf(id) ?? id}`)
    .replace(/<!subteam\^([A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, label?: string) => `@${label?.replace(/^@/, '') || id}`)
    .replace(/<!(here|channel|everyone)>/g, '@$1')
    .replace(/<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, label?: string) => `#${label || id}`)
    .replace(/<(https?:\/\/[^\s|<>]+)(?:\|([^<>]*))?>/g, (_, url: string, label?: string) => (label ? `${label} (${url})` : url));
}
