import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { configPathFrom, loadConfig } from '../../src/config/load.js';
import { REPO, writeTestConfig } from '../support/test-config.js';

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('loads the shipped example: dry run on, the attack library present', () => {
    const config = loadConfig(join(REPO, 'config', 'chaoscat.yaml'));
    expect(config.dryRun).toBe(true);
    expect(config.schedule.cooldown).toBe(600_000);
    expect(config.database).toBe(join(REPO, 'data', 'chaoscat.db'));
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('parses durations 90s, 10m, 1h', () => {
    const { file } = writeTestConfig({ schedule: { cooldown: '90s', healthInterval: '1h', healthTimeout: '10m' } });
    const config = loadConfig(file);
    expect([config.schedule.cooldown, config.schedule.healthInterval, config.schedule.healthTimeout]).toEqual([
      90_000, 3_600_000, 600_000,
    ]);
  });

  it.each([
    [{ timezone: 'Mars/Olympus' }, /chaoscat\.yaml: timezone: expected an IANA time zone/],
    [{ businessHours: { start: '25:00' } }, /chaoscat\.yaml: businessHours\.start: expected a 24-hour time "HH:MM"/],
    [{ businessHours: { days: ['funday'] } }, /chaoscat\.yaml: businessHours\.days\[0\]: /],
    [{ businessHours: { holidays: ['25/12/2026'] } }, /businessHours\.holidays\[0\]: expected a date "YYYY-MM-DD"/],
    [
      { schedule: { cooldown: 'ten minutes' } },
      /schedule\.cooldown: expected a duration such as "90s", "10m" or "1h", got "ten minutes"/,
    ],
    [{ schedule: { tick: 'every minute' } }, /schedule\.tick: expected a cron expression/],
    [{ hosts: [{ name: 'web 1', address: 'x' }] }, /hosts\[0\]\.name: expected a name of letters/],
    [{ hosts: [{ name: 'a', address: 'x', port: 70000 }] }, /hosts\[0\]\.port: /],
    [{ dryRun: 'yes' }, /dryRun: /],
    [{ databse: 'x.db' }, /\(top level\): unknown field\(s\) "databse"/],
    [
      { health: [{ kind: 'pagerduty', tokenEnv: 'pd-token-123', serviceIds: ['P1'] }] },
      /health\[0\]\.tokenEnv: expected the NAME of an environment variable/,
    ],
  ])('names the file, the field and what was expected: %j', (override, message) => {
    const { file } = writeTestConfig(override as Record<string, unknown>);
    const all = problems(() => loadConfig(file)).join('\n');
    expect(all).toMatch(message);
    expect(all).toContain('chaoscat.yaml');
  });

  it('refuses duplicate host names', () => {
    const host = { name: 'web-1', address: '10.0.0.1' };
    const { file } = writeTestConfig({ hosts: [host, host] });
    expect(problems(() => loadConfig(file)).join('\n')).toMatch(/hosts\[1\]\.name: "web-1" is used twice/);
  });

  it('refuses an invalid attack file naming the file and the field', () => {
    const { file } = writeTestConfig({}, [
      { name: 'ok', weight: 1 },
      { name: 'too-long', duration: '2h' },
      { name: 'negative', weight: -1 },
      { name: 'bad-param', params: { SIZE: '1; rm -rf /' } },
    ]);
    const all = problems(() => loadConfig(file)).join('\n');
    expect(all).toMatch(/attacks\/too-long\.yaml: duration: expected a duration above 0 and at most 1h/);
    expect(all).toMatch(/attacks\/negative\.yaml: weight: /);
    expect(all).toMatch(/attacks\/bad-param\.yaml: params\.SIZE: expected a plain value/);
  });

  it('refuses two attacks with one name', () => {
    const { file, dir } = writeTestConfig({}, [{ name: 'cpu-burn', weight: 1 }]);
    writeFileSync(
      join(dir, 'attacks', 'copy.yaml'),
      'name: cpu-burn\ndescription: x\nweight: 1\nduration: 1s\nrun: "true"\nrollback: "true"\n',
    );
    expect(problems(() => loadConfig(file)).join('\n')).toMatch(
      /cpu-burn\.yaml: name: "cpu-burn" is already used by .*copy\.yaml/,
    );
  });

  it('reports broken YAML and a missing file plainly', () => {
    const { file } = writeTestConfig();
    writeFileSync(file, 'dryRun: [true\n');
    expect(problems(() => loadConfig(file)).join('\n')).toMatch(/chaoscat\.yaml: invalid YAML/);
    expect(problems(() => loadConfig('/nonexistent/chaoscat.yaml')).join('\n')).toMatch(/cannot read: file not found/);
  });

  it('takes --config, then CHAOSCAT_CONFIG, then the default path', () => {
    expect(configPathFrom(['--config', 'a.yaml'], { CHAOSCAT_CONFIG: 'b.yaml' })).toBe('a.yaml');
    expect(configPathFrom(['--config=c.yaml'], {})).toBe('c.yaml');
    expect(configPathFrom([], { CHAOSCAT_CONFIG: 'b.yaml' })).toBe('b.yaml');
    expect(configPathFrom([], {})).toBe('config/chaoscat.yaml');
  });
});
