import { describe, expect, it } from 'vitest';
import type { NoVerdict, Verdict } from '../../src/domain/verdict.js';
import { noVerdictText, verdictDetail } from '../../src/words/verdicts.js';

const FAILING = [{ name: 'api', reason: 'HTTP 500' }];
const NO_VERDICT: { readonly [K in NoVerdict['kind']]: Extract<NoVerdict, { kind: K }> } = {
  'not-watched': { kind: 'not-watched' },
  'not-steady': { kind: 'not-steady', failing: FAILING },
  'run-failed': { kind: 'run-failed' },
  shutdown: { kind: 'shutdown', signal: 'SIGTERM' },
  restarted: { kind: 'restarted' },
};

describe('a verdict, and why there is none, in one line from data', () => {
  it.each(Object.values(NO_VERDICT).map((n) => [n.kind, n] as const))('%s', (_kind, n) => {
    const text = noVerdictText(n);
    expect(text.trim()).not.toBe('');
    expect(text).not.toMatch(/undefined|\bnull\b|NaN|\[object Object\]/);
  });

  it('says what failed and for how long', () => {
    expect(noVerdictText(NO_VERDICT['not-steady'])).toBe(
      'no verdict: the steady state did not hold before the attack (api: HTTP 500; --force)',
    );
    const recovered: Verdict = {
      kind: 'recovered',
      detectedAt: 1,
      ttdMs: 30_000,
      recoveredAt: 2,
      ttrMs: 90_000,
      failing: FAILING,
    };
    expect(verdictDetail(recovered, 300_000)).toBe('detected after 30s (api: HTTP 500), recovered 1m 30s later');
    expect(verdictDetail({ kind: 'held' }, 300_000)).toBe('no probe failed');
  });
});
