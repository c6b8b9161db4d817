import { describe, expect, it } from 'vitest';
import type { Answer } from '../../src/domain/answers.js';
import { parseCommand } from '../../src/domain/command-parser.js';
import { gapBacklog } from '../../src/domain/gaps.js';
import { answerLines, gapWeekLine, learnedLine } from '../../src/words/answers.js';
import { commandAnswerText } from '../../src/words/command-replies.js';
import { attackRecord } from '../support/records.js';

const TZ = 'America/Los_Angeles';
/** A Tuesday, 12:00 in Los Angeles. */
const NOON = Date.parse('2026-11-24T20:00:00Z');
/** #1 cpu-burn on web-1: live, ended, held. */
const held = attackRecord({ state: 'completed', startedAt: NOON, endedAt: NOON + 20_000, verdict: 'held' });
const notPaged: Answer = {
  attackId: '1',
  by: 'U0ONCALL',
  at: NOON + 60_000,
  paged: 'no',
  runbook: 'none',
  note: 'nobody knew where to look',
};

describe('what the people on call learned, in words', () => {
  it('a wrong choice is answered with the choices there are', () => {
    const parsed = parseCommand('answer #1 paged=maybe');
    expect(parsed.kind).toBe('invalid');
    expect(commandAnswerText(parsed as Extract<typeof parsed, { kind: 'invalid' }>)).toBe(
      'Cannot `answer`: paged=maybe: say paged=yes, paged=no or paged=not-mine.',
    );
  });

  it('history #ID shows each answer: who, when, what', () => {
    expect(answerLines([notPaged], TZ)).toEqual([
      'What we learned (1 answer):',
      '  <@U0ONCALL> at 2026-11-24 12:01: NOT paged; there is NO runbook; note: nobody knew where to look',
    ]);
  });

  it("the daily report names the day's gaps by attack", () => {
    expect(learnedLine([held], new Map([['1', [notPaged]]]))).toBe(
      '*What we learned:* 1 of 1 live attack answered; not paged: #1 cpu-burn on web-1; runbook gaps: #1 cpu-burn on web-1',
    );
  });

  it("the week's gaps: open ones named with what they found, until an admin says fixed", () => {
    const answers = new Map([['1', [{ ...notPaged, runbook: null, note: null }]]]);
    expect(gapWeekLine(gapBacklog([held], answers, new Map()))).toBe(
      '*Gaps, last 7 days:* 1 attack found gaps; 1 still open: #1 cpu-burn on web-1 (not paged) — an admin says `fixed #ID note` once one is dealt with',
    );
    const fixes = new Map([
      ['1', { attackId: '1', by: 'admin', at: NOON + 120_000, note: 'the CPU alert now pages the web rota' }],
    ]);
    expect(gapWeekLine(gapBacklog([held], answers, fixes))).toBe('*Gaps, last 7 days:* 1 attack found gaps, all marked fixed');
  });
});
