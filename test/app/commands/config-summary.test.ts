import { describe, expect, it } from 'vitest';
import { configSummary } from '../../../src/app/commands/config-summary.js';
import type { HostDef } from '../../../src/domain/model.js';
import type { HostDirectory } from '../../../src/ports/host-directory.js';
import { testConfig } from '../../support/test-config.js';

const NOW = Date.parse('2026-11-24T20:00:00Z');

describe('configSummary (check-config)', () => {
  it('without inventory: the static hosts, no sources section', () => {
    const text = configSummary(testConfig(), NOW);
    expect(text).toContain('Hosts (3):\n  web-1 127.0.0.1:22 [web]\n');
    expect(text).not.toContain('Inventory sources:');
  });

  it('with sources: what each gave (or why nothing), every host with its source, long host lists cut', () => {
    const many: HostDef[] = Array.from({ length: 25 }, (_, i) => ({
      name: `web-${i + 10}`,
      address: `10.0.0.${i + 10}`,
      port: 22,
      tags: ['web'],
      vars: {},
      source: 'ansible:/inv',
    }));
    const directory: HostDirectory = {
      all: () => many,
      sources: () => [
        {
          id: 'ansible:/inv',
          hosts: 25,
          okAt: NOW,
          failingSince: null,
          error: null,
          notes: ['host x: vars left out (not plain strings): n'],
        },
        {
          id: 'prometheus:http://p:9090',
          hosts: 0,
          okAt: null,
          failingSince: NOW,
          error: 'connection refused (p:9090)',
          notes: [],
        },
      ],
    };
    const text = configSummary(testConfig(), NOW, directory);
    expect(text).toContain(
      [
        'Inventory sources:',
        '  ansible:/inv: 25 hosts, refreshed 0 ms ago',
        '    - host x: vars left out (not plain strings): n',
        '  prometheus:http://p:9090: never answered (connection refused (p:9090)); no hosts from it',
        'Hosts (25):',
        '  web-10 10.0.0.10:22 [web] from ansible:/inv',
      ].join('\n'),
    );
    expect(text).toContain('hosts: web-10, web-11, web-12, web-13, web-14, web-15, web-16, web-17, web-18, web-19 and 15 more');
  });
});
