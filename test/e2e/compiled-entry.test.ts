import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cleanup.js';
import { compiledInstall } from '../support/compiled-install.js';
import { expectReadmeScenario, README_INPUT } from '../support/console-scenario.js';
import { runBot } from '../support/run-bot.js';
import { REPO, writeTestConfig } from '../support/test-config.js';

/**
 * Issue 14, "Production runtime": `npm run build` (tsconfig.build.json) makes plain JavaScript that
 * bin/chaoscat.js runs without tsx, here in a temp install without src/ (test/support/compiled-install.ts).
 */
describe('the compiled entry (bin/chaoscat.js → dist/)', () => {
  let entry: string;

  beforeAll(async () => {
    entry = await compiledInstall(tempDir('chaoscat-dist-'));
  }, 180_000);

  it('passes the README console scenario, as `npm start` does', async () => {
    const { dir, file } = writeTestConfig();
    const result = await runBot(['--config', file], README_INPUT, {}, 60_000, [entry]);
    expectReadmeScenario(result, dir);
  });

  it('finds its migrations from dist/: check-config and export work too', async () => {
    const { file } = writeTestConfig();
    const checked = await runBot(['check-config', '--config', file], '', {}, 60_000, [entry]);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(/Config OK/);
    const exported = await runBot(['export', '--since', '2026-01-01', '--config', file], '', {}, 60_000, [entry]);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toMatch(/exported 0 attacks/);
  });

  it('exits 2 saying to build when dist/ is missing', async () => {
    const bare = tempDir('chaoscat-nodist-');
    mkdirSync(join(bare, 'bin'));
    cpSync(join(REPO, 'bin', 'chaoscat.js'), join(bare, 'bin', 'chaoscat.js'));
    cpSync(join(REPO, 'package.json'), join(bare, 'package.json'));
    const { code, stdout, stderr } = await runBot(['--help'], '', {}, 60_000, [join(bare, 'bin', 'chaoscat.js')]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^chaoscat: dist\/bundle\/main\.js not found: run `npm run build` first/);
  });
});
