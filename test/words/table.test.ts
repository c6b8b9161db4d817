import { describe, expect, it } from 'vitest';
import { tableText } from '../../src/words/table.js';
import { plainText, when } from '../../src/words/tokens.js';

const AT = Date.parse('2026-12-04T16:46:00Z');

describe('a table in aligned columns (the console)', () => {
  it('gives a time or a person the room of what it shows, not of its markup', () => {
    const t = {
      title: 'History',
      columns: ['#', 'time', 'trigger', 'took'],
      rows: [
        ['1', when(AT, 'America/Los_Angeles', 'MM-dd HH:mm'), '<@U0ADMIN>', '40s'],
        ['12', when(AT + 60_000, 'America/Los_Angeles', 'MM-dd HH:mm'), 'schedule', '1m 5s'],
      ],
      numeric: [0, 3],
    };
    const names = (id: string) => (id === 'U0ADMIN' ? 'alice' : undefined);
    expect(
      plainText(tableText(t, false, names), names)
        .split('\n')
        .map((l) => l.trimEnd()),
    ).toEqual([
      '#   time             trigger   took',
      ' 1  12-04 08:46 PST  @alice      40s',
      '12  12-04 08:47 PST  schedule  1m 5s',
    ]);
  });
});
