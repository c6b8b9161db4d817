import { describe, expect, it } from 'vitest';
import { type GameDayAnswer, gameDayAnswerText } from '../../src/words/game-day.js';
import { plainText } from '../../src/words/tokens.js';

const TZ = 'Europe/Berlin';
const AT = Date.UTC(2026, 11, 4, 13, 0);
const BROKEN = /undefined|\bnull\b|\[object Object\]|NaN|: \./;

const ANSWERS: readonly GameDayAnswer[] = [
  { kind: 'approved', name: 'friday', at: AT, by: 'U0ADMIN01', approvals: 2, approvedBy: ['U0ADMIN01'] },
  { kind: 'approved-again', name: 'friday', at: AT, by: 'U0ADMIN01', approvals: 1, approvedBy: ['U0ADMIN01'] },
  { kind: 'skipped', name: 'friday', at: AT, by: 'U0ADMIN01' },
  { kind: 'unknown', name: 'fri', known: ['friday'] },
  { kind: 'unknown', name: 'fri', known: [] },
  { kind: 'not-admin', verb: 'approve', admins: 'Admins: @alice.' },
  { kind: 'stale', at: AT, state: null },
  { kind: 'stale', at: AT, state: 'started' },
  { kind: 'not-yet', verb: 'skip', name: 'friday', noticeAt: AT },
  { kind: 'not-yet', verb: 'skip', name: 'friday', noticeAt: null },
  { kind: 'settled', name: 'friday', at: AT, state: 'skipped', detail: 'skipped by <@U0ADMIN01>' },
  { kind: 'settled', name: 'friday', at: AT, state: 'started', detail: null },
];

describe("an admin's approve and skip, answered from data", () => {
  it.each(ANSWERS.map((a) => [a.kind, a] as const))('%s: said, never "undefined" or empty', (_kind, a) => {
    const text = plainText(gameDayAnswerText(a, TZ));
    expect(text.trim()).not.toBe('');
    expect(text).not.toMatch(BROKEN);
  });

  it('counts an approval once, and says so', () => {
    expect(plainText(gameDayAnswerText(ANSWERS[0] as GameDayAnswer, TZ))).toMatch(
      /approved game day friday .*: 1 of 2 approvals: @U0ADMIN01\.$/,
    );
    expect(plainText(gameDayAnswerText(ANSWERS[1] as GameDayAnswer, TZ))).toContain('an approval counts once');
  });
});
