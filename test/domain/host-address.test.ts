import { describe, expect, it } from 'vitest';
import { isHostAddress, isLoginName } from '../../src/domain/host-address.js';

describe('host addresses', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.0.0.255', true],
    ['web-1.example.com', true],
    ['web-1.example.com.', true],
    ['localhost', true],
    ['_srv.internal', true],
    ['::1', true],
    ['2001:db8::7', true],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', true],
    ['::ffff:10.0.0.1', true],
    ['fe80::1%eth0', true],
    ['', false],
    ['-oProxyCommand=x', false],
    ['web 1', false],
    ['web;reboot', false],
    ['$(reboot)', false],
    ['`id`', false],
    ['a|b', false],
    ["o'brien", false],
    ['web-.example.com', false],
    ['a..b', false],
    ['256.1.1.1', false],
    ['1.2.3', false],
    ['1::2::3', false],
    ['1:2:3:4:5:6:7:8:9', false],
    ['12345::1', false],
    ['[::1]', false],
    ['fe80::1%eth 0', false],
    [`${'a'.repeat(64)}.com`, false],
    ['web\u202e1', false],
  ])('%j → %s', (address, ok) => {
    expect(isHostAddress(address)).toBe(ok);
  });
});

describe('login names', () => {
  it.each([
    ['chaoscat', true],
    ['_svc', true],
    ['deploy.bot-1', true],
    ['machine$', true],
    ['', false],
    ['-oFoo', false],
    ['root user', false],
    ['a;b', false],
    ['1abc', false],
    ['a'.repeat(33), false],
  ])('%j → %s', (user, ok) => {
    expect(isLoginName(user)).toBe(ok);
  });
});
