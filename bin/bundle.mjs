#!/usr/bin/env node
// `npm run build`, second step: dist/ (tsc's output) → dist/bundle/main.vm.js, what bin/chaoscat.js runs,
// and its V8 code cache dist/bundle/main.vm.js.cache (bin/code-cache.js).
// Why: zod alone is some 95 ES modules, and Node loads each file on its own; one bundle of our code
// with zod, yaml and luxon, whose compiled code is cached, starts the bot markedly faster (issue 14's
// goal: start-to-ready ≤ 300 ms, `npm run bench`). Native modules, and libraries that find files or
// workers of their own at run time, stay in node_modules. CommonJS, because Node 20 caches compiled
// code only for a vm.Script; our lazy imports (Slack, SSH, charts, web, metrics) stay lazy: their
// code is in the file, but runs only when imported. The file is one function expression taking
// Node's CommonJS wrapper arguments, so bin/code-cache.js compiles it as read, without a second copy.
// Usage: node bin/bundle.mjs [DIST_DIR] (default: dist next to bin/).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dist = process.argv[2] ?? fileURLToPath(new URL('../dist', import.meta.url));
const bundle = join(dist, 'bundle', 'main.vm.js');
// A cache left from an earlier build must never sit beside a new bundle (it is also checked at start).
rmSync(join(dist, 'bundle'), { recursive: true, force: true });
await build({
  entryPoints: [join(dist, 'main.js')],
  outfile: bundle,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // import() of a library stays lazy, as a require() when it runs: a vm.Script has no ES module loader.
  supported: { 'dynamic-import': false },
  // pino is bundled: it looks for files of its own only for transports (worker threads), which the
  // bot does not use (src/adapters/system/logger.ts writes through pino.destination).
  external: ['better-sqlite3', 'ssh2', 'cpu-features', '@resvg/resvg-js', 'echarts', '@slack/bolt', 'prom-client', 'node-cron'],
  // import.meta.url (paths beside dist/, such as migrations/) is the bundle's own file URL. Strict
  // mode first: ES modules are strict, and esbuild's own "use strict" comes after the banner.
  define: { 'import.meta.url': '__chaoscatImportMetaUrl' },
  banner: {
    js: "(function (exports, require, module, __filename, __dirname) { 'use strict'; var __chaoscatImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
  },
  footer: { js: '})' },
  logLevel: 'warning',
});

// The cache holds the code of the functions that ran: the bundle checks a small config (dry run, one
// host, one attack) in a temp dir, the part of every start that reads the config.
const scratch = mkdtempSync(join(tmpdir(), 'chaoscat-build-'));
try {
  mkdirSync(join(scratch, 'attacks'));
  writeFileSync(
    join(scratch, 'attacks', 'cpu-burn.yaml'),
    'name: cpu-burn\ndescription: build\nweight: 1\nduration: 60s\ntargets: [web]\nrun: "true"\nrollback: "true"\n',
  );
  writeFileSync(
    join(scratch, 'chaoscat.yaml'),
    'dryRun: true\ntimezone: UTC\nhosts: [{ name: web-1, address: 127.0.0.1, tags: [web] }]\n',
  );
  const made = spawnSync(
    process.execPath,
    [
      fileURLToPath(new URL('code-cache.js', import.meta.url)),
      bundle,
      `${bundle}.cache`,
      'check-config',
      '--config',
      join(scratch, 'chaoscat.yaml'),
    ],
    { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'warn', CHAOSCAT_LOG_FILE: '' } },
  );
  if (made.status !== 0) {
    rmSync(`${bundle}.cache`, { force: true });
    throw new Error(
      `bundle: checking a sample config with the new bundle failed (exit ${made.status}):\n${made.stdout}${made.stderr}`,
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
