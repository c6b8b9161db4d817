import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configPathFrom, loadCatalogue, loadConfig } from '../../src/config/load.js';
import { tempDir } from '../support/cleanup.js';
import { configProblems } from '../support/config-problems.js';
import { REPO, testConfig, writeTestConfig } from '../support/test-config.js';

const problems = configProblems;

describe('config', () => {
  it('loads the shipped example: dry run on, the attack library present', () => {
    const config = loadConfig(join(REPO, 'config', 'chaoscat.yaml'));
    expect(config.dryRun).toBe(true);
    expect(config.schedule.cooldown).toBe(600_000);
    expect(config.database).toBe(join(REPO, 'data', 'chaoscat.db'));
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('takes 24:00 as the end of business hours: 00:00–24:00 is the whole day', () => {
    const { file } = writeTestConfig({ businessHours: { start: '00:00', end: '24:00' } });
    expect(loadConfig(file).businessHours).toMatchObject({ start: '00:00', end: '24:00' });
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
    [{ businessHours: { start: '24:00' } }, /chaoscat\.yaml: businessHours\.start: expected a 24-hour time "HH:MM"/],
    [
      { businessHours: { end: '24:30' } },
      /businessHours\.end: expected a 24-hour time "HH:MM" \(or "24:00" for the end of the day\)/,
    ],
    [{ businessHours: { days: ['funday'] } }, /chaoscat\.yaml: businessHours\.days\[0\]: /],
    [{ businessHours: { holidays: ['25/12/2026'] } }, /businessHours\.holidays\[0\]: expected a date "YYYY-MM-DD"/],
    [
      { schedule: { cooldown: 'ten minutes' } },
      /schedule\.cooldown: expected a duration such as "90s", "10m" or "1h", got "ten minutes"/,
    ],
    [
      { schedule: { cooldown: 10 } },
      /schedule\.cooldown: expected a duration with its unit, such as "10s" or "10m" \(a bare number has none\), got 10$/m,
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

  describe('steady state: steadyState, recovery, abortOnDeviation and verdict.*', () => {
    it('loads an attack with its own probes, recovery window and abortOnDeviation; probe names default to <attack>-<kind>-<n>', () => {
      const { file } = writeTestConfig({ verdict: { recoveryWindow: '10m', probeInterval: '2s' } }, [
        {
          name: 'checkout-kill',
          steadyState: [
            { kind: 'http', url: 'http://checkout.internal/healthz', timeout: '2s' },
            { kind: 'command', name: 'checkout-running', command: ['pgrep', '-x', 'checkout'] },
            { kind: 'prometheus', url: 'http://prometheus:9090', query: 'job:errors:ratio5m{job="checkout"} > 0.01' },
          ],
          recovery: '2m',
          abortOnDeviation: true,
        },
        { name: 'cpu-burn' },
      ]);
      const config = loadConfig(file);
      const kill = config.attacks.find((a) => a.name === 'checkout-kill');
      expect(kill).toMatchObject({
        probes: ['checkout-kill-http-1', 'checkout-running', 'checkout-kill-prometheus-3'],
        recoveryMs: 120_000,
        abortOnDeviation: true,
      });
      expect(config.steadyState['checkout-kill']?.map((p) => [p.name, p.kind, p.timeout])).toEqual([
        ['checkout-kill-http-1', 'http', 2_000],
        ['checkout-running', 'command', 2_000],
        ['checkout-kill-prometheus-3', 'prometheus', 2_000],
      ]);
      // Without them: no probes of its own, the global window, observed only.
      expect(config.attacks.find((a) => a.name === 'cpu-burn')).toMatchObject({
        probes: [],
        recoveryMs: null,
        abortOnDeviation: false,
      });
      expect(config.verdict).toEqual({ recoveryWindow: 600_000, probeInterval: 2_000, haltOnNotRecovered: true });
    });

    it('defaults verdict to a 5m window, probes every 5s, and a halt when not recovered', () => {
      expect(loadConfig(writeTestConfig().file).verdict).toEqual({
        recoveryWindow: 300_000,
        probeInterval: 5_000,
        haltOnNotRecovered: true,
      });
    });

    it.each([
      [
        { steadyState: [{ kind: 'http', url: 'ftp://checkout.internal/' }] },
        /steadyState\[0\]\.url: expected an http\(s\) URL, got "ftp:/,
      ],
      [
        { steadyState: [{ kind: 'http', url: 'http://admin:pw@checkout.internal/' }] },
        /steadyState\[0\]\.url: put no credentials in the URL/,
      ],
      [
        { steadyState: [{ kind: 'command', command: ['true'], timeout: '0s' }] },
        /steadyState\[0\]\.timeout: a timeout must be longer than 0/,
      ],
      [{ steadyState: [{ kind: 'command', command: 'pgrep nginx' }] }, /steadyState\[0\]\.command: .*expected array/],
      [{ steadyState: [{ kind: 'http', url: 'http://x/', expect: 200 }] }, /steadyState\[0\]: unknown field\(s\) "expect"/],
      [
        { steadyState: [{ kind: 'ping', url: 'http://x/' }] },
        /steadyState\[0\]\.kind: .*'http' \| 'alertmanager' \| 'prometheus' \| 'pagerduty' \| 'command'/,
      ],
      [
        { steadyState: [{ kind: 'pagerduty', tokenEnv: 'u+abc123', serviceIds: ['P1'] }] },
        /steadyState\[0\]\.tokenEnv: expected the NAME of an environment variable/,
      ],
      [
        {
          steadyState: [
            { kind: 'command', name: 'svc', command: ['true'] },
            { kind: 'command', name: 'svc', command: ['false'] },
          ],
        },
        /steadyState\[1\]\.name: "svc" is used twice/,
      ],
      [{ recovery: '2h' }, /recovery: expected a duration above 0 and at most 1h/],
      [{ recovery: 'soon' }, /recovery: expected a duration such as "90s", "10m" or "1h", got "soon"/],
      [{ abortOnDeviation: 'yes' }, /abortOnDeviation: .*expected boolean/],
    ])('refuses a bad steady state naming the attack file and the field: %j', (fields, message) => {
      const { file } = writeTestConfig({}, [{ name: 'checkout-kill', ...fields }]);
      const all = problems(() => loadConfig(file)).join('\n');
      expect(all).toMatch(message);
      expect(all).toMatch(/attacks\/checkout-kill\.yaml: /);
    });

    it.each([
      [{ verdict: { probeInterval: 'often' } }, /chaoscat\.yaml: verdict\.probeInterval: expected a duration such as "90s"/],
      [{ verdict: { recoveryWindow: '5 minutes' } }, /chaoscat\.yaml: verdict\.recoveryWindow: expected a duration/],
      [{ verdict: { haltOnNotRecovered: 'no' } }, /chaoscat\.yaml: verdict\.haltOnNotRecovered: /],
      [{ verdict: { window: '5m' } }, /chaoscat\.yaml: verdict: unknown field\(s\) "window"/],
    ])('refuses a bad verdict setting naming the field: %j', (override, message) => {
      const { file } = writeTestConfig(override);
      expect(problems(() => loadConfig(file)).join('\n')).toMatch(message);
    });
  });

  describe('documented steady-state examples load', () => {
    /** The commented `# steadyState:` example of a shipped attack file, uncommented in place. */
    function uncommented(text: string): string | null {
      const lines = text.split('\n');
      const start = lines.indexOf('# steadyState:');
      if (start < 0) return null;
      let end = start + 1;
      while (end < lines.length && /^#( {3}| recovery:| abortOnDeviation:)/.test(lines[end] ?? '')) end++;
      const example = lines.slice(start, end).map((l) => l.slice(2));
      return [...lines.slice(0, start), ...example, ...lines.slice(end)].join('\n');
    }

    const shipped = readdirSync(join(REPO, 'attacks')).filter((f) => f.endsWith('.yaml'));

    it('the shipped attacks with a natural steady state document one, commented out', () => {
      const documented = shipped.filter((f) => uncommented(readFileSync(join(REPO, 'attacks', f), 'utf8')) !== null);
      expect(documented.sort()).toEqual([
        'dns-failure.yaml',
        'network-blackhole.yaml',
        'network-latency.yaml',
        'packet-loss.yaml',
        'process-kill.yaml',
        'service-restart.yaml',
      ]);
    });

    it.each(
      shipped.map((f) => [f, readFileSync(join(REPO, 'attacks', f), 'utf8')] as const).filter(([, t]) => uncommented(t) !== null),
    )('%s: its example, uncommented, is a valid steady state', (file, text) => {
      const dir = tempDir('chaoscat-test-');
      mkdirSync(join(dir, 'attacks'));
      writeFileSync(join(dir, 'attacks', file), uncommented(text) ?? '');
      const { attacks, steadyState } = loadCatalogue(join(dir, 'attacks'));
      const [attack] = attacks;
      expect(attack?.probes.length).toBeGreaterThan(0);
      expect(attack?.recoveryMs).not.toBeNull();
      expect(steadyState[attack?.name ?? '']?.map((p) => p.kind)).toContain('http');
    });

    it('config/chaoscat.yaml: the commented verdict example, uncommented, loads and keeps dry run', () => {
      const text = readFileSync(join(REPO, 'config', 'chaoscat.yaml'), 'utf8');
      const lines = text.split('\n');
      const start = lines.findIndex((l) => l.startsWith('# verdict:'));
      expect(start).toBeGreaterThan(0);
      let end = start + 1;
      while (lines[end]?.startsWith('#   ')) end++;
      const example = lines.slice(start, end).map((l) => l.slice(2));
      const file = join(tempDir('chaoscat-test-'), 'chaoscat.yaml');
      const uncommented = [...lines.slice(0, start), ...example, ...lines.slice(end)].join('\n');
      writeFileSync(file, uncommented.replace('attacks: ../attacks/', `attacks: ${join(REPO, 'attacks')}`));
      const config = loadConfig(file);
      expect(config.dryRun).toBe(true);
      expect(config.verdict).toEqual({ recoveryWindow: 300_000, probeInterval: 5_000, haltOnNotRecovered: true });
    });

    it('docs/attacks.md: the template of "Adding an attack", steady-state keys included, loads', () => {
      const doc = readFileSync(join(REPO, 'docs', 'attacks.md'), 'utf8');
      const section = doc.slice(doc.indexOf('## Adding an attack'));
      const template = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
      expect(template).toMatch(/^steadyState:/m);
      const dir = tempDir('chaoscat-test-');
      mkdirSync(join(dir, 'attacks'));
      writeFileSync(join(dir, 'attacks', 'my-attack.yaml'), template);
      expect(loadCatalogue(join(dir, 'attacks')).attacks[0]).toMatchObject({ name: 'my-attack', probes: [] });
    });

    it('docs/attacks.md: every attack-file and config example of "Writing a steady state" loads', () => {
      const doc = readFileSync(join(REPO, 'docs', 'attacks.md'), 'utf8');
      const section = doc.slice(doc.indexOf('## Writing a steady state'));
      const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1] ?? '') as Record<string, unknown>);
      const attackExamples = blocks.filter((b) => 'steadyState' in b || 'recovery' in b || 'abortOnDeviation' in b);
      const configExamples = blocks.filter((b) => 'verdict' in b);
      expect(attackExamples.length).toBeGreaterThan(0);
      expect(configExamples.length).toBeGreaterThan(0);
      for (const [i, example] of attackExamples.entries()) {
        const { file } = writeTestConfig({}, [{ name: `example-${i}`, ...example, weight: 1 }]);
        expect(() => loadConfig(file), JSON.stringify(example)).not.toThrow();
      }
      for (const example of configExamples) {
        const { file } = writeTestConfig(example);
        expect(() => loadConfig(file), JSON.stringify(example)).not.toThrow();
      }
    });
  });
});

describe('verdict settings', () => {
  it.each([
    [{ probeInterval: '0s' }, 'verdict.probeInterval: expected probeInterval of at least 100ms'],
    [
      { probeInterval: '10m', recoveryWindow: '5m' },
      'verdict.probeInterval: expected probeInterval no longer than recoveryWindow',
    ],
  ])('refuses %j with a message naming the field', (verdict, message) => {
    expect(() => testConfig({ verdict })).toThrow(message);
  });
});
