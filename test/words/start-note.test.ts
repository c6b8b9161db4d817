import { describe, expect, it } from 'vitest';
import { startNoteText } from '../../src/words/announcements.js';

describe('what a start announcement carries, from data', () => {
  it.each([
    [
      { forcedBy: { kind: 'user', user: 'U0ADMIN01' } },
      "Health gate skipped (--force by <@U0ADMIN01>) for this attack's whole life.",
    ],
    [{ forcedBy: { kind: 'schedule' } }, "Health gate skipped (--force by the schedule) for this attack's whole life."],
    [
      { capped: { hosts: 2, eligible: 9, why: { kind: 'max', asked: { kind: 'percent', percent: 50, of: 9 }, max: 2 } } },
      "Blast radius: 2 of 9 eligible hosts (50% of 9, capped by the attack's blastRadius max 2).",
    ],
    [
      {
        forcedBy: { kind: 'user', user: 'console' },
        capped: { hosts: 1, eligible: 3, why: { kind: 'max', asked: { kind: 'count', count: 2 }, max: 1 } },
      },
      "Health gate skipped (--force by console) for this attack's whole life. Blast radius: 1 of 3 eligible hosts (count 2, capped by the attack's blastRadius max 1).",
    ],
    [{}, ''],
  ] as const)('%j', (note, text) => {
    expect(startNoteText(note)).toBe(text);
  });
});
