import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cleanup.js';
import { expectReadmeScenario, README_INPUT } from '../support/console-scenario.js';
import { runBot } from '../support/run-bot.js';
import { REPO, writeTestConfig } from '../support/test-config.js';

/**
 * Issue 14, "Production runtime": `npm run build` (tsconfig.build.json) makes plain JavaScript that
 * bin/chaoscat.js runs without tsx. Built into a temp install laid out as the Docker image's runtime
 * stage (package.json, bin/, dist/, migrations/, node_modules/; no src/), so the repo is untouched
 * and nothing can quietly fall back to the TypeScript sources.
 */
describe('the compiled entry (bin/chaoscat.js → dist/)', () => {
  let install: string;

  beforeAll(async () => {
    install = tempDir('chaoscat-dist-');
    await promisify(execFile)(
      process.execPath,
      [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', join(install, 'dist')],
      { cwd: REPO },
    );
    cpSync(join(REPO, 'package.json'), join(install, 'package.json'));
    cpSync(join(REPO, 'bin'), join(install, 'bin'), { recursive: true });
    cpSync(join(REPO, 'migrations'), join(install, 'migrations'), { recursive: true });
    symlinkSync(join(REPO, 'node_modules'), join(install, 'node_modules'));
  }, 180_000);

  it('passes the README console scenario, as `npm start` does', async () => {
    const { dir, file } = writeTestConfig();
    const result = await runBot(['--config', file], README_INPUT, {}, 60_000, [join(install, 'bin', 'chaoscat.js')]);
    expectReadmeScenario(result, dir);
  });

  it('finds its migrations from dist/: check-config and export work too', async () => {
    const { file } = writeTestConfig();
    const checked = await runBot(['check-config', '--config', file], '', {}, 60_000, [join(install, 'bin', 'chaoscat.js')]);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toMatch(/Config OK/);
    const exported = await runBot(['export', '--since', '2026-01-01', '--config', file], '', {}, 60_000, [
      join(install, 'bin', 'chaoscat.js'),
    ]);
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
    expect(stderr).toMatch(/^chaoscat: dist\/main\.js not found: run `npm run build` first/);
  });
});
