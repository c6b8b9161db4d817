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
    ['answer', /usage: `answer #ID/],
    ['answer #0 paged=no', /usage: `answer #ID/],
    ['answer #12', /usage: `answer #ID/],
    ['answer #12 paged=maybe', /paged=maybe: say paged=yes, paged=no or paged=not-mine/],
    ['answer #12 runbook=sort-of', /runbook=sort-of: say runbook=yes, runbook=partly, runbook=no or runbook=none/],
    ['answer #12 rm -rf /', /"rm" is not part of an answer/],
    ['answer #12 note', /`note` needs some words after it/],
  ])('%s is refused with what to type', (text, message) => {
    const cmd = parseCommand(text);
    expect(cmd.kind).toBe('invalid');
    expect(cmd.kind === 'invalid' && cmd.message).toMatch(message);
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
    const cmd = parseCommand('fixed the alert');
    expect(cmd.kind === 'invalid' && cmd.message).toMatch(/usage: `fixed #ID \[note\]`/);
  });
});
