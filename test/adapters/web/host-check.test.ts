import { describe, expect, it } from 'vitest';
import { hostAllowed, hostRule } from '../../../src/adapters/web/host-check.js';

describe('the Host values the archive answers', () => {
  const behindProxy = hostRule('0.0.0.0', 8484, 'https://chaoscat.example.com/');
  const onAddress = hostRule('10.0.0.5', 8484);

  it.each([
    [behindProxy, 'chaoscat.example.com'],
    [behindProxy, 'chaoscat.example.com:443'],
    [behindProxy, 'CHAOSCAT.example.com.'],
    [behindProxy, '127.0.0.1:8484'],
    [onAddress, '10.0.0.5:8484'],
    [onAddress, 'localhost'],
    [hostRule('::1', 8484), '[::1]:8484'],
  ])('answers %#: %s', (rule, host) => {
    expect(hostAllowed(host, rule)).toBe(true);
  });

  it.each([
    [behindProxy, 'evil.example'],
    [behindProxy, 'chaoscat.example.com:8443'],
    [behindProxy, '0.0.0.0:8484'],
    [onAddress, '10.0.0.6:8484'],
    [onAddress, 'localhost:9999'],
    [onAddress, 'localhost:8484:1'],
    [onAddress, 'user@localhost'],
    [onAddress, ''],
    [onAddress, undefined],
  ])('refuses %#: %s', (rule, host) => {
    expect(hostAllowed(host, rule)).toBe(false);
  });
});
