import { describe, expect, it } from 'vitest';
import { checkHost, type HostCandidate } from '../../src/domain/inventory-host.js';

const base: HostCandidate = { name: 'web-1', address: '10.0.0.1', port: 22, tags: ['web'], vars: {} };

describe('checkHost: an inventory host is checked like a configured one', () => {
  it.each([
    ['an IPv4 address', { address: '10.0.0.1' }],
    ['an IPv6 address', { address: '2001:db8::1' }],
    ['a DNS name', { address: 'web-1.prod.example.com' }],
    ['a port written as a string', { port: '2222' }],
    ['a plain user', { user: 'deploy' }],
  ])('accepts %s', (_what, change) => {
    expect(checkHost({ ...base, ...change }, 's').ok).toBe(true);
  });

  it.each([
    ['a name with a space', { name: 'web 1' }, 'host "web 1": the name is not plain'],
    [
      'a command substitution as address',
      { address: '$(reboot)' },
      'host web-1: address "$(reboot)" is not a host name or IP address',
    ],
    ['an option as address', { address: '-oProxyCommand=sh' }, 'address "-oProxyCommand=sh"'],
    ['a quote in the address', { address: "a'b" }, `address "a'b"`],
    ['a number as address', { address: 10 }, 'address "10"'],
    ['port 0', { port: 0 }, 'port "0" is not a port'],
    ['port 70000', { port: 70000 }, 'port "70000"'],
    ['a port with text', { port: '22; id' }, 'port "22; id"'],
    ['a user with a backtick', { user: '`id`' }, 'user "`id`" is not a plain login name'],
    ['a user as a list', { user: ['a'] }, 'user "["a"]"'],
  ])('refuses %s', (_what, change, reason) => {
    const checked = checkHost({ ...base, ...change } as HostCandidate, 's');
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.reason).toContain(reason);
  });

  it('keeps only plain string vars; numbers, booleans, lists, maps and shell text are left out and noted', () => {
    const checked = checkHost(
      {
        ...base,
        vars: { process: 'nginx', unit: 'nginx.service', n: 3, on: true, list: [1], map: { a: 1 }, cmd: 'a;b', 'bad-key': 'x' },
      },
      'ansible:x',
    );
    expect(checked).toEqual({
      ok: true,
      host: {
        name: 'web-1',
        address: '10.0.0.1',
        port: 22,
        tags: ['web'],
        vars: { process: 'nginx', unit: 'nginx.service' },
        source: 'ansible:x',
      },
      notes: ['host web-1: vars left out (not plain strings): n, on, list, map, cmd and 1 more'],
    });
  });

  it('leaves out a tag that is not a plain name (fewer tags: eligible for fewer attacks, never more)', () => {
    const checked = checkHost({ ...base, tags: ['web', 'Payments Team', 'web'] }, 's');
    expect(checked.ok && checked.host.tags).toEqual(['web']);
    expect(checked.ok && checked.notes).toEqual(['host web-1: tag "Payments Team" left out (not a plain name)']);
  });
});
