import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBot } from '../support/run-bot.js';
import { REPO } from '../support/test-config.js';

/** The command line refuses what it does not know (issue 27): never the default config for a typo. */
describe('the command line', () => {
  const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

  it('exits 2 for an unknown option, naming it, and validates nothing', async () => {
    const r = await runBot(['check-config', '--confg', '/etc/x.yaml'], '');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("check-config: Unknown option '--confg'");
    expect(r.stderr).toContain('Usage: chaoscat');
    expect(r.stdout).not.toContain('Config OK');
  });

  it.each([
    ['--version'],
    ['-v'],
    ['check-config', '--version'],
  ])('%s prints the version and exits 0, starting nothing', async (...args) => {
    const r = await runBot(args, '');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`chaoscat ${version}\n`);
  });

  it('exits 2 with the usage for an unknown command or a stray word', async () => {
    const unknown = await runBot(['frobnicate'], '');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"; commands: run, check-config, export, backup, hosts, run-once/);
    const stray = await runBot(['check-config', 'extra'], '');
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('check-config: unexpected "extra"');
  });
});
