import { describe, expect, it } from 'vitest';
import type { HostEnd, RevertFound } from '../../src/domain/host-end.js';
import { foundText, hostEndText, nextContactFound } from '../../src/words/host-ends.js';

/** One of each kind: a new kind fails to type-check here until it has one. */
const FOUND: { readonly [K in RevertFound['kind']]: Extract<RevertFound, { kind: K }> } = {
  gone: { kind: 'gone', host: 'web-1' },
  left: { kind: 'left', host: 'web-1', alive: 0, rollback: 3 },
  'no-report': { kind: 'no-report', host: 'web-1', said: 'sudo: a password is required' },
  unfinished: { kind: 'unfinished', host: 'web-1', cause: 'timed out after 170s' },
  unreachable: { kind: 'unreachable', cause: 'ECONNREFUSED' },
  unbuilt: { kind: 'unbuilt', cause: 'command too long' },
  already: { kind: 'already', outcome: 'completed', end: null },
  'dry-run': { kind: 'dry-run' },
  unconfigured: { kind: 'unconfigured', host: 'old-1' },
  error: { kind: 'error', during: 'abort', cause: 'boom' },
};

const ENDS: { readonly [K in HostEnd['kind']]: Extract<HostEnd, { kind: K }> } = {
  'rollback-failed': { kind: 'rollback-failed', exit: 4, survivors: false },
  'survived-kill': { kind: 'survived-kill' },
  'went-down': { kind: 'went-down', host: 'web-1', heardEnd: true },
  'told-to-stop': { kind: 'told-to-stop', host: 'web-1' },
  'ignored-term': { kind: 'ignored-term' },
  exited: { kind: 'exited', status: 3 },
  aborted: { kind: 'aborted', why: 'stop from test', found: FOUND.gone },
  lost: { kind: 'lost', host: 'web-1', found: FOUND.gone },
  'not-started': { kind: 'not-started', cause: 'the wrapper ended before the attack ran' },
  error: { kind: 'error', cause: 'boom' },
  told: { kind: 'told', text: 'words of an earlier version' },
};

describe('the words for what a host said of an attack', () => {
  it.each(Object.values(FOUND))('every revert finding renders: %o', (f) => {
    const text = foundText(f);
    expect(text.trim()).not.toBe('');
    expect(text).not.toMatch(/undefined|null|\[object/);
  });

  it.each(Object.values(ENDS))('every host end renders: %o', (e) => {
    const text = hostEndText(e);
    expect(text.trim()).not.toBe('');
    expect(text).not.toMatch(/undefined|null|\[object/);
  });

  it.each<[string, RevertFound, string]>([
    ['reverted', { kind: 'gone', host: 'web-1' }, 'processes gone and rollback ran on web-1'],
    [
      'a failed rollback',
      { kind: 'left', host: 'web-1', alive: 0, rollback: 3 },
      'processes gone on web-1, but the rollback failed (exit 3)',
    ],
    [
      'survivors and a failed rollback',
      { kind: 'left', host: 'web-1', alive: 2, rollback: 1 },
      '2 processes of the attack still alive on web-1 after SIGKILL, and the rollback failed (exit 1)',
    ],
    [
      'a survivor after a good rollback',
      { kind: 'left', host: 'web-1', alive: 1, rollback: 0 },
      '1 process of the attack still alive on web-1 after SIGKILL',
    ],
    [
      'no rollback could run',
      { kind: 'left', host: 'web-1', alive: 0, rollback: null },
      'processes gone on web-1, but no rollback could run (the attack definition is unknown)',
    ],
    [
      'a stuck wrapper',
      { kind: 'left', host: 'web-1', alive: 0, rollback: 2, stuck: true },
      'processes gone on web-1, but the rollback failed (exit 2); the wrapper is still running',
    ],
    [
      'a halt that did not report',
      { kind: 'no-report', host: 'web-1', said: 'sudo: a password is required' },
      'the halt on web-1 did not report (sudo: a password is required): the attack may still run',
    ],
    [
      'already ended and rolled back',
      { kind: 'already', outcome: 'failed', end: { kind: 'exited', status: 3 } },
      'already ended and rolled back: the attack exited with status 3; rolled back',
    ],
    ['already ended, nothing more said', { kind: 'already', outcome: 'failed', end: null }, 'already ended and rolled back'],
  ])('%s', (_name, found, words) => {
    expect(foundText(found)).toBe(words);
  });

  it('a failed rollback is never said to end by itself', () => {
    for (const f of Object.values(FOUND)) expect(foundText(f)).not.toMatch(/by itself|ends at|will clear/);
    for (const e of Object.values(ENDS)) expect(hostEndText(e)).not.toMatch(/by itself|ends at|will clear/);
  });

  it('a lost connection to a host not reached again says the rollback is unknown, not that it ran', () => {
    const text = hostEndText({ kind: 'lost', host: 'web-1', found: { kind: 'unreachable', cause: 'ECONNREFUSED' } });
    expect(text).toContain('web-1 could not be reached again (ECONNREFUSED)');
    expect(text).toContain('whether that rollback succeeded is unknown');
  });

  it('an abort says why it was asked for and what the revert found', () => {
    expect(
      hostEndText({ kind: 'aborted', why: 'stop from test', found: { kind: 'left', host: 'host-0', alive: 0, rollback: 3 } }),
    ).toBe('aborted (stop from test): processes gone on host-0, but the rollback failed (exit 3)');
    expect(nextContactFound({ kind: 'gone', host: 'web-1' })).toBe(
      'the check at the next contact found: processes gone and rollback ran on web-1',
    );
  });
});
