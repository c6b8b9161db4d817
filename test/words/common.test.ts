import { describe, expect, it } from 'vitest';
import { endWords, exitWords, plural } from '../../src/words/common.js';
import { valueText } from '../../src/words/evidence.js';

describe('words', () => {
  it.each([
    [0, 'attack', '0 attacks'],
    [1, 'attack', '1 attack'],
    [2, 'attack', '2 attacks'],
    [1, 'host', '1 host'],
  ])('plural(%i, %s) is "%s"', (n, word, text) => {
    expect(plural(n, word)).toBe(text);
  });

  it.each([
    [0, null, 'exit 0'],
    [124, null, 'timed out (exit 124)'],
    [137, null, 'killed by SIGKILL (exit 137)'],
    [127, null, 'could not run: command not found (exit 127)'],
    [2, null, 'failed (exit 2)'],
    [null, 'SIGKILL', 'killed by SIGKILL'],
    [null, null, 'ended without a status'],
  ])('exit %s / signal %s reads "%s"', (code, signal, text) => {
    expect(exitWords(code, signal)).toBe(text);
  });

  it.each([
    ['completed', 124, null, 'ran to its deadline'],
    ['failed', 124, null, 'timed out (exit 124)'],
    ['completed', 0, null, 'exit 0'],
    ['reverted', 143, null, 'killed by SIGTERM (exit 143)'],
  ])('a %s attack with exit %s / signal %s ends "%s" (not "completed … timed out")', (state, code, signal, text) => {
    expect(endWords(state, code, signal)).toBe(text);
  });
});

describe('values of a metric', () => {
  it.each([
    [100, '%', '100 %'],
    [99.5, '%', '99.5 %'],
    [0.25, '', '0.25'],
    [1200, 'ms', '1200 ms'],
    [40, '', '40'],
    [null, 'ms', '—'],
  ])('%s %s reads %s', (v, unit, text) => {
    expect(valueText(v, unit)).toBe(text);
  });
});
