import { describe, expect, it } from 'vitest';
import { MAX_NOTE_CHARS } from '../../src/domain/answers.js';
import { parseCommand } from '../../src/domain/command-parser.js';

describe('the answer command', () => {
  it.each([
    ['answer #12 paged=no', { kind: 'answer', id: '12', paged: 'no' }],
    ['answer 12 runbook=partly', { kind: 'answer', id: '12', runbook: 'partly' }],
    ['Answer #3 PAGED=Not-Mine runbook=NONE', { kind: 'answer', id: '3', paged: 'not-mine', runbook: 'none' }],
    [
      'answer #4 paged=yes note the alert fired but went to the old rota',
      { kind: 'answer', id: '4', paged: 'yes', note: 'the alert fired but went to the old rota' },
    ],
    ['answer #4 note="paged=no is what I meant"', { kind: 'answer', id: '4', note: 'paged=no is what I meant' }],
    ['answer #5 note stop everything, this is a note', { kind: 'answer', id: '5', note: 'stop everything, this is a note' }],
  ])('%s', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each([
    ['answer', { kind: 'usage', usage: 'answer' }],
    ['answer #0 paged=no', { kind: 'usage', usage: 'answer' }],
    ['answer #12', { kind: 'usage', usage: 'answer' }],
    ['answer #12 paged=maybe', { kind: 'bad-paged', shown: 'maybe' }],
    ['answer #12 runbook=sort-of', { kind: 'bad-runbook', shown: 'sort-of' }],
    ['answer #12 rm -rf /', { kind: 'not-answer-part', shown: 'rm' }],
    ['answer #12 note', { kind: 'empty-note' }],
  ])('%s is refused with what to type', (text, problem) => {
    expect(parseCommand(text)).toEqual({ kind: 'invalid', command: 'answer', problem });
  });

  it('cuts what it shows back', () => {
    expect(parseCommand(`answer #12 paged=${'y'.repeat(50)}`)).toMatchObject({
      problem: { kind: 'bad-paged', shown: 'y'.repeat(20) },
    });
    expect(parseCommand(`answer #12 ${'z'.repeat(50)}`)).toMatchObject({
      problem: { kind: 'not-answer-part', shown: 'z'.repeat(40) },
    });
  });

  it('keeps a note to its bound', () => {
    const cmd = parseCommand(`answer #1 note ${'x'.repeat(1_000)}`);
    expect(cmd.kind === 'answer' && cmd.note?.length).toBe(MAX_NOTE_CHARS);
  });
});

describe('the fixed command', () => {
  it.each([
    ['fixed #7', { kind: 'fixed', id: '7', note: '' }],
    ['fixed 7 the alert now pages', { kind: 'fixed', id: '7', note: 'the alert now pages' }],
  ])('%s', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it('refuses a missing id with what to type', () => {
    expect(parseCommand('fixed the alert')).toEqual({
      kind: 'invalid',
      command: 'fixed',
      problem: { kind: 'usage', usage: 'fixed' },
    });
  });
});
