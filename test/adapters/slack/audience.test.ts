import { describe, expect, it } from 'vitest';
import { audience } from '../../../src/adapters/slack/audience.js';

describe('who sees the answer to a command in Slack', () => {
  it.each([
    ['help', { text: 'help', ephemeral: true, stop: false, urgent: false }],
    ['? run-once', { text: '? run-once', ephemeral: true, stop: false, urgent: false }],
    ['status', { text: 'status', ephemeral: true, stop: false, urgent: false }],
    ['status payments', { text: 'status payments', ephemeral: true, stop: false, urgent: false }],
    ['status here', { text: 'status', ephemeral: false, stop: false, urgent: false }],
    ['Status payments HERE', { text: 'Status payments', ephemeral: false, stop: false, urgent: false }],
    ['stop here', { text: 'stop here', ephemeral: false, stop: true, urgent: true }],
    ['halt db is sad', { text: 'halt db is sad', ephemeral: false, stop: true, urgent: true }],
    ['history 5', { text: 'history 5', ephemeral: true, stop: false, urgent: false }],
    ['history 5 here', { text: 'history 5', ephemeral: false, stop: false, urgent: false }],
    ['history #3', { text: 'history #3', ephemeral: true, stop: false, urgent: false }],
    ['hosts here', { text: 'hosts here', ephemeral: false, stop: false, urgent: false }],
    ['', { text: '', ephemeral: false, stop: false, urgent: false }],
    // A run-once's "Started #N, say stop" must never trail a later halt.
    ['run-once cpu-burn web-1', { text: 'run-once cpu-burn web-1', ephemeral: false, stop: false, urgent: true }],
  ])('%j', (text, expected) => {
    expect(audience(text)).toEqual(expected);
  });
});
