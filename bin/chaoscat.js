#!/usr/bin/env node
// `chaoscat run`, `chaoscat check-config`, `chaoscat export --since DATE`, `chaoscat backup PATH`: the compiled entry (dist/bundle/,
// made by `npm run build`). Plain Node, no TypeScript loader: less memory and a faster start than
// `npm start`, which runs the sources through tsx for development.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { runBundle } from './code-cache.js';

const bundle = fileURLToPath(new URL('../dist/bundle/main.vm.js', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write(
    'chaoscat: dist/bundle/main.vm.js not found: run `npm run build` first (or `npm start` to run the TypeScript sources)\n',
  );
  // 2, like a configuration error: restarting cannot fix it (systemd: RestartPreventExitStatus=2).
  process.exit(2);
}
// Node 22.1+ caches the compiled code of every module it loads (Bolt, ssh2, prom-client… stay outside
// the bundle) in NODE_COMPILE_CACHE or the OS temp dir; it never fails the start. Node 20 has no such
// cache: there only the bundle's own (bin/code-cache.js) helps.
module.enableCompileCache?.();
runBundle(bundle, `${bundle}.cache`);
