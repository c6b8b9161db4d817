import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { configProblems } from '../support/config-problems.js';
import { REPO, testConfig, writeTestConfig } from '../support/test-config.js';

const DAY = 86_400_000;

const problems = (fn: () => unknown): string => configProblems(fn).join('\n');

describe('retention config', () => {
  it('keeps ticks and health samples 30 days by default', () => {
    expect(testConfig().retention).toEqual({ ticks: 30 * DAY, health: 30 * DAY });
    expect(loadConfig(join(REPO, 'config', 'chaoscat.yaml')).retention).toEqual({ ticks: 30 * DAY, health: 30 * DAY });
  });

  it.each([
    ['90d', 90 * DAY],
    ['36h', 36 * 3_600_000],
    ['1d12h', 1.5 * DAY],
    ['off', null],
  ])('reads %s', (text, ms) => {
    expect(testConfig({ retention: { ticks: text } }).retention).toEqual({ ticks: ms, health: 30 * DAY });
  });

  it.each([
    ['thirty days', /retention\.ticks.*expected an age such as "30d", "36h" or "off", got "thirty days"/],
    ['', /retention\.ticks.*expected an age/],
    [30, /retention\.ticks.*expected an age such as "30d", "36h" or "off" \(a number needs its unit\)/],
    ['12h', /retention\.ticks.*expected at least "1d" \(reports read a whole day\), got "12h"/],
  ])('refuses ticks: %j, naming the field', (text, message) => {
    expect(problems(() => testConfig({ retention: { ticks: text } }))).toMatch(message);
  });

  it('names an unknown key, such as attacks (always kept)', () => {
    expect(problems(() => testConfig({ retention: { attacks: '30d' } }))).toMatch(/retention.*attacks/);
  });

  it('docs/using.md: the retention example loads', () => {
    const readme = readFileSync(join(REPO, 'docs', 'using.md'), 'utf8');
    const block = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => m[1] as string)
      .find((b) => b.includes('retention:'));
    expect(block).toBeDefined();
    expect(loadConfig(writeTestConfig(parse(block as string)).file).retention).toEqual({ ticks: 30 * DAY, health: 30 * DAY });
  });
});
