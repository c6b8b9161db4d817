import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { MAX_CONFIG_BYTES } from '../../src/config/yaml-file.js';
import { configProblems } from '../support/config-problems.js';
import { runBot } from '../support/run-bot.js';
import { writeTestConfig } from '../support/test-config.js';

const problems = (fn: () => unknown): string => configProblems(fn).join('\n');

/** The billion-laughs shape: each level is ten aliases of the one before. */
function aliasBomb(levels = 9): string {
  const lines = ['a0: &a0 "lol"'];
  for (let i = 1; i <= levels; i++) {
    lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

describe('hostile config and attack files', () => {
  it('refuses a YAML alias bomb in an attack file, naming the file and what to fix', () => {
    const { dir, file } = writeTestConfig();
    writeFileSync(join(dir, 'attacks', 'bomb.yaml'), aliasBomb());
    expect(problems(() => loadConfig(file))).toMatch(/attacks\/bomb\.yaml: too many YAML aliases .*at most 100 aliases/);
  });

  it('still accepts a few aliases', () => {
    const { dir, file } = writeTestConfig({}, []);
    writeFileSync(
      join(dir, 'attacks', 'aliased.yaml'),
      'name: aliased\ndescription: &d "uses an alias"\nweight: 1\nduration: 60s\nrun: echo *d\nrollback: "true"\nparams: {}\n',
    );
    expect(loadConfig(file).attacks.map((a) => a.name)).toEqual(['aliased']);
  });

  it('refuses a named pipe in the attack directory without opening it (start-up does not hang)', () => {
    const { dir, file } = writeTestConfig();
    execFileSync('mkfifo', [join(dir, 'attacks', 'x.yaml')]);
    expect(problems(() => loadConfig(file))).toMatch(/attacks\/x\.yaml: refused: a named pipe; make .* a regular file/);
  });

  it('refuses a symlink to /dev/zero without reading it', () => {
    const { dir, file } = writeTestConfig();
    symlinkSync('/dev/zero', join(dir, 'attacks', 'zero.yaml'));
    expect(problems(() => loadConfig(file))).toMatch(/attacks\/zero\.yaml: refused: a device/);
  });

  it('refuses a directory named like an attack file', () => {
    const { dir, file } = writeTestConfig();
    mkdirSync(join(dir, 'attacks', 'dir.yaml'));
    expect(problems(() => loadConfig(file))).toMatch(/attacks\/dir\.yaml: refused: a directory/);
  });

  it('refuses a file over the size cap and accepts a symlink to a regular file', () => {
    const { dir, file } = writeTestConfig({}, []);
    writeFileSync(join(dir, 'big.yaml'), `# ${'x'.repeat(MAX_CONFIG_BYTES)}\nname: big\n`);
    symlinkSync(join(dir, 'big.yaml'), join(dir, 'attacks', 'big.yaml'));
    expect(problems(() => loadConfig(file))).toMatch(/big\.yaml: refused: larger than 1048576 bytes; make .* at most 1 MiB/);
    writeFileSync(
      join(dir, 'small.yaml'),
      'name: small\ndescription: d\nweight: 1\nduration: 60s\nrun: echo\nrollback: "true"\n',
    );
    symlinkSync(join(dir, 'small.yaml'), join(dir, 'attacks', 'small.yaml'));
    writeFileSync(join(dir, 'big.yaml'), 'name: big\ndescription: d\nweight: 1\nduration: 60s\nrun: echo\nrollback: "true"\n');
    expect(
      loadConfig(file)
        .attacks.map((a) => a.name)
        .sort(),
    ).toEqual(['big', 'small']);
  });

  it('refuses a config file that is not a regular file', () => {
    const { dir } = writeTestConfig();
    symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
    expect(problems(() => loadConfig(join(dir, 'zero.yaml')))).toMatch(/zero\.yaml: refused: a device/);
  });

  it('the bot exits 2 with one line naming the file on an alias bomb in the config, no stack trace', async () => {
    const { dir } = writeTestConfig();
    const bomb = join(dir, 'bomb.yaml');
    writeFileSync(bomb, aliasBomb());
    const { code, stderr, stdout } = await runBot(['--config', bomb], '');
    const out = stderr + stdout;
    expect(code).toBe(2);
    expect(out).toMatch(/bomb\.yaml: too many YAML aliases/);
    expect(out).not.toMatch(/\n\s+at /);
  });
});

describe('host addresses and users in the config', () => {
  it.each([
    [
      { hosts: [{ name: 'a', address: '10.0.0.1; reboot' }] },
      /hosts\[0\]\.address: expected a host name, an IPv4 address or an IPv6 literal/,
    ],
    [{ hosts: [{ name: 'a', address: '-oProxyCommand=x' }] }, /hosts\[0\]\.address: expected a host name/],
    [{ hosts: [{ name: 'a', address: '10.0.0.1', user: 'root me' }] }, /hosts\[0\]\.user: expected a login name/],
    [
      { hosts: [{ name: 'a', address: '10.0.0.1', jumpHost: { address: 'bastion $(id)' } }] },
      /hosts\[0\]\.jumpHost\.address: expected a host name/,
    ],
    [
      { hosts: [{ name: 'a', address: '10.0.0.1', jumpHost: { address: 'bastion', user: '-x' } }] },
      /hosts\[0\]\.jumpHost\.user: expected a login name/,
    ],
    [{ ssh: { user: 'a`b`' } }, /ssh\.user: expected a login name/],
    [{ ssh: { jumpHost: { address: 'b|c' } } }, /ssh\.jumpHost\.address: expected a host name/],
  ])('refuses %j naming the file and the field', (override, message) => {
    const { file } = writeTestConfig(override as Record<string, unknown>);
    const all = problems(() => loadConfig(file));
    expect(all).toMatch(message);
    expect(all).toContain('chaoscat.yaml');
  });

  it('accepts a host name, IPv4 and IPv6 addresses and a jump host', () => {
    const { file } = writeTestConfig({
      hosts: [
        { name: 'a', address: 'web-1.example.com', user: 'deploy', tags: ['web'] },
        { name: 'b', address: '::1', tags: ['web'] },
        { name: 'c', address: '127.0.0.1', jumpHost: { address: 'bastion.example.com', user: 'jump' }, tags: ['web'] },
      ],
    });
    expect(loadConfig(file).hosts.map((h) => h.address)).toEqual(['web-1.example.com', '::1', '127.0.0.1']);
  });
});
