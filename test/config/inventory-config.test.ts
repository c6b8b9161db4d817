import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { configProblems } from '../support/config-problems.js';
import { REPO, writeTestConfig } from '../support/test-config.js';

const problems = configProblems;

/** The YAML blocks of a doc, in order. */
function yamlBlocks(doc: string): string[] {
  const text = readFileSync(join(REPO, doc), 'utf8');
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

describe('inventory: in the config', () => {
  it('docs/inventory.md: the example loads, with its defaults filled in', () => {
    const [example] = yamlBlocks('docs/inventory.md');
    const { file } = writeTestConfig(parse(example as string));
    const config = loadConfig(file);
    expect(config.hosts.map((h) => h.name)).toEqual(['bastion-test']);
    expect(config.inventory).toEqual([
      { kind: 'ansible', source: '/etc/ansible/hosts', groups: ['web', 'db'], refresh: 600_000, timeout: 60_000 },
      {
        kind: 'prometheus',
        url: 'http://prometheus:9090',
        selector: 'up{job=~"node|nginx"} == 1',
        addressLabel: 'instance',
        nameLabel: 'nodename',
        tagLabels: ['job', 'team'],
        port: 22,
        refresh: 300_000,
        timeout: 10_000,
      },
    ]);
  });

  it('docs/configuration.md: the inventory example loads', () => {
    const block = yamlBlocks('docs/configuration.md').find((b) => b.includes('inventory:'));
    expect(block).toBeDefined();
    expect(loadConfig(writeTestConfig(parse(block as string)).file).inventory.length).toBeGreaterThan(0);
  });

  it('a relative ansible source is relative to the config file; an inline host list is left alone', () => {
    const { file, dir } = writeTestConfig({
      inventory: [
        { kind: 'ansible', source: 'inventory/hosts.yaml' },
        { kind: 'ansible', source: 'web-1,web-2,' },
      ],
    });
    expect(loadConfig(file).inventory.map((s) => (s.kind === 'ansible' ? s.source : ''))).toEqual([
      join(dir, 'inventory/hosts.yaml'),
      'web-1,web-2,',
    ]);
  });

  it('refuses bad sources naming the file, the field and what was expected', () => {
    const { file } = writeTestConfig({
      inventory: [
        { kind: 'ansible', source: 'x', refresh: '1s' },
        { kind: 'prometheus', url: 'http://user:pw@prom:9090', tokenEnv: 'my-token' },
        { kind: 'prometheus', url: 'http://prom:9090', tagLabels: ['team name'] },
        { kind: 'consul', url: 'http://consul' },
        { kind: 'ansible', source: 'x', user: 'root; id' },
      ],
    });
    const found = problems(() => loadConfig(file));
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/chaoscat\.yaml: inventory\[0\]\.refresh: expected a refresh interval of at least 10s$/),
        expect.stringMatching(/inventory\[1\]\.url: put no credentials in the URL/),
        expect.stringMatching(/inventory\[1\]\.tokenEnv: expected the NAME of an environment variable/),
        expect.stringMatching(/inventory\[2\]\.tagLabels\[0\]: expected a Prometheus label name/),
        expect.stringMatching(/inventory\[3\]\.kind: /),
        expect.stringMatching(/inventory\[4\]\.user: expected a login name/),
      ]),
    );
  });
});
