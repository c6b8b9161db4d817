import { describe, expect, it } from 'vitest';
import { mergeHosts } from '../../src/domain/host-merge.js';
import type { HostDef } from '../../src/domain/model.js';

const host = (name: string, address: string, tags: string[] = [], port = 22, source?: string): HostDef => ({
  name,
  address,
  port,
  tags,
  vars: {},
  ...(source ? { source } : {}),
});

describe('mergeHosts', () => {
  it('keeps the static hosts as they are and adds inventory hosts under new names', () => {
    const m = mergeHosts(
      [host('web-1', '10.0.0.1')],
      [{ source: 'ansible:a', hosts: [host('db-1', '10.0.0.2', [], 22, 'ansible:a')] }],
    );
    expect(m.hosts.map((h) => [h.name, h.source])).toEqual([
      ['web-1', 'config'],
      ['db-1', 'ansible:a'],
    ]);
    expect(m.conflicts).toEqual([]);
  });

  it('a static hosts: entry wins over an inventory one of the same name, and the source is told', () => {
    const m = mergeHosts([host('web-1', '10.0.0.1')], [{ source: 'ansible:a', hosts: [host('web-1', '10.9.9.9', ['web'])] }]);
    expect(m.hosts).toEqual([{ ...host('web-1', '10.0.0.1'), source: 'config' }]);
    expect(m.notes.get('ansible:a')).toEqual(['host web-1: hosts: in the config wins (10.0.0.1:22, not 10.9.9.9:22)']);
    expect(m.conflicts).toEqual([]);
  });

  it('the same name at different addresses from two sources is a conflict: skipped, both sources told', () => {
    const m = mergeHosts(
      [],
      [
        { source: 'ansible:a', hosts: [host('web-1', '10.0.0.1'), host('db-1', '10.0.0.5')] },
        { source: 'prometheus:p', hosts: [host('web-1', '10.0.0.2')] },
      ],
    );
    expect(m.hosts.map((h) => h.name)).toEqual(['db-1']);
    expect(m.conflicts).toEqual(['web-1']);
    const text = 'host web-1: conflict, skipped until resolved: 10.0.0.1:22 from ansible:a vs 10.0.0.2:22 from prometheus:p';
    expect(m.notes.get('ansible:a')).toEqual([text]);
    expect(m.notes.get('prometheus:p')).toEqual([text]);
  });

  it('a different SSH port is a different place: a conflict too', () => {
    const m = mergeHosts([], [{ source: 'a', hosts: [host('web-1', '10.0.0.1', [], 22), host('web-1', '10.0.0.1', [], 2222)] }]);
    expect(m.hosts).toEqual([]);
    expect(m.conflicts).toEqual(['web-1']);
  });

  it('the same name at the same place from two sources is one host with the tags of both', () => {
    const m = mergeHosts(
      [],
      [
        { source: 'ansible:a', hosts: [{ ...host('web-1', '10.0.0.1', ['web']), vars: { process: 'nginx' } }] },
        { source: 'prometheus:p', hosts: [host('web-1', '10.0.0.1', ['node', 'web'])] },
      ],
    );
    expect(m.hosts).toEqual([
      {
        name: 'web-1',
        address: '10.0.0.1',
        port: 22,
        tags: ['web', 'node'],
        vars: { process: 'nginx' },
        source: 'ansible:a, prometheus:p',
      },
    ]);
  });
});
