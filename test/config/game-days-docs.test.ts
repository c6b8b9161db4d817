import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO, testConfig } from '../support/test-config.js';

/** The `gameDays:` blocks of a document, parsed. */
function examples(file: string): unknown[] {
  const text = readFileSync(join(REPO, file), 'utf8');
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => parse(m[1] ?? '') as { gameDays?: unknown[] } | null)
    .flatMap((block) => block?.gameDays ?? []);
}

// The shipped network-latency attack, as far as a game day needs it (its parameter names).
const ATTACKS = [{ name: 'network-latency', weight: 0, params: { DELAY_MS: 200, JITTER_MS: 20, IFACE: 'auto' } }];

describe('the game-day examples of the docs load', () => {
  it.each(['docs/configuration.md', 'docs/game-days.md'])('%s', (file) => {
    const found = examples(file);
    expect(found.length).toBeGreaterThan(0);
    const config = testConfig({ gameDays: found }, ATTACKS);
    expect(config.gameDays.map((g) => g.name)).toEqual(['checkout-latency-friday']);
  });

  it('the shipped attack has the parameter the examples set', () => {
    expect(readFileSync(join(REPO, 'attacks', 'network-latency.yaml'), 'utf8')).toMatch(/^\s+DELAY_MS:/m);
  });
});
