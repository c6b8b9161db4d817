import { describe, expect, it } from 'vitest';
import { buttonCommand } from '../../src/adapters/slack/game-day-blocks.js';
import { parseCommand } from '../../src/domain/command-parser.js';

describe('approve and skip a game day', () => {
  it.each([
    ['approve friday', { kind: 'approve', name: 'friday' }],
    ['skip friday', { kind: 'skip', name: 'friday' }],
    ['@chaoscat Approve  "friday"', { kind: 'approve', name: 'friday' }],
    ['approve friday @1795816800000', { kind: 'approve', name: 'friday', at: 1795816800000 }],
    ['approve', { kind: 'invalid', command: 'approve', problem: { kind: 'usage', usage: 'approve' } }],
    ['skip friday monday', { kind: 'invalid', command: 'skip', problem: { kind: 'usage', usage: 'skip' } }],
    ['approve friday @soon', { kind: 'invalid', command: 'approve', problem: { kind: 'usage', usage: 'approve' } }],
    ['approve friday @1 extra', { kind: 'invalid', command: 'approve', problem: { kind: 'usage', usage: 'approve' } }],
    ['approve @1795816800000', { kind: 'invalid', command: 'approve', problem: { kind: 'usage', usage: 'approve' } }],
  ])('%s', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it("turns a button's value into the command, and refuses a value that is not one of ours", () => {
    expect(buttonCommand('approve', 'friday@1795816800000')).toBe('approve friday @1795816800000');
    expect(buttonCommand('skip', 'friday@1795816800000')).toBe('skip friday @1795816800000');
    expect(buttonCommand('approve', 'friday; rm -rf /@1')).toBeNull();
    expect(buttonCommand('approve', undefined)).toBeNull();
  });
});
