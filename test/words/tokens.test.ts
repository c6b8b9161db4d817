import { describe, expect, it } from 'vitest';
import { hasMark, plainText, splitMarks } from '../../src/words/tokens.js';

describe('marks in text', () => {
  const text = 'halted by <@U0BOB|bob> at <!date^1764950400^{time}|17:46 PST>, see <https://x.test|page>';

  it('cuts text at its person and time marks, in order, and keeps the rest as it is', () => {
    expect(splitMarks(text)).toEqual([
      { kind: 'text', text: 'halted by ' },
      { kind: 'person', id: 'U0BOB' },
      { kind: 'text', text: ' at ' },
      { kind: 'time', at: 1764950400, format: '{time}', fallback: '17:46 PST' },
      { kind: 'text', text: ', see <https://x.test|page>' },
    ]);
    expect(splitMarks('')).toEqual([]);
    expect(splitMarks('<@W1>')).toEqual([{ kind: 'person', id: 'W1' }]);
  });

  it('tells text with a mark from text without one, again and again (no regex state carried over)', () => {
    for (let i = 0; i < 3; i++) {
      expect(hasMark(text)).toBe(true);
      expect(hasMark('<!date^1^{time}|x>')).toBe(true);
      expect(hasMark('plain <#C1|ops> and <!here>')).toBe(false);
    }
  });

  it('reads marks plain for plain edges', () => {
    expect(plainText(text, (id) => (id === 'U0BOB' ? 'bob' : undefined))).toBe(
      'halted by @bob at 17:46 PST, see page (https://x.test)',
    );
  });
});
