import { describe, expect, it } from 'vitest';
import type { AttackRecord } from '../../src/domain/model.js';
import { groupTally, median, needsALook, tally } from '../../src/domain/report-tally.js';
import { attackRecord } from '../support/records.js';

const T0 = Date.parse('2026-03-03T18:00:00Z');
const S = 1_000;

let nextId = 1;
function attack(over: Partial<AttackRecord> = {}): AttackRecord {
  const createdAt = T0 + nextId * 60 * S;
  return attackRecord({
    id: String(nextId++),
    attack: 'process-kill',
    host: 'web-1',
    trigger: { kind: 'schedule' },
    dryRun: false,
    state: 'completed',
    createdAt,
    startedAt: createdAt + S,
    endedAt: createdAt + 30 * S,
    deadlineAt: createdAt + 60 * S,
    durationMs: 30 * S,
    exitCode: 0,
    rollbackOk: true,
    ...over,
  });
}

const held = (over: Partial<AttackRecord> = {}) => attack({ verdict: 'held', verdictDetail: 'no probe failed', ...over });
const recovered = (ttdMs: number, ttrMs: number, over: Partial<AttackRecord> = {}) =>
  attack({ verdict: 'recovered', ttdMs, ttrMs, ...over });
const notRecovered = (ttdMs: number | null, over: Partial<AttackRecord> = {}) =>
  attack({ verdict: 'not-recovered', ttdMs, ttrMs: null, ...over });

describe('median', () => {
  it.each([
    ['is null for no values', [], null],
    ['is the value itself for one', [8_000], 8_000],
    ['is the middle one for an odd count, whatever the order', [30_000, 5_000, 8_000], 8_000],
    ['is the mean of the two middle ones for an even count', [4_000, 10_000, 2_000, 60_000], 7_000],
    ['rounds the mean of two middles to a millisecond', [1, 2], 2],
  ])('%s', (_rule, values, expected) => {
    expect(median(values)).toBe(expected);
  });
});

describe('the median time to detect and to recover', () => {
  it.each([
    ['takes both over the attacks that have them', [recovered(8 * S, 20 * S), recovered(4 * S, 40 * S)], 6 * S, 30 * S],
    ['leaves held attacks out of both', [held(), held(), recovered(8 * S, 20 * S)], 8 * S, 20 * S],
    ['counts a not-recovered detection, with no recovery', [notRecovered(10 * S), recovered(2 * S, 6 * S)], 6 * S, 6 * S],
    ['says nothing (null) when no attack has the figure', [held(), attack(), notRecovered(null)], null, null],
    ['has a detection and no recovery when nothing recovered', [notRecovered(3 * S), notRecovered(5 * S)], 4 * S, null],
    ['ignores attacks from before verdicts', [attack(), attack({ state: 'failed' }), recovered(9 * S, 1 * S)], 9 * S, S],
  ])('%s', (_rule, records, ttd, ttr) => {
    const t = tally('all', records);
    expect([t.medianTtdMs, t.medianTtrMs]).toEqual([ttd, ttr]);
  });

  it('is kept per attack and per host', () => {
    const records = [
      recovered(2 * S, 10 * S, { attack: 'process-kill', host: 'web-1' }),
      recovered(4 * S, 30 * S, { attack: 'process-kill', host: 'web-2' }),
      recovered(60 * S, 120 * S, { attack: 'net-delay', host: 'web-2' }),
      held({ attack: 'cpu-burn', host: 'db-1' }),
    ];
    const byAttack = groupTally(records, (r) => r.attack).map((t) => [t.key, t.medianTtdMs, t.medianTtrMs]);
    expect(byAttack).toEqual([
      ['process-kill', 3 * S, 20 * S],
      ['cpu-burn', null, null],
      ['net-delay', 60 * S, 120 * S],
    ]);
    const byHost = groupTally(records, (r) => r.host).map((t) => [t.key, t.medianTtdMs, t.medianTtrMs]);
    expect(byHost).toEqual([
      ['web-2', 32 * S, 75 * S],
      ['db-1', null, null],
      ['web-1', 2 * S, 10 * S],
    ]);
  });
});

describe('the verdict counts', () => {
  it('counts each verdict and how many were dry runs, not attacks without one', () => {
    const t = tally('all', [
      held(),
      held({ dryRun: true }),
      recovered(S, S),
      notRecovered(S, { dryRun: true }),
      attack({ verdict: 'unknown' }),
      attack(),
      attack({ state: 'cancelled', startedAt: null }),
    ]);
    expect(t.verdicts).toEqual({ held: 2, recovered: 1, notRecovered: 1, unknown: 1, dry: 2 });
    expect(t.total).toBe(7);
  });
});

describe('what needs a look', () => {
  it('lists not recovered first, then recovered, then failed, orphaned and unconfirmed, oldest first in each', () => {
    const failed = attack({ state: 'failed' });
    const lateNotRecovered = notRecovered(S);
    const earlyRecovered = recovered(S, S);
    const orphaned = attack({ state: 'orphaned' });
    const unconfirmed = attack({ state: 'reverted', unconfirmed: true });
    const lateRecovered = recovered(S, S);
    const fine = held();
    const earlyNotRecovered = notRecovered(null, { createdAt: T0 });
    const all = [failed, lateNotRecovered, earlyRecovered, orphaned, unconfirmed, lateRecovered, fine];
    const sorted = [earlyNotRecovered, ...all].sort((a, b) => a.createdAt - b.createdAt);
    expect(needsALook(sorted).map((r) => r.id)).toEqual([
      earlyNotRecovered.id,
      lateNotRecovered.id,
      earlyRecovered.id,
      lateRecovered.id,
      failed.id,
      orphaned.id,
      unconfirmed.id,
    ]);
  });

  it('lists a failed attack that did not recover once, with the verdicts', () => {
    const failed = attack({ state: 'failed' });
    const both = notRecovered(S, { state: 'failed' });
    expect(needsALook([failed, both]).map((r) => r.id)).toEqual([both.id, failed.id]);
  });

  it('leaves out held attacks, unknown verdicts and attacks still pending a verdict', () => {
    expect(needsALook([held(), attack({ verdict: 'unknown' }), attack()])).toEqual([]);
  });
});
