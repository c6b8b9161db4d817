import { describe, expect, it } from 'vitest';
import type { Progress } from '../../src/ports/chat.js';
import { progressText } from '../../src/words/announcements.js';

const TZ = 'Europe/Berlin';
const AT = Date.UTC(2026, 11, 4, 13, 0);

/** One step of each kind: a new kind fails to type-check here until it has one. */
const STEPS: { readonly [K in Progress['kind']]: readonly Extract<Progress, { kind: K }>[] } = {
  started: [
    { kind: 'started', hosts: 1 },
    { kind: 'started', hosts: 3 },
  ],
  'dry-run': [{ kind: 'dry-run' }],
  'host-reverted': [
    {
      kind: 'host-reverted',
      host: 'web-2',
      id: '5',
      result: { outcome: 'reverted', found: { kind: 'gone', host: 'web-2' }, tookMs: 80 },
      deadlineAt: AT,
    },
    {
      kind: 'host-reverted',
      host: 'web-3',
      id: null,
      result: { outcome: 'unreachable', found: { kind: 'unreachable', cause: 'ECONNREFUSED' }, tookMs: 3 },
      deadlineAt: AT,
    },
  ],
};

describe('an attack’s steps, as its thread tells them', () => {
  it.each(Object.values(STEPS).flat())('every step renders: %o', (p) => {
    const text = progressText(p, TZ);
    expect(text.trim()).not.toBe('');
    expect(text).not.toMatch(/undefined|null|NaN|\[object/);
  });

  it('counts the hosts it started on, and says "the host" for one', () => {
    expect(progressText({ kind: 'started', hosts: 1 }, TZ)).toBe('started on the host');
    expect(progressText({ kind: 'started', hosts: 3 }, TZ)).toBe('started on 3 hosts');
  });
});
