import { execFile } from 'node:child_process';
import { cpSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO } from './test-config.js';

/**
 * Compiles the sources with tsconfig.build.json (what `npm run build` does) into `dir`, laid out as
 * the Docker image's runtime stage: package.json, bin/, dist/, migrations/ and node_modules/ (a link
 * to the repo's), no src/, so nothing can quietly fall back to the TypeScript sources. The repo is
 * untouched. Returns the entry to run with node: `<dir>/bin/chaoscat.js`.
 */
export async function compiledInstall(dir: string): Promise<string> {
  const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', join(dir, 'dist')], { cwd: REPO });
  // Before the bundle: esbuild resolves zod, yaml and luxon from the install's node_modules.
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  // The second step of `npm run build`: the bundle bin/chaoscat.js runs, and its code cache.
  await promisify(execFile)(process.execPath, [join(REPO, 'bin', 'bundle.mjs'), join(dir, 'dist')], { cwd: REPO });
  cpSync(join(REPO, 'package.json'), join(dir, 'package.json'));
  cpSync(join(REPO, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(join(REPO, 'migrations'), join(dir, 'migrations'), { recursive: true });
  return join(dir, 'bin', 'chaoscat.js');
}
