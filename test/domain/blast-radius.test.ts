import { describe, expect, it } from 'vitest';
import { blastCount, drawHosts } from '../../src/domain/blast-radius.js';
import type { BlastRadius, HostDef } from '../../src/domain/model.js';

describe('blastCount', () => {
  it.each<[string, BlastRadius | undefined, number, { count?: number; percent?: number }, number]>([
    ['one host by default', undefined, 4, {}, 1],
    ['one host when only one is eligible', undefined, 1, {}, 1],
    ['count from the file', { count: 2 }, 4, {}, 2],
    ['percent rounds down', { percent: 30 }, 10, {}, 3],
    ['percent rounds down (30% of 4 = 1.2)', { percent: 30 }, 4, {}, 1],
    ['percent is at least one host', { percent: 10 }, 4, {}, 1],
    ['max caps a percent', { percent: 50, max: 2 }, 10, {}, 2],
    ['run-once count replaces the file count', { count: 1 }, 4, { count: 3 }, 3],
    ['run-once percent replaces the file count', { count: 1 }, 4, { percent: 50 }, 2],
    ['run-once count is still capped by max', { max: 1 }, 4, { count: 2 }, 1],
    ['run-once percent is still capped by max', { max: 1 }, 4, { percent: 100 }, 1],
    ['never every host without allowAll', { count: 4 }, 4, {}, 3],
    ['never every host without allowAll (percent 100)', undefined, 4, { percent: 100 }, 3],
    ['every host with allowAll', { percent: 100, allowAll: true }, 4, {}, 4],
    ['not more hosts than eligible', { count: 9, allowAll: true }, 4, {}, 4],
    ['nothing when none is eligible', { count: 3 }, 0, {}, 0],
  ])('%s', (_name, radius, eligible, override, count) => {
    expect(blastCount(radius, eligible, override).count).toBe(count);
  });

  it('says why it took fewer hosts than asked', () => {
    expect(blastCount({ max: 1 }, 4, { count: 2 }).capped).toEqual({
      kind: 'max',
      asked: { kind: 'count', count: 2 },
      max: 1,
    });
    expect(blastCount(undefined, 4, { percent: 100 }).capped).toEqual({
      kind: 'all',
      asked: { kind: 'percent', percent: 100, of: 4 },
      count: 3,
      eligible: 4,
    });
    expect(blastCount({ count: 9, allowAll: true }, 4).capped).toEqual({
      kind: 'eligible',
      asked: { kind: 'count', count: 9 },
      eligible: 4,
    });
    expect(blastCount({ count: 2 }, 4).capped).toBeNull();
  });
});

describe('drawHosts', () => {
  const host = (name: string): HostDef => ({ name, address: '127.0.0.1', port: 22, tags: [], vars: {} });
  const all = ['a', 'b', 'c', 'd'].map(host);

  it('keeps the first host and draws the rest without repeating', () => {
    expect(drawHosts(all, 3, all[2] as HostDef, () => 0).map((h) => h.name)).toEqual(['c', 'a', 'b']);
    expect(drawHosts(all, 4, all[0] as HostDef, () => 0.99).map((h) => h.name)).toEqual(['a', 'd', 'c', 'b']);
  });

  it('calls rng once per host beyond the first', () => {
    let calls = 0;
    drawHosts(all, 1, all[0] as HostDef, () => {
      calls++;
      return 0;
    });
    expect(calls).toBe(0);
  });
});
