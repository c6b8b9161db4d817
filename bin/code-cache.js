// Runs the compiled bundle (dist/bundle/main.vm.js) with V8's code cache, and makes that cache.
// Why: parsing and compiling the bundle was a large part of the compiled start (issue 14's goal:
// start-to-ready ≤ 300 ms, `npm run bench`). Node 20 has no compile cache of its own
// (module.enableCompileCache is Node 22), but vm.Script takes V8's `cachedData`.
//
// The cache (main.vm.js.cache, made by `npm run build`, see bin/bundle.mjs) starts with one line naming
// the Node version, the platform and the SHA-256 of the bundle it was made from. V8 itself only
// checks its own version, its flags and the source's length: a cache from another bundle of the
// same length would run that bundle's old code. So a cache whose line does not match, or that V8
// rejects, is ignored: the bundle is then compiled from its source, as without a cache.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

/** What the cache's first line must say for this bundle on this Node. */
function cacheKey(source) {
  return `chaoscat-code-cache ${process.version} ${process.platform}-${process.arch} ${createHash('sha256').update(source).digest('hex')}\n`;
}

/** The cache's V8 data when it was made from exactly this bundle on this Node, else undefined. */
function readCache(cacheFile, key) {
  let data;
  try {
    data = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const head = Buffer.from(key);
  return data.length > head.length && data.subarray(0, head.length).equals(head) ? data.subarray(head.length) : undefined;
}

/**
 * Compiles and runs the bundle `file` (one function expression taking Node's CommonJS wrapper
 * arguments, see bin/bundle.mjs), with `cacheFile`'s code when it matches. Returns the compiled
 * script and how the cache went: `used`, `rejected` (by V8), or `none` (absent, or made from another
 * bundle or Node).
 */
export function runBundle(file, cacheFile) {
  // Hashed as bytes (hashing the string would encode it again), compiled as read: no wrapper is
  // added here, so the process holds one copy of the source.
  const bytes = readFileSync(file);
  const key = cacheKey(bytes);
  const source = bytes.toString('utf8');
  const cachedData = readCache(cacheFile, key);
  const script = new Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  const cache = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
  return { script, key, cache };
}

/**
 * `node bin/code-cache.js BUNDLE CACHE ARGS…` (run by bin/bundle.mjs at build time): runs the bundle
 * with ARGS and, when the process exits, writes the code of every function it compiled to CACHE.
 */
function makeCache([file, cacheFile, ...args]) {
  process.argv = [process.argv[0], file, ...args];
  const { script, key } = runBundle(file, `${cacheFile}.none`);
  process.on('exit', () => {
    writeFileSync(cacheFile, Buffer.concat([Buffer.from(key), script.createCachedData()]));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) makeCache(process.argv.slice(2));
