import { describe, expect, it } from 'vitest';
import type { BlastCap } from '../../src/domain/blast-radius.js';
import type { ParamProblem } from '../../src/domain/params.js';
import { blastCapText } from '../../src/words/announcements.js';
import { paramProblemText } from '../../src/words/arg-problems.js';

const BROKEN = /undefined|\bnull\b|\[object Object\]|NaN/;

/** Samples per kind: a new kind fails to type-check here until it has one. */
type Samples<T extends { kind: string }> = { readonly [K in T['kind']]: readonly Extract<T, { kind: K }>[] };

const PARAMS: Samples<ParamProblem> = {
  'too-long': [{ kind: 'too-long', name: 'IFACE', max: 100 }],
  'not-plain': [{ kind: 'not-plain', name: 'IFACE', shown: 'eth0;reboot' }],
  'option-like': [{ kind: 'option-like', name: 'IFACE', shown: '-x' }],
  'not-listed': [{ kind: 'not-listed', name: 'SIGNAL', shown: 'STOP', list: ['KILL', 'TERM'] }],
  'not-a-number': [
    { kind: 'not-a-number', name: 'DELAY_MS', shown: 'fast', unit: 'ms' },
    { kind: 'not-a-number', name: 'N', shown: 'x', unit: null },
  ],
  'below-min': [
    { kind: 'below-min', name: 'DELAY_MS', shown: '0', bound: 1, unit: 'ms' },
    { kind: 'below-min', name: 'N', shown: '0', bound: 1, unit: null },
  ],
  'above-max': [{ kind: 'above-max', name: 'DELAY_MS', shown: '20000', bound: 10000, unit: 'ms' }],
  'unknown-param': [
    { kind: 'unknown-param', attack: 'network-latency', typed: 'RATE', known: ['DELAY_MS', 'SIGNAL', 'IFACE'] },
    { kind: 'unknown-param', attack: 'network-latency', typed: 'X', known: [] },
  ],
};

const CAPS: Samples<BlastCap> = {
  eligible: [{ kind: 'eligible', asked: { kind: 'count', count: 9 }, eligible: 4 }],
  max: [
    { kind: 'max', asked: { kind: 'count', count: 2 }, max: 1 },
    { kind: 'max', asked: { kind: 'percent', percent: 50, of: 10 }, max: 2 },
  ],
  all: [{ kind: 'all', asked: { kind: 'percent', percent: 100, of: 4 }, count: 3, eligible: 4 }],
};

function sweep<T extends { kind: string }>(samples: Samples<T>, say: (a: T) => string): [string, string][] {
  return Object.values<readonly T[]>(samples)
    .flat()
    .map((a) => [a.kind, say(a)]);
}

describe('parameter problems, said from data', () => {
  const all = [...sweep(PARAMS, paramProblemText), ...sweep(CAPS, blastCapText)];

  it.each(all)('%s: said, never "undefined", "null", "NaN" or empty', (_kind, text) => {
    expect(text.trim()).not.toBe('');
    expect(text).not.toMatch(BROKEN);
  });

  it.each<[ParamProblem, string]>([
    [{ kind: 'option-like', name: 'IFACE', shown: '-x' }, 'IFACE=-x starts with "-", which a command could read as an option'],
    [
      { kind: 'above-max', name: 'DELAY_MS', shown: '20000', bound: 10000, unit: 'ms' },
      'DELAY_MS=20000 is above its max 10000 ms',
    ],
    [{ kind: 'below-min', name: 'DELAY_MS', shown: '0', bound: 1, unit: 'ms' }, 'DELAY_MS=0 is below its min 1 ms'],
    [{ kind: 'below-min', name: 'N', shown: '0', bound: 1, unit: null }, 'N=0 is below its min 1'],
    [{ kind: 'not-a-number', name: 'DELAY_MS', shown: 'fast', unit: 'ms' }, 'DELAY_MS=fast is not a number of ms'],
    [{ kind: 'not-a-number', name: 'N', shown: 'x', unit: null }, 'N=x is not a number'],
    [{ kind: 'not-listed', name: 'SIGNAL', shown: 'STOP', list: ['KILL', 'TERM'] }, 'SIGNAL=STOP is not one of KILL, TERM'],
    [
      { kind: 'unknown-param', attack: 'network-latency', typed: 'RATE', known: ['DELAY_MS', 'SIGNAL', 'IFACE'] },
      'network-latency has no parameter RATE (its parameters: DELAY_MS, SIGNAL, IFACE)',
    ],
    [
      { kind: 'unknown-param', attack: 'network-latency', typed: 'X', known: [] },
      'network-latency has no parameter X (it takes no parameters)',
    ],
    [
      { kind: 'not-plain', name: 'IFACE', shown: 'eth0;reboot' },
      'IFACE=eth0;reboot is not a plain value (letters, digits and @._:/,+=- only, no spaces or shell characters)',
    ],
    [{ kind: 'too-long', name: 'IFACE', max: 100 }, 'IFACE is longer than 100 characters'],
  ])('a parameter: %j', (problem, text) => {
    expect(paramProblemText(problem)).toBe(text);
  });

  it.each<[BlastCap, string]>([
    [{ kind: 'max', asked: { kind: 'count', count: 2 }, max: 1 }, "count 2, capped by the attack's blastRadius max 1"],
    [
      { kind: 'all', asked: { kind: 'percent', percent: 100, of: 4 }, count: 3, eligible: 4 },
      '100% of 4, capped at 3 of 4: taking every eligible host needs allowAll: true in the attack file',
    ],
    [{ kind: 'eligible', asked: { kind: 'count', count: 9 }, eligible: 4 }, 'count 9, but only 4 eligible'],
  ])('a capped blast radius: %j', (cap, text) => {
    expect(blastCapText(cap)).toBe(text);
  });
});
