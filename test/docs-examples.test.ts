import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { parseCommand } from '../src/domain/command-parser.js';
import { teamScope } from '../src/domain/team-scope.js';
import { writeTestConfig } from './support/test-config.js';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

/** A documented command with its placeholders filled in as a user would. */
function filled(example: string): string {
  return (
    example
      // A table cell escapes `|`; `[a | b]` offers one of two, `…` more of the same.
      .replace(/\\\|/g, '|')
      .replace(/\[([^\]|]*?) \| [^\]]*\]/g, '$1')
      .replace(/ …/g, '')
      .replace(/\[([^\]]*)\]/g, '$1')
      .replace(/\bATTACK\b/g, 'cpu-burn')
      .replace(/\bHOST\b/g, 'web-1')
      .replace(/\bNAME=VALUE\b/g, 'LOAD=80')
      .replace(/\bN\b/g, '5')
      .replace(/#ID\b/g, '#3')
      .replace(/YYYY-MM-DD/g, '2026-03-03')
      .replace(/\breason\b/g, 'deploy')
      .trim()
  );
}

function parses(example: string): { example: string; kind: string } {
  const text = teamScope(filled(example), ['payments', 'search'], undefined).text;
  return { example, kind: parseCommand(text).kind };
}

describe('the docs say what the program does', () => {
  it("README's command table: every command parses as written", () => {
    const table = read('README.md').split('\n| command | who | what |')[1]?.split('\n\n')[0] ?? '';
    const examples = [...table.matchAll(/^\| (.+?) \| (?:anyone|admins) \|/gm)].flatMap((m) =>
      [...(m[1] ?? '').matchAll(/`([^`]+)`/g)].map((c) => c[1] ?? ''),
    );
    expect(examples.length).toBeGreaterThan(10);
    const bad = examples.map(parses).filter((p) => p.kind === 'unknown' || p.kind === 'invalid');
    expect(bad).toEqual([]);
  });

  it('docs/slack.md and README: every `@chaoscat …` and `/chaoscat …` example parses', () => {
    const text = `${read('docs/slack.md')}\n${read('README.md')}`;
    const examples = [...text.matchAll(/`(?:@chaoscat|\/chaoscat) ([^`…]+)`/g)].map((m) => m[1] ?? '');
    expect(examples.length).toBeGreaterThan(5);
    const bad = examples.map(parses).filter((p) => p.kind === 'unknown' || p.kind === 'invalid');
    expect(bad).toEqual([]);
  });

  it("docs/health.md's default provider names are the names the program gives", () => {
    const doc = read('docs/health.md');
    const { file } = writeTestConfig({
      health: [
        { kind: 'http', url: 'http://127.0.0.1:9/health' },
        { kind: 'prometheus', url: 'http://127.0.0.1:9', query: 'up == 0' },
      ],
    });
    const names = loadConfig(file).health.map((p) => p.name);
    expect(names).toEqual(['http-1', 'prometheus-2']);
    for (const name of names) expect(doc).toContain(`\`${name}\``);
    expect(doc).not.toContain('http:host/path');
  });
});
