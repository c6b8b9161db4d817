import { describe, expect, it } from 'vitest';
import { type DayCounts, type DayFacts, dayCard, pageDates } from '../../src/domain/day-card.js';

const none: DayCounts = {
  total: 0,
  completed: 0,
  reverted: 0,
  failed: 0,
  orphaned: 0,
  cancelled: 0,
  held: 0,
  recovered: 0,
  notRecovered: 0,
  unknown: 0,
  rollbackFailed: 0,
  unconfirmed: 0,
  dryRuns: 0,
  monitoringGaps: 0,
};

function facts(counts: Partial<DayCounts>, rest: Partial<Omit<DayFacts, 'counts'>> = {}): DayFacts {
  return { counts: { ...none, total: 1, ...counts }, ticks: 360, haltedTicks: 0, stops: 0, ...rest };
}

describe('day cards', () => {
  it.each([
    ['a not recovered verdict is red', facts({ notRecovered: 1 }), 'red', ['1 not recovered']],
    [
      'a monitoring gap is named first among the amber reasons',
      facts({ recovered: 1, monitoringGaps: 1 }),
      'amber',
      ['1 monitoring gap', '1 recovered'],
    ],
    [
      'a gap on a day that did not recover is red, the gap still named',
      facts({ notRecovered: 1, monitoringGaps: 1 }),
      'red',
      ['1 not recovered', '1 monitoring gap'],
    ],
    ['a failed rollback is red', facts({ reverted: 1, rollbackFailed: 1 }), 'red', ['1 failed rollback']],
    ['a failed attack is red', facts({ failed: 1 }), 'red', ['1 failed']],
    ['an orphaned attack is red', facts({ orphaned: 2, total: 2 }), 'red', ['2 orphaned']],
    [
      'red wins over amber, worst first',
      facts({ notRecovered: 1, recovered: 1, total: 2 }),
      'red',
      ['1 not recovered', '1 recovered'],
    ],
    ['a recovered verdict (the fault was felt) is amber', facts({ recovered: 1 }), 'amber', ['1 recovered']],
    ['an unconfirmed end is amber', facts({ reverted: 1, unconfirmed: 1 }), 'amber', ['1 unconfirmed']],
    ['a halt latched that day is amber', facts({ total: 0 }, { stops: 1 }), 'amber', ['1 halt']],
    ['a day spent halted is amber', facts({ total: 0 }, { haltedTicks: 90 }), 'amber', ['halted 90 minutes']],
    ['held verdicts and completed attacks are plain', facts({ completed: 1, held: 1 }), 'plain', []],
    ['ticks without attacks are plain: the bot ran', facts({ total: 0 }), 'plain', []],
    ['no ticks and no attacks is grey: the bot was not running', facts({ total: 0 }, { ticks: 0 }), 'grey', []],
    ['attacks without ticks are not grey', facts({ completed: 1 }, { ticks: 0 }), 'plain', []],
  ])('%s', (_, input, tone, reasons) => {
    const card = dayCard('2026-11-20', input);
    expect(card.tone).toBe(tone);
    expect(card.reasons).toEqual(reasons);
  });

  it('pages are 30 days, newest first, the next page right before', () => {
    const first = pageDates('2026-03-30', 0);
    expect(first).toHaveLength(30);
    expect(first[0]).toBe('2026-03-30');
    expect(first.at(-1)).toBe('2026-03-01');
    expect(pageDates('2026-03-30', 1)[0]).toBe('2026-02-28');
  });
});
