import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/domain/command-parser.js';
import { readStop, STOP_WORDS } from '../../src/domain/kill-switch.js';

/** `stop` in any case: each letter upper or lower. */
const anyCase = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((upper) => [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));
const stopWord = fc.constantFrom(...STOP_WORDS).chain(anyCase);
const wrapper = fc.constantFrom('', '`', '*', '_', '~', '"', "'", '**', '```', '*_', '“', '‘');
const closing: Record<string, string> = { '“': '”', '‘': '’' };
const punctuation = fc
  .array(fc.constantFrom('!', '.', ',', '?', ';', ':', '…', '!!', '-'), { maxLength: 4 })
  .map((a) => a.join(''));
const emoji = fc.constantFrom(
  '',
  ':octagonal_sign: ',
  ':octagonal_sign:',
  '🛑 ',
  '🛑',
  ':rotating_light: ',
  '✋🏽 ',
  '🇺🇸 ',
  '⚠️ ',
  ':+1::skin-tone-2: ',
);
const before = fc.constantFrom('', '<@U0BOT> ', '@chaoscat ', '> ', '  ', '!!! ');
const reasonWords = fc.array(fc.constantFrom('payments', 'latency', 'is', 'bad', 'NOW', '#42', 'incident', 'stop'), {
  maxLength: 4,
});

describe('the kill switch reads a stop however it is typed', () => {
  it.each([
    ['Stop!'],
    ['`stop`'],
    ['*stop*'],
    ['"stop"'],
    ['_stop_'],
    ['stop,'],
    ['Stop.'],
    ['STOP!!!'],
    [':octagonal_sign: stop'],
    ['~stop~'],
    ['halt'],
    ['abort!'],
    ['🛑STOP🛑'],
    ['ｓｔｏｐ'],
  ])('%j is a stop', (text) => {
    expect(parseCommand(text)).toEqual({ kind: 'stop', reason: '' });
  });

  it.each([
    ['*Stop!* payments are failing', 'payments are failing'],
    ['`stop latency too high`', 'latency too high'],
    ['STOP!!! “incident” 42', '"incident" 42'],
    [':octagonal_sign: halt deploy in progress', 'deploy in progress'],
  ])('%j keeps its reason as typed: %j', (text, reason) => {
    expect(parseCommand(text)).toEqual({ kind: 'stop', reason });
  });

  it('any formatting of stop, halt or abort halts, and the reason keeps its words', () => {
    fc.assert(
      fc.property(
        before,
        emoji,
        wrapper,
        stopWord,
        punctuation,
        fc.boolean(),
        reasonWords,
        emoji,
        (pre, emojiBefore, wrap, word, punct, wrapAll, reason, emojiAfter) => {
          const close = closing[wrap] ?? [...wrap].reverse().join('');
          const said = reason.join(' ');
          const text = wrapAll
            ? `${pre}${emojiBefore}${wrap}${word}${punct}${said ? ` ${said}` : ''}${close} ${emojiAfter}`
            : `${pre}${emojiBefore}${wrap}${word}${close}${punct}${said ? ` ${said}` : ''} ${emojiAfter}`;
          const cmd = parseCommand(text);
          expect(cmd.kind, text).toBe('stop');
          for (const w of reason) expect(cmd.kind === 'stop' && cmd.reason, text).toContain(w);
        },
      ),
      { numRuns: 2000, seed: 22 },
    );
  });
});

describe('nothing else is read as a stop', () => {
  it.each([
    ['stopwatch'],
    ['stopped'],
    ['stopping now'],
    ["don't stop"],
    ['*dont* stop'],
    ['please stop'],
    ['nonstop'],
    ['halting'],
    ['aborted'],
    ['stop-loss'],
    ["stop's"],
    ['start'],
    ['status'],
    ['run-once stop'],
    ['history stop'],
  ])('%j is not a stop', (text) => {
    expect(parseCommand(text).kind).not.toBe('stop');
  });

  it('a message whose first word is any other word is never a stop, however formatted', () => {
    const other = fc.oneof(
      fc.constantFrom('stopwatch', 'stopped', 'stops', "don't", 'start', 'status', 'help', 'nonstop', 'halted', 'aborting'),
      fc.stringMatching(/^[a-z][a-z-]{0,11}$/).filter((w) => !STOP_WORDS.includes(w.replaceAll('-', ''))),
    );
    fc.assert(
      fc.property(before, emoji, wrapper, other.chain(anyCase), punctuation, reasonWords, (pre, em, wrap, word, punct, rest) => {
        const close = closing[wrap] ?? [...wrap].reverse().join('');
        const text = `${pre}${em}${wrap}${word}${close}${punct} ${rest.join(' ')}`;
        expect(parseCommand(text).kind, text).not.toBe('stop');
        expect(readStop(text), text).toBeUndefined();
      }),
      { numRuns: 2000, seed: 23 },
    );
  });
});
