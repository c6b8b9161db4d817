import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { configProblems as problems } from '../support/config-problems.js';
import { writeTestConfig } from '../support/test-config.js';

describe('attack files: long-form params, target selectors, blastRadius', () => {
  it('loads the long forms and keeps the short ones', () => {
    const { file } = writeTestConfig({}, [
      {
        name: 'latency',
        targets: { tags: ['web'], names: '^web-[0-9]+$', exclude: ['web-canary'] },
        params: {
          DELAY_MS: { default: 200, min: 1, max: 10000, unit: 'ms', description: 'added delay per packet' },
          SIGNAL: { default: 'KILL', enum: ['KILL', 'TERM'] },
          IFACE: 'auto',
        },
        blastRadius: { percent: 30, max: 5 },
      },
      { name: 'short', targets: ['db'], params: { SIZE_MB: 64 } },
    ]);
    const config = loadConfig(file);
    const latency = config.attacks.find((a) => a.name === 'latency');
    expect(latency).toMatchObject({
      targets: ['web'],
      names: '^web-[0-9]+$',
      exclude: ['web-canary'],
      params: { DELAY_MS: '200', SIGNAL: 'KILL', IFACE: 'auto' },
      paramSpecs: {
        DELAY_MS: { default: '200', min: 1, max: 10000, unit: 'ms', description: 'added delay per packet' },
        SIGNAL: { default: 'KILL', enum: ['KILL', 'TERM'] },
      },
      blastRadius: { percent: 30, max: 5 },
    });
    const short = config.attacks.find((a) => a.name === 'short');
    expect(short?.targets).toEqual(['db']);
    expect(short?.params).toEqual({ SIZE_MB: '64' });
    expect(short?.blastRadius).toBeUndefined();
    expect(short?.names).toBeUndefined();
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'a default above its max',
      { params: { D: { default: 20000, max: 10000, unit: 'ms' } } },
      /params\.D\.default: the default breaks its own bounds: D=20000 is above its max 10000 ms/,
    ],
    [
      'a default not in its list',
      { params: { S: { default: 'STOP', enum: ['KILL'] } } },
      /params\.S\.default: .*S=STOP is not one of KILL/,
    ],
    ['min above max', { params: { D: { default: 5, min: 10, max: 1 } } }, /params\.D\.min: expected at most max \(1\), got 10/],
    [
      'enum and bounds together',
      { params: { D: { default: 1, min: 1, enum: ['1'] } } },
      /params\.D: expected either enum or min\/max, not both/,
    ],
    ['an unknown field in a parameter', { params: { D: { default: 1, maks: 3 } } }, /params\.D/],
    [
      'a names pattern that is not anchored',
      { targets: { names: 'web-.*' } },
      /targets(\.names)?: .*anchored regular expression/,
    ],
    [
      'a names pattern that does not compile',
      { targets: { names: '^web-[$' } },
      /targets\.names: expected a valid regular expression/,
    ],
    [
      'count and percent together',
      { blastRadius: { count: 1, percent: 50 } },
      /blastRadius: expected either count or percent, not both/,
    ],
    ['a count above max', { blastRadius: { count: 3, max: 2 } }, /blastRadius\.count: expected at most max \(2\), got 3/],
    [
      'a percent above 100',
      { blastRadius: { percent: 150 } },
      /blastRadius\.percent: expected a percentage above 0 and at most 100/,
    ],
  ])('refuses %s, naming the file and the field', (_name, fields, message) => {
    const { file } = writeTestConfig({}, [{ name: 'bad', ...fields }]);
    const all = problems(() => loadConfig(file)).join('\n');
    expect(all).toMatch(/attacks\/bad\.yaml: /);
    expect(all).toMatch(message);
  });
});
