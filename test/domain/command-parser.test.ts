import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_REASON_CHARS, normalize, parseCommand } from '../../src/domain/command-parser.js';

describe('command parser', () => {
  it.each([
    ['run-once', { kind: 'run-once', force: false }],
    ['run-once cpu-burn', { kind: 'run-once', attack: 'cpu-burn', force: false }],
    ['run-once cpu-burn web-1', { kind: 'run-once', attack: 'cpu-burn', host: 'web-1', force: false }],
    ['run-once cpu-burn web-1 --force', { kind: 'run-once', attack: 'cpu-burn', host: 'web-1', force: true }],
    ['@chaoscat run-once', { kind: 'run-once', force: false }],
    ['<@U0BOT> run-once  cpu-burn   web-1', { kind: 'run-once', attack: 'cpu-burn', host: 'web-1', force: false }],
    ['RUN-ONCE', { kind: 'run-once', force: false }],
    ['stop', { kind: 'stop', reason: '' }],
    ['stop maintenance window', { kind: 'stop', reason: 'maintenance window' }],
    ['<@U0BOT> stop “incident” 42', { kind: 'stop', reason: '"incident" 42' }],
    ['start', { kind: 'start' }],
    ['status', { kind: 'status' }],
    ['history', { kind: 'history', limit: 10 }],
    ['history 5', { kind: 'history', limit: 5 }],
    ['history host web-1', { kind: 'history', limit: 10, filter: { by: 'host', value: 'web-1' } }],
    ['history attack cpu-burn 3', { kind: 'history', limit: 3, filter: { by: 'attack', value: 'cpu-burn' } }],
    ['history failed', { kind: 'history', limit: 10, filter: { by: 'failed' } }],
    ['attacks', { kind: 'attacks' }],
    ['hosts', { kind: 'hosts' }],
    ['help', { kind: 'help' }],
    ['report 2026-11-22', { kind: 'report', date: '2026-11-22' }],
    ['', { kind: 'empty' }],
    ['   ', { kind: 'empty' }],
  ])('%j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it('takes smart quotes and Slack links apart from names', () => {
    expect(parseCommand('run-once ‘cpu-burn’ “web-1”')).toEqual({
      kind: 'run-once',
      attack: 'cpu-burn',
      host: 'web-1',
      force: false,
    });
    expect(normalize('stop see <https://status.example.com|status page>')).toBe('stop see status page');
    expect(normalize('<@U123|bob> status')).toBe('status');
  });

  it.each([
    ['history 0'],
    ['history 1000'],
    ['history lots'],
    ['run-once a b c'],
    ['run-once --rm -rf'],
    ['status now'],
    ['report yesterday'],
  ])('refuses malformed arguments: %s', (text) => {
    expect(parseCommand(text).kind).toBe('invalid');
  });

  it.each([
    ['status now', { kind: 'invalid', command: 'status', problem: { kind: 'no-arguments', command: 'status' } }],
    ['report yesterday', { kind: 'invalid', command: 'report', problem: { kind: 'usage', usage: 'report' } }],
    ['resolve it', { kind: 'invalid', command: 'resolve', problem: { kind: 'usage', usage: 'resolve' } }],
  ])('says why %s is refused, as data', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  describe('run-once parameters and blast radius', () => {
    it.each([
      [
        'run-once network-latency web-1 DELAY_MS=800',
        { kind: 'run-once', attack: 'network-latency', host: 'web-1', force: false, params: { DELAY_MS: '800' } },
      ],
      [
        'run-once network-latency DELAY_MS=800 JITTER_MS=5 --force',
        { kind: 'run-once', attack: 'network-latency', force: true, params: { DELAY_MS: '800', JITTER_MS: '5' } },
      ],
      ['run-once sleeper percent=50', { kind: 'run-once', attack: 'sleeper', force: false, blast: { percent: 50 } }],
      ['run-once sleeper COUNT=2', { kind: 'run-once', attack: 'sleeper', force: false, blast: { count: 2 } }],
      [
        'run-once sleeper web-2 count=2 LEVEL=3',
        { kind: 'run-once', attack: 'sleeper', host: 'web-2', force: false, params: { LEVEL: '3' }, blast: { count: 2 } },
      ],
      ['run-once count=2', { kind: 'run-once', force: false, blast: { count: 2 } }],
      // The value is data, checked against the attack's bounds later: the parser keeps it as typed.
      ['run-once a X=$(id)', { kind: 'run-once', attack: 'a', force: false, params: { X: '$(id)' } }],
    ])('%s', (text, expected) => {
      expect(parseCommand(text)).toEqual(expected);
    });

    it.each([
      ['run-once DELAY_MS=800', { kind: 'params-without-attack' }],
      ['run-once a count=0', { kind: 'bad-count', shown: '0' }],
      ['run-once a count=two', { kind: 'bad-count', shown: 'two' }],
      ['run-once a percent=0', { kind: 'bad-percent', shown: '0' }],
      ['run-once a percent=150', { kind: 'bad-percent', shown: '150' }],
      ['run-once a count=1 percent=50', { kind: 'blast-twice' }],
      ['run-once a X=', { kind: 'needs-value', name: 'X' }],
      ['run-once a X=1 x=2', { kind: 'given-twice', name: 'x' }],
      ['run-once a 1X=2', { kind: 'not-a-param-name', shown: '1X' }],
      ['run-once a b c', { kind: 'usage', usage: 'run-once' }],
      ['run-once --rm -rf', { kind: 'only-force' }],
      [`run-once a ${Array.from({ length: 11 }, (_, i) => `P${i}=1`).join(' ')}`, { kind: 'too-many-settings', max: 10 }],
      [`run-once a count=${'9'.repeat(30)}`, { kind: 'bad-count', shown: '9'.repeat(20) }],
    ])('refuses %s', (text, problem) => {
      expect(parseCommand(text)).toEqual({ kind: 'invalid', command: 'run-once', problem });
    });
  });

  describe('history #ID: one attack whole', () => {
    it.each([
      ['history #12', { kind: 'history-detail', id: '12' }],
      ['history #1', { kind: 'history-detail', id: '1' }],
      ['HISTORY #7', { kind: 'history-detail', id: '7' }],
      ['@chaoscat history #12', { kind: 'history-detail', id: '12' }],
      ['history "#12"', { kind: 'history-detail', id: '12' }],
      ['history #007', { kind: 'history-detail', id: '7' }],
      ['history #123456789012345', { kind: 'history-detail', id: '123456789012345' }],
      // `history N` keeps meaning the last N attacks.
      ['history 12', { kind: 'history', limit: 12 }],
    ])('%j', (text, expected) => {
      expect(parseCommand(text)).toEqual(expected);
    });

    it.each([
      ['history #', { kind: 'usage', usage: 'history-id' }],
      ['history # 12', { kind: 'usage', usage: 'history-id' }],
      ['history #abc', { kind: 'usage', usage: 'history-id' }],
      ['history #12 more', { kind: 'usage', usage: 'history-id' }],
      ['history #-1', { kind: 'usage', usage: 'history-id' }],
      ['history #1.5', { kind: 'usage', usage: 'history-id' }],
      ['history #1234567890123456', { kind: 'usage', usage: 'history-id' }],
      ['history #0', { kind: 'history-id-zero' }],
      ['history #000', { kind: 'history-id-zero' }],
      ['history 500', { kind: 'history-range', max: 100, oneAttack: '500' }],
      ['history 0', { kind: 'history-range', max: 100, oneAttack: null }],
      ['history lots', { kind: 'usage', usage: 'history' }],
      ['history failed x y', { kind: 'usage', usage: 'history' }],
    ])('refuses %j with a message that says what would work', (text, problem) => {
      expect(parseCommand(text)).toEqual({ kind: 'invalid', command: 'history', problem });
    });

    it('never returns an id that is not plain digits', () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 40 }), (tail) => {
          const cmd = parseCommand(`history #${tail}`);
          if (cmd.kind === 'history-detail') expect(cmd.id).toMatch(/^[1-9]\d{0,14}$/);
        }),
        { numRuns: 500, seed: 11 },
      );
    });
  });

  it('unknown words come back as unknown, bounded', () => {
    const cmd = parseCommand(`${'x'.repeat(5000)} now`);
    expect(cmd.kind).toBe('unknown');
    expect(cmd.kind === 'unknown' && cmd.word.length).toBeLessThanOrEqual(40);
  });

  it('never throws and never returns a name with shell or control characters stripped into something else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), (text) => {
        const cmd = parseCommand(text);
        expect(typeof cmd.kind).toBe('string');
        if (cmd.kind === 'run-once') {
          for (const name of [cmd.attack, cmd.host]) {
            // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting that none survive
            if (name !== undefined) expect(name).not.toMatch(/[\s\u0000-\u001f]/);
          }
        }
      }),
      { numRuns: 500, seed: 1 },
    );
  });
});

