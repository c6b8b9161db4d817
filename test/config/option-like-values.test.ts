import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfig } from '../../src/config/load.js';
import { checkHost } from '../../src/domain/inventory-host.js';
import { configProblems } from '../support/config-problems.js';
import { testConfig, writeTestConfig } from '../support/test-config.js';

/** Issue 22, case 4: a value that starts with "-" could be read as an option by the command it reaches. */
describe('a var or parameter value may not start with "-"', () => {
  it('config load refuses a host var, naming the file, the host and the var', () => {
    const { file } = writeTestConfig({
      hosts: [{ name: 'web-1', address: '10.0.0.1', tags: ['web'], vars: { process: '-uroot' } }],
    });
    let error: unknown;
    try {
      loadConfig(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = `${(error as Error).message}\n${(error as ConfigError).problems.join('\n')}`;
    expect(text).toContain(file);
    expect(text).toMatch(/host web-1: var process="-uroot" starts with "-"/);
  });

  it('config load refuses a game day or attack parameter value that starts with "-"', () => {
    const problems = configProblems(() =>
      testConfig({}, [{ name: 'cpu-burn', weight: 1, duration: '30s', targets: ['web'], params: { WORKERS: '-1' } }]),
    ).join('\n');
    expect(problems).toMatch(/WORKERS.*starts with "-"/);
  });

  it('an inventory host with such a var is skipped, with a reason naming the host and the var', () => {
    const read = checkHost(
      { name: 'db-1', address: '10.0.0.2', port: 22, tags: ['db'], vars: { unit: '--help', process: 'nginx' } },
      'ansible',
    );
    expect(read).toEqual({
      ok: false,
      reason: 'host db-1: var unit="--help" starts with "-", which a command could read as an option',
    });
  });
});
