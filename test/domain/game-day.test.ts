import { describe, expect, it } from 'vitest';
import { isApproved, startCheck, withApproval } from '../../src/domain/game-day.js';
import { approvalText } from '../../src/words/game-day.js';

describe('approvals of a game day', () => {
  it.each([
    // [rule, required, approvers, approved, text]
    ['none needed: approved with nobody', 0, [], true, 'no approval needed'],
    ['one needed, none given', 1, [], false, '0 of 1 approval'],
    ['one needed, one given', 1, ['U1'], true, '1 of 1 approval'],
    ['two needed, one admin twice counts once', 2, ['U1', 'U1'], false, '2 of 2 approvals'],
    ['two needed, two admins', 2, ['U1', 'U2'], true, '2 of 2 approvals'],
    ['more than needed is still enough', 1, ['U1', 'U2'], true, '1 of 1 approval'],
  ])('%s', (_rule, required, approvers, approved, text) => {
    expect(isApproved(required, approvers)).toBe(approved);
    if (new Set(approvers).size === approvers.length) expect(approvalText(required, approvers)).toBe(text);
  });

  it('adds an admin once, however often they press Approve', () => {
    const first = withApproval([], 'U1');
    expect(first).toEqual({ approvedBy: ['U1'], counted: true });
    const again = withApproval(first.approvedBy, 'U1');
    expect(again).toEqual({ approvedBy: ['U1'], counted: false });
    expect(withApproval(again.approvedBy, 'U2')).toEqual({ approvedBy: ['U1', 'U2'], counted: true });
  });
});

describe('startCheck: what a game day needs at its start, before the runner gates', () => {
  it.each([
    ['approved: go on', 1, { state: 'announced' as const, approvedBy: ['U1'], detail: null }, { ok: true }],
    [
      'not approved: skip, saying how many were missing',
      2,
      { state: 'announced' as const, approvedBy: ['U1'], detail: null },
      { ok: false, skip: { kind: 'unapproved', approvals: 2, approvedBy: ['U1'] } },
    ],
    [
      'skipped by an admin: skip with who did',
      0,
      { state: 'skipped' as const, approvedBy: [], detail: 'skipped by <@U1>' },
      { ok: false, skip: { kind: 'skipped', detail: 'skipped by <@U1>' } },
    ],
    [
      'never announced and approvals needed: skip',
      1,
      null,
      { ok: false, skip: { kind: 'unapproved', approvals: 1, approvedBy: [] } },
    ],
    ['never announced, none needed: go on', 0, null, { ok: true }],
  ])('%s', (_rule, approvals, occurrence, expected) => {
    expect(startCheck({ approvals }, occurrence)).toEqual(expected);
  });
});
