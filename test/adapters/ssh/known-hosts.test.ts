import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkHostKey,
  fingerprint,
  hostFieldMatches,
  hostKeyAlgorithms,
  knownKeyTypes,
  lookupName,
  parseKnownHosts,
} from '../../../src/adapters/ssh/known-hosts.js';

let dir: string;
const keys: { line: string; blob: Buffer; type: string }[] = [];

function newKey(type: 'ed25519' | 'ecdsa'): { line: string; blob: Buffer; type: string } {
  const path = join(dir, `k${keys.length}`);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', path]);
  const [keyType = '', b64 = ''] = readFileSync(`${path}.pub`, 'utf8').trim().split(/\s+/);
  const key = { line: `${keyType} ${b64}`, blob: Buffer.from(b64, 'base64'), type: keyType };
  keys.push(key);
  return key;
}

describe('known_hosts', () => {
  let a: ReturnType<typeof newKey>;
  let b: ReturnType<typeof newKey>;
  let ec: ReturnType<typeof newKey>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'chaoscat-kh-'));
    a = newKey('ed25519');
    b = newKey('ed25519');
    ec = newKey('ecdsa');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('looks a host up bare on port 22 and as [host]:port otherwise, lower-cased', () => {
    expect(lookupName('Web-1.Example', 22)).toBe('web-1.example');
    expect(lookupName('10.0.0.5', 2222)).toBe('[10.0.0.5]:2222');
  });

  it('prints fingerprints exactly as ssh-keygen -l does', () => {
    const file = join(dir, 'fp.pub');
    writeFileSync(file, `${a.line}\n`);
    const openssh = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', file], { encoding: 'utf8' }).split(/\s+/)[1];
    expect(fingerprint(a.blob)).toBe(openssh);
  });

  it.each([
    ['web-1', 'web-1', true],
    ['web-1,web-2', 'web-2', true],
    ['WEB-1', 'web-1', true],
    ['web-*', 'web-42', true],
    ['web-?', 'web-42', false],
    ['*.example.com,!db.example.com', 'db.example.com', false],
    ['*.example.com,!db.example.com', 'app.example.com', true],
    ['[10.0.0.5]:2222', '[10.0.0.5]:2222', true],
    ['10.0.0.5', '[10.0.0.5]:2222', false],
    ['[10.0.0.5]:2222', '10.0.0.5', false],
    ['web.1', 'webx1', false],
  ])('host field %s matches %s: %s', (field, name, expected) => {
    expect(hostFieldMatches(field, name)).toBe(expected);
  });

  it('matches hashed names made by ssh-keygen -H, and only those names', () => {
    const file = join(dir, 'hashed');
    writeFileSync(file, `web-1 ${a.line}\n[10.0.0.5]:2222 ${b.line}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const entries = parseKnownHosts(readFileSync(file, 'utf8'));
    expect(entries.every((e) => e.hosts.startsWith('|1|'))).toBe(true);
    expect(checkHostKey(entries, 'web-1', a.blob).kind).toBe('ok');
    expect(checkHostKey(entries, '[10.0.0.5]:2222', b.blob).kind).toBe('ok');
    expect(checkHostKey(entries, 'web-2', a.blob).kind).toBe('unknown');
    expect(checkHostKey(entries, 'web-1', b.blob).kind).toBe('changed');
  });

  it('tells ok, changed, unknown and revoked apart', () => {
    const ca = newKey('ed25519');
    const entries = parseKnownHosts(
      [
        '# comment',
        '',
        `web-1,web-2 ${a.line} comment here`,
        `db-1 ${ec.line}`,
        `@revoked * ${b.line}`,
        `@cert-authority *.example.com ${ca.line}`,
        'garbage line',
        `web-3 ssh-ed25519 not-base64!`,
      ].join('\n'),
    );
    expect(entries).toHaveLength(4);
    expect(checkHostKey(entries, 'web-2', a.blob)).toEqual({ kind: 'ok', line: 3 });
    expect(checkHostKey(entries, 'web-1', b.blob)).toEqual({ kind: 'revoked', line: 5 });
    const other = newKey('ed25519');
    expect(checkHostKey(entries, 'web-1', other.blob)).toEqual({ kind: 'changed', line: 3 });
    // Another key type than the ones known: unknown (OpenSSH asks), never "ok".
    expect(checkHostKey(entries, 'db-1', a.blob)).toEqual({ kind: 'unknown', knownTypes: [ec.type] });
    expect(checkHostKey(entries, 'nobody', a.blob)).toEqual({ kind: 'unknown', knownTypes: [] });
    // A CA line does not make its key a host key.
    expect(checkHostKey(entries, 'x.example.com', ca.blob).kind).toBe('unknown');
  });

  it('asks the host for a key type it knows first', () => {
    const entries = parseKnownHosts(`db-1 ${ec.line}\n`);
    expect(knownKeyTypes(entries, 'db-1')).toEqual(['ecdsa-sha2-nistp256']);
    expect(hostKeyAlgorithms(knownKeyTypes(entries, 'db-1'))[0]).toBe('ecdsa-sha2-nistp256');
    expect(hostKeyAlgorithms(['ssh-rsa']).slice(0, 3)).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    expect(hostKeyAlgorithms([])[0]).toBe('ssh-ed25519');
  });
});
