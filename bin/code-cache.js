// Runs the compiled bundle (dist/bundle/main.vm.js) with V8's code cache, and makes that cache.
// Why: parsing and compiling the bundle was a large part of the compiled start (issue 14's goal:
// start-to-ready ≤ 300 ms, `npm run bench`). Node 20 has no compile cache of its own
// (module.enableCompileCache is Node 22), but vm.Script takes V8's `cachedData`.
//
// The cache (main.vm.js.cache, made by `npm run build`, see bin/bundle.mjs) starts with one line naming
// the Node version, the platform, the SHA-256 of the bundle it was made from and that of the V8 data
// after the line. V8 itself only checks its own version, its flags and the source's length: a cache
// from another bundle of the same length would run that bundle's old code, and a damaged one may not
// be noticed. So a cache whose line does not match, or that V8 rejects, is ignored: the bundle is
// then compiled from its source, as without a cache.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/** What the cache's first line must begin with for this bundle on this Node. */
function cacheKey(bundle) {
  return `chaoscat-code-cache ${process.version} ${process.platform}-${process.arch} ${sha256(bundle)}`;
}

/** The cache's V8 data when it was made from exactly this bundle on this Node and is whole, else undefined. */
function readCache(cacheFile, key) {
  let file;
  try {
    file = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const end = file.indexOf(10);
  const line = end > 0 ? file.subarray(0, end).toString('latin1') : '';
  const data = file.subarray(end + 1);
  return line.startsWith(`${key} `) && line.slice(key.length + 1) === sha256(data) ? data : undefined;
}

/** The cache file's bytes: its first line, then V8's data. */
function cacheFileBytes(key, data) {
  return Buffer.concat([Buffer.from(`${key} ${sha256(data)}\n`, 'latin1'), data]);
}

/**
 * Compiles and runs the bundle `file` (one function expression taking Node's CommonJS wrapper
 * arguments, see bin/bundle.mjs), with `cacheFile`'s code when given and it matches. Returns the compiled
 * script and how the cache went: `used`, `rejected` (by V8), or `none` (absent, or made from another
 * bundle or Node).
 */
export function runBundle(file, cacheFile = undefined) {
  // Hashed as bytes (hashing the string would encode it again), compiled as read: no wrapper is
  // added here, so the process holds one copy of the source.
  const bytes = readFileSync(file);
  const key = cacheKey(bytes);
  const source = bytes.toString('utf8');
  const cachedData = cacheFile === undefined ? undefined : readCache(cacheFile, key);
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
  const { script, key } = runBundle(file);
  process.on('exit', () => {
    writeFileSync(cacheFile, cacheFileBytes(key, script.createCachedData()));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) makeCache(process.argv.slice(2));
