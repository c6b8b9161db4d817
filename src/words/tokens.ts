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
