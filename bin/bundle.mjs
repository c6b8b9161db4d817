#!/usr/bin/env node
// `npm run build`, second step: dist/ (tsc's output) → dist/bundle/, what bin/chaoscat.js runs.
// Why: zod alone is some 95 ES modules, and Node loads each file on its own; one bundle of our code
// with zod, yaml and luxon starts the bot markedly faster (issue 14's goal: start-to-ready ≤ 300 ms,
// `npm run bench`). Native modules, and libraries that find files or workers of their own at run
// time, stay in node_modules. Usage: node bin/bundle.mjs [DIST_DIR] (default: dist next to bin/).
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dist = process.argv[2] ?? fileURLToPath(new URL('../dist', import.meta.url));
// esbuild names chunks by content: clear the last build's, or they pile up.
rmSync(`${dist}/bundle`, { recursive: true, force: true });
await build({
  entryPoints: [`${dist}/main.js`],
  outdir: `${dist}/bundle`,
  bundle: true,
  // Split at our own lazy imports (Slack, SSH, charts, web, metrics): a console start loads none of them.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  external: [
    'better-sqlite3',
    'ssh2',
    'cpu-features',
    '@resvg/resvg-js',
    'echarts',
    '@slack/bolt',
    'prom-client',
    'node-cron',
    'pino',
  ],
  // A CommonJS library inside an ES bundle may still call require() for Node's own modules.
  banner: {
    js: "import { createRequire as __chaoscatRequire } from 'node:module'; const require = __chaoscatRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
