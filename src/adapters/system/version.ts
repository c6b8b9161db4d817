import { readFileSync } from 'node:fs';

/**
 * The version in ChaosCat's package.json, or `unknown version`. This file runs from src/ (tsx),
 * dist/ (tsc) or dist/bundle/ (one bundle), each a different depth: the nearest package.json above
 * it that names chaoscat is the one.
 */
export function packageVersion(from: string = import.meta.url): string {
  for (let up = 1; up <= 4; up++) {
    try {
      const url = new URL(`${'../'.repeat(up)}package.json`, from);
      const pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'chaoscat') return typeof pkg.version === 'string' ? pkg.version : 'unknown version';
    } catch {
      /* none at this depth: one further up */
    }
  }
  return 'unknown version';
}
