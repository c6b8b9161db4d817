import { describe, expect, it } from 'vitest';
import type { Fault } from '../../src/domain/fault.js';
import type { AttackRecord } from '../../src/domain/model.js';
import {
  inFlightText,
  type ResolveAnswer,
  resolveText,
  type StartAnswer,
  type StopAnswer,
  startText,
  stopText,
} from '../../src/words/halt-replies.js';
import { notStartedText } from '../../src/words/refusals.js';
import { plainText } from '../../src/words/tokens.js';
import { attackRecord, faultRecord } from '../support/records.js';

const TZ = 'Europe/Berlin';
const AT = Date.UTC(2026, 11, 4, 13, 0);
const record = (id: string, state: AttackRecord['state'] = 'running'): AttackRecord =>
  attackRecord({ id, state, createdAt: AT, deadlineAt: AT + 90_000 });
const fault: Fault = faultRecord({ openedAt: AT });
const BROKEN = /undefined|\bnull\b|\[object Object\]|NaN/;

describe('the kill switch answers from data', () => {
  const stops: StopAnswer[] = [
    { kind: 'already', halt: { by: 'U0ONCALL', at: AT, reason: 'incident' }, reverting: [record('3')] },
    {
      kind: 'halted',
      by: 'console',
      reason: 'deploy',
      reverting: [record('3')],
      cancelled: [record('4', 'pending')],
      checking: [{ kind: 'user', user: 'U0ALICE01' }],
      awaiting: [record('2', 'completed')],
      recovering: 1,
      writeError: 'disk full',
    },
    {
      kind: 'halted',
      by: 'console',
      reason: '',
      reverting: [],
      cancelled: [],
      checking: [],
      awaiting: [],
      recovering: 0,
      writeError: null,
    },
  ];
  const starts: StartAnswer[] = [
    { kind: 'faults', open: [fault] },
    { kind: 'not-halted' },
    { kind: 'unsaved', cause: 'disk full' },
    { kind: 'resumed', by: 'U0ADMIN01', inFlight: [] },
    { kind: 'resumed', by: 'U0ADMIN01', inFlight: [{ kind: 'recorded', record: record('2', 'completed') }] },
  ];
  const resolves: ResolveAnswer[] = [
    { kind: 'unsaved', cause: 'disk full' },
    { kind: 'unknown', id: '9', open: [fault] },
    { kind: 'unknown', id: '9', open: [] },
    { kind: 'resolved', id: '7', by: 'U0ADMIN01', note: 'rebooted', left: [], halted: true },
    { kind: 'resolved', id: '7', by: 'U0ADMIN01', note: '', left: [fault], halted: true },
  ];

  it('says every answer, never "undefined" or empty', () => {
    const texts = [...stops.map((s) => stopText(s, TZ)), ...starts.map(startText), ...resolves.map(resolveText)];
    for (const text of texts) {
      expect(text.trim()).not.toBe('');
      expect(text).not.toMatch(BROKEN);
    }
  });

  it('names each attack once, in what happens to it', () => {
    const text = plainText(stopText(stops[1] as StopAnswer, TZ)).split('\n');
    expect(text[0]).toBe('Halted by console: deploy. Nothing starts until an admin says `start`.');
    expect(text.filter((l) => l.includes('#3'))).toHaveLength(1);
    expect(text.some((l) => l.startsWith('Cancelled run-once by @U0ALICE01'))).toBe(true);
    expect(text.at(-1)).toBe('Warning: the database refused the halt (disk full). Nothing starts meanwhile.');
    expect(plainText(stopText(stops[2] as StopAnswer, TZ))).toContain('No attack was in flight.');
    const onlyChecking = { ...(stops[2] as StopAnswer), checking: [{ kind: 'schedule' } as const] };
    expect(plainText(stopText(onlyChecking, TZ))).toBe(
      'Halted by console. Nothing starts until an admin says `start`.\nCancelled a scheduled attack (it was still checking health).',
    );
  });

  it('says what still holds the team halted, and how to clear it', () => {
    expect(startText({ kind: 'faults', open: [fault] })).toContain('`resolve #7`');
    expect(resolveText({ kind: 'resolved', id: '7', by: 'console', note: '', left: [], halted: true })).toContain('stays halted');
    expect(resolveText({ kind: 'resolved', id: '7', by: 'console', note: '', left: [], halted: false })).toBe(
      'Resolved #7 by console.',
    );
  });

  it('names what holds the slot when a run-once finds one in flight', () => {
    const inFlight = [{ kind: 'reserved', trigger: { kind: 'game-day', name: 'friday' } } as const];
    expect(inFlightText(inFlight)).toBe('game day friday, checking health');
    expect(inFlightText([])).toBe('none');
    expect(notStartedText({ refusal: { kind: 'in-flight' }, record: null, inFlight }, TZ)).toBe(
      'Not starting: an attack is in flight (game day friday, checking health). One at a time.',
    );
  });
});
