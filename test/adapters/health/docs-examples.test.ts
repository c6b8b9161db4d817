import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { healthProviderSchema } from '../../../src/config/health-schema.js';

const doc = readFileSync(new URL('../../../docs/health.md', import.meta.url), 'utf8');
const examples = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)]
  .map((m) => parse(m[1] ?? '') as { health?: unknown[] } | null)
  .flatMap((block) => block?.health ?? []);

describe('docs/health.md', () => {
  it('has examples for every provider kind', () => {
    const kinds = new Set(examples.map((e) => (e as { kind?: string }).kind));
    expect([...kinds].sort()).toEqual(['alertmanager', 'command', 'http', 'pagerduty', 'prometheus']);
  });

  it.each(examples.map((e) => [JSON.stringify(e).slice(0, 80), e]))('example %s is a valid health config', (_t, example) => {
    const result = healthProviderSchema.safeParse(example);
    expect(result.error?.issues ?? []).toEqual([]);
  });
});
