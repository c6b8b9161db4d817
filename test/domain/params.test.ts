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
      problem: { kind: 'option-like', name: 'IFACE', shown: '-x' },
    });
    expect(checkParams(attack, { DELAY_MS: '-5' })).toEqual({
      ok: false,
      problem: { kind: 'option-like', name: 'DELAY_MS', shown: '-5' },
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
    ['above its max', { DELAY_MS: '20000' }, { kind: 'above-max', name: 'DELAY_MS', shown: '20000', bound: 10000, unit: 'ms' }],
    ['below its min', { DELAY_MS: '0' }, { kind: 'below-min', name: 'DELAY_MS', shown: '0', bound: 1, unit: 'ms' }],
    ['not a number', { DELAY_MS: 'fast' }, { kind: 'not-a-number', name: 'DELAY_MS', shown: 'fast', unit: 'ms' }],
    ['not in the list', { SIGNAL: 'STOP' }, { kind: 'not-listed', name: 'SIGNAL', shown: 'STOP', list: ['KILL', 'TERM'] }],
    [
      'an unknown name',
      { RATE: '5' },
      { kind: 'unknown-param', attack: 'network-latency', typed: 'RATE', known: ['DELAY_MS', 'SIGNAL', 'IFACE'] },
    ],
    ['shell characters', { IFACE: 'eth0;reboot' }, { kind: 'not-plain', name: 'IFACE', shown: 'eth0;reboot' }],
    ['a command substitution', { IFACE: '$(id)' }, { kind: 'not-plain', name: 'IFACE', shown: '$(id)' }],
  ])('refuses a value %s, naming the bound', (_name, overrides, problem) => {
    expect(checkParams(attack, overrides)).toEqual({ ok: false, problem });
  });

  it('says when an attack takes no parameters', () => {
    expect(checkParams({ ...attack, params: {}, paramSpecs: {} }, { X: '1' })).toEqual({
      ok: false,
      problem: { kind: 'unknown-param', attack: 'network-latency', typed: 'X', known: [] },
    });
  });

  it('refuses a value longer than 100 characters', () => {
    expect(boundProblem('IFACE', 'a'.repeat(101), undefined)).toEqual({ kind: 'too-long', name: 'IFACE', max: 100 });
  });

  it('cuts what it shows back at 40 characters', () => {
    expect(boundProblem('SIGNAL', 'A'.repeat(50), attack.paramSpecs?.SIGNAL)).toMatchObject({ shown: `${'A'.repeat(40)}…` });
    expect(checkParams(attack, { ['R'.repeat(50)]: '1' })).toMatchObject({ problem: { typed: `${'R'.repeat(40)}…` } });
  });

  it('a number without a unit has a null unit', () => {
    expect(boundProblem('N', 'x', { default: '1', max: 5 })).toEqual({ kind: 'not-a-number', name: 'N', shown: 'x', unit: null });
    expect(boundProblem('N', '9', { default: '1', max: 5 })).toEqual({
      kind: 'above-max',
      name: 'N',
      shown: '9',
      bound: 5,
      unit: null,
    });
  });
});
