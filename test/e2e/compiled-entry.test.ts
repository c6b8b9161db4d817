import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
    cpSync(join(REPO, 'bin'), join(bare, 'bin'), { recursive: true });
    cpSync(join(REPO, 'package.json'), join(bare, 'package.json'));
    const { code, stdout, stderr } = await runBot(['--help'], '', {}, 60_000, [join(bare, 'bin', 'chaoscat.js')]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^chaoscat: dist\/bundle\/main\.vm\.js not found: run `npm run build` first/);
  });

  describe('its code cache (bin/code-cache.js)', () => {
    /** A copy of the built install whose bundle and cache a test may change. */
    const copyInstall = () => {
      const copy = tempDir('chaoscat-cache-');
      cpSync(dirname(dirname(entry)), copy, { recursive: true, verbatimSymlinks: true });
      return { entry: join(copy, 'bin', 'chaoscat.js'), bundle: join(copy, 'dist', 'bundle', 'main.vm.js') };
    };

    it('is made by the build for this bundle and this Node', () => {
      const bundle = join(dirname(dirname(entry)), 'dist', 'bundle', 'main.vm.js');
      const cache = readFileSync(`${bundle}.cache`);
      const end = cache.indexOf('\n');
      const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
      expect(cache.subarray(0, end).toString()).toBe(
        `chaoscat-code-cache ${process.version} ${process.platform}-${process.arch} ${sha(readFileSync(bundle))} ${sha(cache.subarray(end + 1))}`,
      );
    });

    // V8 checks only the source's length: a cache kept from another bundle would run that bundle's code.
    it('is ignored when made from another bundle, even one of the same length', async () => {
      const copy = copyInstall();
      const source = readFileSync(copy.bundle, 'utf8');
      expect(source.split('Config OK:')).toHaveLength(2);
      writeFileSync(copy.bundle, source.replace('Config OK:', 'Config KO:'));
      const { file } = writeTestConfig();
      const checked = await runBot(['check-config', '--config', file], '', {}, 60_000, [copy.entry]);
      expect(checked.code).toBe(0);
      expect(checked.stdout).toMatch(/Config KO/);
    });

    it('is ignored when damaged, or when it is missing', async () => {
      const copy = copyInstall();
      const cache = readFileSync(`${copy.bundle}.cache`);
      // One byte changed in V8's data, after the right first line: V8 itself may not notice.
      const at = cache.indexOf('\n') + Math.floor((cache.length - cache.indexOf('\n')) / 2);
      cache[at] = (cache[at] ?? 0) ^ 0xff;
      writeFileSync(`${copy.bundle}.cache`, cache);
      const { file } = writeTestConfig();
      const damaged = await runBot(['check-config', '--config', file], '', {}, 60_000, [copy.entry]);
      expect(damaged.code).toBe(0);
      expect(damaged.stdout).toMatch(/Config OK/);
      rmSync(`${copy.bundle}.cache`);
      const missing = await runBot(['check-config', '--config', file], '', {}, 60_000, [copy.entry]);
      expect(missing.code).toBe(0);
      expect(missing.stdout).toMatch(/Config OK/);
    });
  });
});