describe('control and bidi characters in typed text', () => {
  it.each([
    [
      'a stop reason with a right-to-left override',
      'stop deploy \u202etxt.exe',
      { kind: 'stop', reason: 'deploy \\u202etxt.exe' },
    ],
    ['a stop reason with a terminal escape', 'stop \u001b[2Jgone', { kind: 'stop', reason: '\\u001b[2Jgone' }],
    ['an unknown word with an isolate', 'sta\u2066tus', { kind: 'unknown', word: 'sta\\u2066tus' }],
    // A kill switch with an invisible character inside still reads as the stop it looks like.
    ['a stop word with an isolate', 'st\u2066op', { kind: 'stop', reason: '' }],
    [
      'a run-once name with a NUL',
      'run-once cpu-burn web-1\u0000',
      { kind: 'run-once', force: false, attack: 'cpu-burn', host: 'web-1\\u0000' },
    ],
  ])('%s is kept, escaped', (_name, typed, parsed) => {
    expect(parseCommand(typed)).toEqual(parsed);
  });
});

it('a stop reason cut at its limit never ends in half an escape', () => {
  const cmd = parseCommand(`stop ${'x'.repeat(MAX_REASON_CHARS - 2)}\u202e tail`);
  expect(cmd).toEqual({ kind: 'stop', reason: 'x'.repeat(MAX_REASON_CHARS - 2) });
});
