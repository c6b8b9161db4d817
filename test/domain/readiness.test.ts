import { describe, expect, it } from 'vitest';
import { type ReadinessInput, readiness } from '../../src/domain/readiness.js';

const OK = { ok: true } as const;
const all: ReadinessInput = { store: OK, hearing: OK, shuttingDown: false };

describe('readiness', () => {
  it.each<[string, Partial<ReadinessInput>, readonly string[] | null]>([
    ['is ready when the store is writable, stop can be heard and it is not shutting down', {}, null],
    ['is not ready while shutting down', { shuttingDown: true }, ['shutting down']],
    [
      'is not ready while it cannot hear stop, and says why',
      { hearing: { ok: false, reason: 'Slack Socket Mode is reconnecting' } },
      ['cannot hear stop: Slack Socket Mode is reconnecting'],
    ],
    [
      'is not ready when the database takes no writes',
      { store: { ok: false, reason: 'the database is open read-only' } },
      ['database not writable: the database is open read-only'],
    ],
    [
      'names every unmet condition at once',
      { shuttingDown: true, hearing: { ok: false, reason: 'stopping' }, store: { ok: false, reason: 'closed' } },
      ['shutting down', 'cannot hear stop: stopping', 'database not writable: closed'],
    ],
  ])('%s', (_rule, change, reasons) => {
    expect(readiness({ ...all, ...change })).toEqual(reasons === null ? { ready: true } : { ready: false, reasons });
  });
});
