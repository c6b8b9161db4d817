/**
 * The kill switch as people type it in a hurry. Every other command is read strictly; a stop is
 * read leniently, because a stop refused as "I don't know `*stop*`" leaves an attack running.
 * Slack formatting (`` ` `` `*` `_` `~`), quotes, punctuation, emoji (`:octagonal_sign:` and
 * Unicode) and case are ignored around and inside the first word; if that word is then `stop`,
 * `halt` or `abort`, the message is a stop and the rest is its reason. Words that only begin with
 * one (`stopwatch`, `stopped`, `halting`) and messages that start with another word (`don't stop`)
 * are not stops. Pure.
 */

export const STOP_WORDS: readonly string[] = ['stop', 'halt', 'abort'];

/** Slack's `:emoji_name:` (skin tones are emoji of their own: `:+1::skin-tone-2:`). */
const SLACK_EMOJI = /:[a-z0-9_+'-]+:/gi;
/** Pictographs, skin tones and flags (their selectors, joiners and keycaps go with NOT_WORD). */
const UNICODE_EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}]/gu;
/** A control or bidi character that normalize() has already written out as `\u202e`. */
const ESCAPED = /\\u[0-9a-f]{4}/gi;
/** Anything that is not a letter or a digit. */
const NOT_WORD = /[^\p{L}\p{N}]/gu;
/** Marks that wrap a word in Slack or plain text; a wrapper opened before the stop word may close after the reason. */
const WRAPPERS = '`*_~"\'';

/** What a word reads as once formatting, emoji, punctuation and case are gone ('' when nothing is left). */
export function bareWord(token: string): string {
  return token
    .normalize('NFKC')
    .replace(SLACK_EMOJI, '')
    .replace(ESCAPED, '')
    .replace(UNICODE_EMOJI, '')
    .replace(NOT_WORD, '')
    .toLowerCase();
}

/**
 * The stop in a normalised message (see normalize() in command-parser.ts), or undefined when the
 * message is not one. The first word that is more than formatting or emoji decides. The reason is
 * the text after it, as typed, without the closing half of a wrapper opened before the stop word.
 */
export function readStop(text: string): { readonly word: string; readonly reason: string } | undefined {
  const tokens = text.split(' ');
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    const word = bareWord(token);
    if (word === '') continue;
    if (!STOP_WORDS.includes(word)) return undefined;
    const opened = [...(/^[^\p{L}\p{N}]*/u.exec(token)?.[0] ?? '')].filter((c) => WRAPPERS.includes(c));
    let reason = tokens
      .slice(i + 1)
      .join(' ')
      .trim();
    while (reason !== '' && opened.includes(reason.at(-1) ?? '')) reason = reason.slice(0, -1).trimEnd();
    return { word, reason };
  }
  return undefined;
}
