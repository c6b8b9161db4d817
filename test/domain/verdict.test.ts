import { describe, expect, it } from 'vitest';
import { type ProbeSample, type VerdictKind, verdictOf } from '../../src/domain/verdict.js';

const S = 1_000;
const START = 1_000_000;
const ok = (t: number): ProbeSample => ({ at: START + t * S, healthy: true, failing: [] });
const bad = (t: number, reason = 'HTTP 503'): ProbeSample => ({
  at: START + t * S,
  healthy: false,
  failing: [{ name: 'checkout', reason }],
});

interface Row {
  readonly name: string;
  readonly samples: ProbeSample[];
  /** Seconds after the start; null while the fault runs. */
  readonly end: number | null;
  readonly now: number;
  readonly kind: VerdictKind;
  readonly ttd?: number | null;
  readonly ttr?: number;
}

// Fault from 0 s to 10 s (when it ended), recovery window 30 s.
const table: Row[] = [
  {
    name: 'held: every sample passes, also after the end',
    samples: [ok(0), ok(5), ok(10), ok(11)],
    end: 10,
    now: 11,
    kind: 'held',
  },
  { name: 'pending while the fault runs, even if all pass so far', samples: [ok(0), ok(5)], end: null, now: 5, kind: 'pending' },
  { name: 'pending at the end until a sample after it passes', samples: [ok(0), ok(5)], end: 10, now: 10, kind: 'pending' },
  {
    name: 'recovered: failed during the fault, passes again after it',
    samples: [ok(0), bad(2), bad(5), ok(12), ok(15)],
    end: 10,
    now: 15,
    kind: 'recovered',
    ttd: 2,
    ttr: 10,
  },
  {
    name: 'recovered during the fault (a supervisor restarted it): recovery counts from the streak',
    samples: [ok(0), bad(2), ok(4), ok(8), ok(11)],
    end: 10,
    now: 11,
    kind: 'recovered',
    ttd: 2,
    ttr: 2,
  },
  {
    name: 'a passing streak that breaks again does not count',
    samples: [bad(2), ok(4), bad(8), ok(13)],
    end: 10,
    now: 13,
    kind: 'recovered',
    ttd: 2,
    ttr: 11,
  },
  { name: 'pending: still failing inside the window', samples: [bad(2), bad(20)], end: 10, now: 39, kind: 'pending' },
  {
    name: 'not recovered: still failing when the window ends',
    samples: [bad(2), bad(39)],
    end: 10,
    now: 40,
    kind: 'not-recovered',
    ttd: 2,
  },
  {
    name: 'not recovered: no sample at all by the window end (fail closed)',
    samples: [],
    end: 10,
    now: 40,
    kind: 'not-recovered',
    ttd: null,
  },
  { name: 'samples before the fault do not count', samples: [bad(-5), ok(1), ok(11)], end: 10, now: 11, kind: 'held' },
  {
    name: 'passing only before the end is not enough at the window end',
    samples: [ok(1), ok(5)],
    end: 10,
    now: 40,
    kind: 'not-recovered',
  },
];

describe('the steady-state verdict', () => {
  it.each(table)('$name', (row) => {
    const v = verdictOf({
      faultStart: START,
      faultEnd: row.end === null ? null : START + row.end * S,
      windowMs: 30 * S,
      now: START + row.now * S,
      samples: row.samples,
    });
    expect(v.kind).toBe(row.kind);
    if (row.ttd !== undefined && (v.kind === 'recovered' || v.kind === 'not-recovered')) {
      expect(v.ttdMs).toBe(row.ttd === null ? null : row.ttd * S);
    }
    if (row.ttr !== undefined && v.kind === 'recovered') expect(v.ttrMs).toBe(row.ttr * S);
  });

  it('names what failed first when it recovered, and what still fails when it did not', () => {
    const recovered = verdictOf({
      faultStart: START,
      faultEnd: START + 10 * S,
      windowMs: 30 * S,
      now: START + 12 * S,
      samples: [bad(2, 'connection refused'), ok(12)],
    });
    expect(recovered).toMatchObject({ kind: 'recovered', failing: [{ name: 'checkout', reason: 'connection refused' }] });
    const not = verdictOf({
      faultStart: START,
      faultEnd: START + 10 * S,
      windowMs: 30 * S,
      now: START + 40 * S,
      samples: [bad(2, 'HTTP 503'), bad(39, 'connection refused')],
    });
    expect(not).toMatchObject({ kind: 'not-recovered', failing: [{ reason: 'connection refused' }] });
  });
});
