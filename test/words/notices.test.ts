import { describe, expect, it } from 'vitest';
import type { AttackRecord } from '../../src/domain/model.js';
import type { Notice } from '../../src/ports/chat.js';
import { noticeWords } from '../../src/words/notices.js';
import { plainText } from '../../src/words/tokens.js';

const TZ = 'Europe/Berlin';
const AT = Date.parse('2026-12-04T16:46:00Z');
const record = { id: '7', attack: 'cpu-burn', host: 'web-1' } as AttackRecord;

/** Every kind of notice, with what its sentence must say. */
const NOTICES: readonly [Notice, RegExp][] = [
  [
    {
      kind: 'deaf-reverted',
      from: AT,
      to: AT + 35_000,
      why: 'Socket Mode disconnected',
      timeoutMs: 30_000,
      attacks: [{ id: '7', attack: 'cpu-burn', host: 'web-1' }],
    },
    /^ChaosCat could not hear `stop` from 17:46:00 GMT\+1 to 17:46:35 GMT\+1 \(Socket Mode disconnected\), longer than schedule\.deafTimeout \(30s\), so it told the host to revert #7 cpu-burn on web-1; /,
  ],
  [
    { kind: 'end-checked', record, result: { outcome: 'reverted', found: { kind: 'gone', host: 'web-1' }, tookMs: 5 }, at: AT },
    /^#7 cpu-burn on web-1 \(its end was not confirmed\): checked 17:46 GMT\+1 at the next contact: nothing of it was left/,
  ],
  [
    { kind: 'game-day-unrecorded', name: 'friday', at: AT, error: 'disk I/O error' },
    /^Game day friday \(Fri 2026-12-04 17:46 GMT\+1\): its notice cannot be recorded \(disk I\/O error\)/,
  ],
  [
    { kind: 'game-day-skipped', name: 'friday', at: AT, skip: { kind: 'unapproved', approvals: 2, approvedBy: ['U1'] } },
    /^Game day friday \(Fri 2026-12-04 17:46 GMT\+1\) skipped: not approved: 1 of 2 approvals by the start\.$/,
  ],
  [
    { kind: 'game-day-skipped', name: 'friday', at: AT, skip: { kind: 'not-running' } },
    /skipped: missed: ChaosCat was not running at its start\.$/,
  ],
  [
    { kind: 'game-day-skipped', name: 'friday', at: AT, skip: { kind: 'late', minutes: 7 } },
    /skipped: missed: ChaosCat woke up 7 min after the start\.$/,
  ],
  [{ kind: 'game-day-skipped', name: 'friday', at: AT, skip: { kind: 'skipped', detail: null } }, /\) skipped: skipped\.$/],
  [
    { kind: 'game-day-skipped', name: 'friday', at: AT, skip: { kind: 'unreadable', cause: 'disk I/O error' } },
    /skipped: disk I\/O error\.$/,
  ],
  [
    { kind: 'game-day-skipped', name: 'friday', at: AT, skip: { kind: 'gone', attack: 'cpu-burn' } },
    /skipped: the attack cpu-burn is no longer in the catalogue\.$/,
  ],
  [
    {
      kind: 'game-day-skipped',
      name: 'friday',
      at: AT,
      skip: { kind: 'refused', refusal: { kind: 'deaf', cause: 'Socket Mode disconnected' } },
    },
    /skipped: cannot hear stop: Socket Mode disconnected\.$/,
  ],
  [
    { kind: 'live-check', problems: [{ what: 'host web-1', detail: 'host key unknown' }] },
    /^Live check at start: 1 problem — host web-1: host key unknown\. The bot runs on/,
  ],
  [{ kind: 'database-lost', reason: 'the file was replaced' }, /^Halted: the file was replaced\.$/],
  [{ kind: 'transport', text: 'ChaosCat 0.1.0 started' }, /^ChaosCat 0\.1\.0 started$/],
];

describe('notices are data, said in one place', () => {
  it.each(NOTICES.map(([n, words]) => [n.kind, n, words] as const))('%s', (_kind, notice, words) => {
    expect(plainText(noticeWords(notice, TZ))).toMatch(words);
  });
});
