/**
 * Text someone typed, made safe to show: control characters (C0, DEL, C1), bidirectional controls
 * (U+202E turns the rest of a line around: "stop because ‮fdp.exe" reads as something else),
 * invisible format characters and line separators are written out as `\u202e`, never shown as is.
 * Idempotent: what it writes is plain ASCII, so text escaped twice reads the same.
 */
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF\uFFF9-\uFFFB]/g;

function escapeOne(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** One line of typed text with every unsafe character escaped (newlines too). */
export function escapeText(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/** A message of several lines: the line breaks stay, everything else unsafe is escaped. */
export function escapeLines(text: string): string {
  return text.split('\n').map(escapeText).join('\n');
}
