import { describe, expect, it } from 'vitest';
import { escapeLines, escapeText } from '../../src/domain/visible-text.js';

describe('typed text shown escaped', () => {
  it.each([
    ['right-to-left override', 'stop \u202egnp.exe', 'stop \\u202egnp.exe'],
    ['left-to-right and right-to-left isolates', 'a\u2066b\u2067c\u2068d\u2069', 'a\\u2066b\\u2067c\\u2068d\\u2069'],
    ['right-to-left mark and Arabic letter mark', '\u200f\u061c', '\\u200f\\u061c'],
    ['terminal escape', '\u001b[31mred\u001b[0m', '\\u001b[31mred\\u001b[0m'],
    ['bell, NUL, DEL and a C1 control', '\u0007\u0000\u007f\u009b', '\\u0007\\u0000\\u007f\\u009b'],
    ['zero-width space and BOM', 'a\u200bb\ufeff', 'a\\u200bb\\ufeff'],
    ['line and paragraph separators', 'a\u2028b\u2029', 'a\\u2028b\\u2029'],
    ['a newline in one line of text', 'a\nb', 'a\\u000ab'],
    ['plain text, accents, CJK and emoji unchanged', 'café 日本 🐈 "quoted" C:\\path', 'café 日本 🐈 "quoted" C:\\path'],
  ])('%s', (_name, typed, shown) => {
    expect(escapeText(typed)).toBe(shown);
    // Twice is the same as once: escaped text holds nothing left to escape.
    expect(escapeText(escapeText(typed))).toBe(shown);
  });

  it('keeps the line breaks of a message of several lines, escapes the rest', () => {
    expect(escapeLines('Halted by U1: \u202eevil\nsecond line\r')).toBe('Halted by U1: \\u202eevil\nsecond line\\u000d');
  });
});
