import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { haltScript, preflightScript } from '../../../src/adapters/ssh/halt-script.js';
import { LineSplitter, parseHaltOutput, parseWrapperLine, rollbackTail } from '../../../src/adapters/ssh/protocol.js';
import { exportLines, scriptCommand, shellQuote } from '../../../src/adapters/ssh/shell.js';
import { TailBuffer } from '../../../src/adapters/ssh/tail-buffer.js';
import { wrapperScript } from '../../../src/adapters/ssh/wrapper.js';

function sh(script: string, input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8', input });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const syntaxOk = (script: string) => spawnSync('/bin/sh', ['-n'], { input: script, encoding: 'utf8' });

describe('shell quoting and the remote scripts', () => {
  it('quotes any value so that the shell gives it back unchanged', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }).filter((s) => !s.includes('\0')),
        (value) => {
          expect(sh(`printf %s ${shellQuote(value)}`).stdout).toBe(value);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('exports only CHAOSCAT_* names and keeps hostile values literal', () => {
    const lines = exportLines({ CHAOSCAT_PARAM_X: '$(touch /tmp/pwned); \' " `id`' });
    expect(sh(`${lines}; printf %s "$CHAOSCAT_PARAM_X"`).stdout).toBe('$(touch /tmp/pwned); \' " `id`');
    expect(() => exportLines({ PATH: '/tmp' })).toThrow(/CHAOSCAT_/);
    expect(() => exportLines({ 'CHAOSCAT_X;rm': 'v' })).toThrow();
  });

  it('ships a script through the command line intact, whatever it holds; its stdin is the channel', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }).filter((v) => !v.includes('\0')),
        fc.string({ unit: 'grapheme-ascii' }).filter((v) => !v.includes('\n')),
        (value, line) => {
          const { command, input } = scriptCommand(`printf %s ${shellQuote(value)}; IFS= read -r l; printf '|%s' "$l"; exit 7`);
          expect(input).toBe('');
          const r = sh(command, `${line}\nnot read\n`);
          expect(r.status).toBe(7);
          expect(r.stdout).toBe(`${value}|${line}`);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('puts the marker in the initial environment of the script’s shell', () => {
    const { command } = scriptCommand("tr '\\0' '\\n' < /proc/$$/environ | grep '^CHAOSCAT_WRAPPER='", 'CHAOSCAT_WRAPPER=17');
    expect(sh(command).stdout).toBe('CHAOSCAT_WRAPPER=17\n');
  });

  it('refuses a script too large for one command line, or holding a NUL byte', () => {
    expect(() => scriptCommand('x'.repeat(200_000))).toThrow(/at most/);
    // Every byte a quote: the quoted command outgrows one argument before the script does.
    expect(() => scriptCommand("'".repeat(40_000))).toThrow(/command of \d+ bytes once quoted; at most/);
    expect(() => scriptCommand('a\0b')).toThrow(/NUL/);
  });

  it('generates wrapper, halt and pre-flight scripts that pass sh -n, for plain and sudo attacks', () => {
    for (const sudo of [false, true]) {
      const env = { CHAOSCAT_ATTACK_ID: '17', CHAOSCAT_PARAM_SIZE_MB: '64' };
      const scripts = [
        wrapperScript({ id: '17', env, run: 'sleep 1', rollback: 'true', sudo, durationS: 5 }),
        haltScript({ id: '17', pgid: 1234, env, rollback: 'true', sudo }),
        haltScript({ id: '17', pgid: null, env, rollback: null, sudo }),
        preflightScript({ id: '17', requires: ['tc'], sudo, wrapper: 'true' }),
      ];
      for (const script of scripts) expect(syntaxOk(script).stderr).toBe('');
    }
  });

  it("sends a failed rollback's stdout and stderr on a protocol line of their own, not on the halt's stderr", () => {
    const id = `halt-${process.pid}-${Date.now().toString(36)}`;
    const rollback = 'echo "undoing on $CHAOSCAT_HOST"; echo "iptables: Resource busy" >&2; exit 3';
    const r = sh(haltScript({ id, pgid: null, env: { CHAOSCAT_ATTACK_ID: id, CHAOSCAT_HOST: 'web-1' }, rollback, sudo: false }));
    expect(r.status).toBe(0);
    expect(parseHaltOutput(r.stdout)).toEqual({
      remaining: 0,
      rollback: 3,
      wrapper: 'none',
      rollbackOutput: 'undoing on web-1\niptables: Resource busy',
    });
    expect(r.stderr).toBe('');
    const ok = sh(haltScript({ id, pgid: null, env: { CHAOSCAT_ATTACK_ID: id }, rollback: 'echo fine', sudo: false }));
    expect(ok.stdout).not.toContain('CHAOSCAT_ROLLBACK_OUTPUT');
    expect(parseHaltOutput(ok.stdout)?.rollback).toBe(0);
  });

  it('never lets a pgid of 0 or 1 reach kill (that would signal every process)', () => {
    for (const pgid of [0, 1, -1]) {
      expect(haltScript({ id: '5', pgid, env: {}, rollback: 'true', sudo: false })).not.toMatch(/CC_PGID='(0|1|-1)'/);
    }
  });
});

describe('wrapper protocol lines', () => {
  it.each([
    ['CHAOSCAT_PGID=4321', { kind: 'pgid', pgid: 4321 }],
    ['CHAOSCAT_PGID=1', { kind: 'other', text: 'CHAOSCAT_PGID=1' }],
    ['CHAOSCAT_ERROR=dir in use', { kind: 'error', text: 'dir in use' }],
    ['CHAOSCAT_ATTACK_EXIT=124', { kind: 'attack-exit', code: 124 }],
    [
      'CHAOSCAT_END attack=143 rollback=0 stopped=0 dropped=1',
      { kind: 'end', attack: 143, rollback: 0, stopped: true, dropped: true },
    ],
    ['hello', { kind: 'other', text: 'hello' }],
  ])('%s', (line, expected) => {
    expect(parseWrapperLine(line)).toEqual(expected);
  });

  it('reads the halt report', () => {
    expect(parseHaltOutput('noise\nCHAOSCAT_HALT remaining=0 rollback=0 wrapper=waited\n')).toEqual({
      remaining: 0,
      rollback: 0,
      wrapper: 'waited',
      rollbackOutput: null,
    });
    expect(parseHaltOutput('CHAOSCAT_HALT remaining=2 rollback=none wrapper=none')).toEqual({
      remaining: 2,
      rollback: null,
      wrapper: 'none',
      rollbackOutput: null,
    });
    expect(parseHaltOutput('nothing')).toBeNull();
  });

  it("reads a failed rollback's output from its own base64 line, whatever bytes it holds", () => {
    const text = "line 1\nit's `odd`: CHAOSCAT_HALT remaining=9 rollback=0 wrapper=none\n";
    const stdout = `CHAOSCAT_ROLLBACK_OUTPUT=${Buffer.from(text).toString('base64')}\nCHAOSCAT_HALT remaining=0 rollback=3 wrapper=none\n`;
    expect(parseHaltOutput(stdout)).toEqual({ remaining: 0, rollback: 3, wrapper: 'none', rollbackOutput: text.trimEnd() });
  });

  it.each([
    ['keeps short output whole, without the trailing newline', 'a\nb\n', 'a\nb'],
    [
      'keeps the last 10 lines',
      Array.from({ length: 15 }, (_, i) => `l${i}`).join('\n'),
      'l5\nl6\nl7\nl8\nl9\nl10\nl11\nl12\nl13\nl14',
    ],
    ['keeps the last 2,000 characters of long lines, marked as cut', 'x'.repeat(5_000), `…${'x'.repeat(1_999)}`],
    ['drops the \\r a pty adds', 'a\r\nb\r\n', 'a\nb'],
    ['gives nothing for no output', '', ''],
  ])('bounds the rollback output for a message: %s', (_name, text, expected) => {
    expect(rollbackTail(text)).toBe(expected);
  });

  it('reads lines that went through a pty (\\r\\n)', () => {
    expect(new LineSplitter().push('CHAOSCAT_PGID=9\r\n')).toEqual(['CHAOSCAT_PGID=9']);
    expect(parseHaltOutput('CHAOSCAT_HALT remaining=0 rollback=0 wrapper=none\r\n')?.wrapper).toBe('none');
  });

  it('splits lines across chunks', () => {
    const s = new LineSplitter();
    expect(s.push('CHAOSCAT_PG')).toEqual([]);
    expect(s.push('ID=12\nnext')).toEqual(['CHAOSCAT_PGID=12']);
    expect(s.push(' line\n')).toEqual(['next line']);
  });

  it('keeps the tail of the output and says how much was cut', () => {
    const t = new TailBuffer(10);
    for (let i = 0; i < 100; i++) t.push(`${i}\n`);
    const text = t.text();
    expect(text.endsWith('97\n98\n99\n')).toBe(true);
    expect(text).toMatch(/^\[\.\.\. \d+ bytes cut \.\.\.\]/);
    const small = new TailBuffer(100);
    small.push('short');
    expect(small.text()).toBe('short');
  });
});
