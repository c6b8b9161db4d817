import { describe, expect, it } from 'vitest';
import { audience } from '../../../src/adapters/slack/audience.js';

describe('who sees the answer to a command in Slack', () => {
  it.each([
    ['help', { text: 'help', ephemeral: true, stop: false }],
    ['? run-once', { text: '? run-once', ephemeral: true, stop: false }],
    ['status', { text: 'status', ephemeral: true, stop: false }],
    ['status payments', { text: 'status payments', ephemeral: true, stop: false }],
    ['status here', { text: 'status', ephemeral: false, stop: false }],
    ['Status payments HERE', { text: 'Status payments', ephemeral: false, stop: false }],
    ['stop here', { text: 'stop here', ephemeral: false, stop: true }],
    ['halt db is sad', { text: 'halt db is sad', ephemeral: false, stop: true }],
    ['history 5', { text: 'history 5', ephemeral: false, stop: false }],
    ['hosts here', { text: 'hosts here', ephemeral: false, stop: false }],
    ['', { text: '', ephemeral: false, stop: false }],
  ])('%j', (text, expected) => {
    expect(audience(text)).toEqual(expected);
  });
});
