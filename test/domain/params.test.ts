import { describe, expect, it } from 'vitest';
import type { AttackDef } from '../../src/domain/model.js';
import { boundProblem, checkParams } from '../../src/domain/params.js';

const attack: AttackDef = {
  name: 'network-latency',
  description: 'delay',
  weight: 1,
  durationMs: 1000,
  targets: [],
  requires: [],
  sudo: false,
  params: { DELAY_MS: '200', SIGNAL: 'KILL', IFACE: 'auto' },
  paramSpecs: {
    DELAY_MS: { default: '200', min: 1, max: 10000, unit: 'ms' },
    SIGNAL: { default: 'KILL', enum: ['KILL', 'TERM'] },
  },
  hostVars: [],
  run: 'true',
  rollback: 'true',
  file: 'network-latency.yaml',
  probes: [],
  recoveryMs: null,
  abortOnDeviation: false,
};

describe('checkParams', () => {
  it('refuses a value that could be read as an option, naming the parameter (run-once IFACE=-x)', () => {
    expect(checkParams(attack, { iface: '-x' })).toEqual({
      ok: false,
      reason: 'IFACE=-x starts with "-", which a command could read as an option',
    });
    expect(checkParams(attack, { DELAY_MS: '-5' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^DELAY_MS=-5 starts/),
    });
  });

  it.each([
    ['no override keeps the defaults', {}, { DELAY_MS: '200', SIGNAL: 'KILL', IFACE: 'auto' }],
    ['a value within bounds', { DELAY_MS: '800' }, { DELAY_MS: '800', SIGNAL: 'KILL', IFACE: 'auto' }],
    ['the max itself', { DELAY_MS: '10000' }, { DELAY_MS: '10000', SIGNAL: 'KILL', IFACE: 'auto' }],
    ['the min itself', { DELAY_MS: '1' }, { DELAY_MS: '1', SIGNAL: 'KILL', IFACE: 'auto' }],
    ['a listed value', { SIGNAL: 'TERM' }, { DELAY_MS: '200', SIGNAL: 'TERM', IFACE: 'auto' }],
    ['a name in any case', { delay_ms: '5' }, { DELAY_MS: '5', SIGNAL: 'KILL', IFACE: 'auto' }],
    ['a short-form parameter takes any plain value', { IFACE: 'eth0' }, { DELAY_MS: '200', SIGNAL: 'KILL', IFACE: 'eth0' }],
  ])('accepts %s', (_name, overrides, values) => {
    expect(checkParams(attack, overrides)).toEqual({ ok: true, values });
  });

  it.each([
    ['above its max', { DELAY_MS: '20000' }, 'DELAY_MS=20000 is above its max 10000 ms'],
    ['below its min', { DELAY_MS: '0' }, 'DELAY_MS=0 is below its min 1 ms'],
    ['not a number', { DELAY_MS: 'fast' }, 'DELAY_MS=fast is not a number of ms'],
    ['not in the list', { SIGNAL: 'STOP' }, 'SIGNAL=STOP is not one of KILL, TERM'],
    ['an unknown name', { RATE: '5' }, 'network-latency has no parameter RATE (its parameters: DELAY_MS, SIGNAL, IFACE)'],
    [
      'shell characters',
      { IFACE: 'eth0;reboot' },
      'IFACE=eth0;reboot is not a plain value (letters, digits and @._:/,+=- only, no spaces or shell characters)',
    ],
    ['a command substitution', { IFACE: '$(id)' }, expect.stringContaining('is not a plain value')],
  ])('refuses a value %s, naming the bound', (_name, overrides, reason) => {
    expect(checkParams(attack, overrides)).toEqual({ ok: false, reason });
  });

  it('says when an attack takes no parameters', () => {
    expect(checkParams({ ...attack, params: {}, paramSpecs: {} }, { X: '1' })).toEqual({
      ok: false,
      reason: 'network-latency has no parameter X (it takes no parameters)',
    });
  });

  it('refuses a value longer than 100 characters', () => {
    expect(boundProblem('IFACE', 'a'.repeat(101), undefined)).toBe('IFACE is longer than 100 characters');
  });
});
