import { describe, expect, it } from 'vitest';
import { attackMessage } from '../../src/adapters/slack/blocks.js';
import { attackPage } from '../../src/adapters/web/attack-page.js';
import { ENDING_CODES, type Ending, type EndingCode, isAutomaticAbort } from '../../src/domain/ending.js';
import { type AttackRecord, type AttackState, pendingRecord } from '../../src/domain/model.js';
import { refusalCode } from '../../src/domain/refusal.js';
import { endingOf } from '../../src/domain/report-bars.js';
import { endedText, eventText } from '../../src/words/announcements.js';
import { abortText, endingBrief, endingText } from '../../src/words/endings.js';
import { plainText, when } from '../../src/words/tokens.js';

const TZ = 'Europe/Berlin';
const AT = Date.UTC(2026, 11, 4, 13, 0);

/** One ending of each kind, as the bot writes them: a new kind fails to type-check here until it has one. */
const SAMPLES: { readonly [K in EndingCode]: Extract<Ending, { kind: K }> } = {
  stopped: { kind: 'stopped', by: 'U0ONCALL', note: 'deploy in progress', revert: 'reverted' },
  health: { kind: 'health', failing: 'api: HTTP 500', revert: 'reverted' },
  deviation: { kind: 'deviation', failing: 'checkout: HTTP 503', revert: 'failed' },
  deaf: { kind: 'deaf', forMs: 35_000, why: 'Socket Mode disconnected', revert: 'unreachable' },
  shutdown: { kind: 'shutdown', signal: 'SIGTERM', revert: 'reverted' },
  gate: { kind: 'gate', refusal: { kind: 'closed', opens: AT + 3_600_000 } },
  'start-failed': { kind: 'start-failed', failures: ['on web-2: connection refused'], revert: 'reverted' },
  completed: { kind: 'completed' },
  failed: { kind: 'failed', end: null },
  'rollback-failed': { kind: 'rollback-failed', end: { kind: 'rollback-failed', exit: 3, survivors: false } },
  unconfirmed: { kind: 'unconfirmed', end: { kind: 'lost', host: 'web-1', found: { kind: 'unreachable', cause: 'timed out' } } },
  refused: { kind: 'refused', refusal: { kind: 'preflight', host: 'web-1', cause: 'missing command stress-ng' } },
  'not-started': { kind: 'not-started', why: 'connection refused' },
  cancelled: { kind: 'cancelled', by: { kind: 'stopped', by: 'console', note: '' }, refusal: null },
  orphaned: { kind: 'orphaned', was: 'running', revert: 'reverted' },
  legacy: { kind: 'legacy', text: 'web-1 reverted: stopped; web-2 failed: something new' },
};

const STATE: { readonly [K in EndingCode]: AttackState } = {
  stopped: 'reverted',
  health: 'reverted',
  deviation: 'failed',
  deaf: 'failed',
  shutdown: 'reverted',
  gate: 'cancelled',
  'start-failed': 'reverted',
  completed: 'completed',
  failed: 'failed',
  'rollback-failed': 'failed',
  unconfirmed: 'failed',
  refused: 'failed',
  'not-started': 'failed',
  cancelled: 'cancelled',
  orphaned: 'orphaned',
  legacy: 'failed',
};

function recordOf(code: EndingCode): AttackRecord {
  const ending = SAMPLES[code];
  const base = pendingRecord('7', {
    attack: 'cpu-burn',
    host: 'web-1',
    trigger: { kind: 'user', user: 'U0ALICE01' },
    dryRun: false,
    createdAt: AT,
    deadlineAt: AT + 90_000,
    durationMs: 60_000,
  });
  const ran = !['gate', 'refused', 'not-started', 'cancelled'].includes(code);
  return {
    ...base,
    state: STATE[code],
    startedAt: ran ? AT + 1_000 : null,
    endedAt: AT + 30_000,
    exitCode: ran ? 0 : null,
    rollbackOk: ran ? code !== 'rollback-failed' : null,
    reason: endingText(ending, TZ),
    ending,
  };
}

/** Every string a person reads in a Slack message: its fallback text and each block's text. */
function slackTexts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(slackTexts);
  if (value && typeof value === 'object') return Object.values(value).flatMap(slackTexts);
  return [];
}

const BROKEN = /undefined|\bnull\b|\[object Object\]|NaN/;

describe('every ending renders, from its data', () => {
  it('has a sample for every code', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...ENDING_CODES].sort());
  });

  it.each(ENDING_CODES)('%s: the words module says it in words, never "undefined" or empty', (code) => {
    const r = recordOf(code);
    const text = endingText(SAMPLES[code], TZ);
    expect(text.trim()).not.toBe('');
    expect(text).not.toMatch(BROKEN);
    expect(endingBrief(r, TZ) ?? '').not.toMatch(BROKEN);
    expect(endedText(r, [], TZ)).not.toMatch(BROKEN);
  });

  it.each(ENDING_CODES)('%s: the console, Slack and the web archive lay it out', (code) => {
    const r = recordOf(code);
    const consoleLine = eventText({ kind: 'attack-ended', record: r }, TZ);
    expect(consoleLine).toContain('#7 cpu-burn');
    expect(consoleLine).not.toMatch(BROKEN);
    const slack = attackMessage(r, null, TZ);
    for (const text of slackTexts(slack)) expect(text).not.toMatch(BROKEN);
    const page = attackPage(
      { record: r, samples: [], audit: [], params: null, hosts: [r], answers: [], evidence: [], timezone: TZ },
      (t) => t,
    );
    const ended = /<dt>ended<\/dt>\s*<dd>([^<]*)<\/dd>/.exec(page)?.[1] ?? '';
    expect(ended.trim()).not.toBe('');
    expect(ended).not.toMatch(BROKEN);
  });

  it('tells an abort as it was asked for, and leaves the revert time out of the ending line', () => {
    expect(abortText({ kind: 'stopped', by: 'U0ONCALL', note: '' }, TZ)).toBe('stopped by <@U0ONCALL>');
    expect(plainText(abortText({ kind: 'stopped', by: 'console', note: 'incident', at: AT }, TZ))).toMatch(
      /^halted by console at 14:00 [A-Z0-9+]+: incident$/,
    );
    expect(abortText({ kind: 'deaf', forMs: 35_000, why: 'socket closed' }, TZ)).toBe(
      'could not hear `stop` for 35s (socket closed)',
    );
    const r = { ...recordOf('health'), reason: 'health check failed: api: HTTP 500: reverted in 80 ms' };
    expect(endingBrief(r, TZ)).toBe('health check failed: api: HTTP 500');
    // A failed revert keeps its whole sentence: what was left and what to do is the point.
    const failed = { ...recordOf('deviation'), reason: 'steady state deviated: x: revert FAILED on web-1: …' };
    expect(endingBrief(failed, TZ)).toBe(failed.reason);
  });

  it('tells a refusal an ending keeps from its data, its code from refusalCode', () => {
    expect(plainText(endingText(SAMPLES.gate, TZ))).toBe('outside business hours: opens Fri 15:00 GMT+1');
    expect(endingText(SAMPLES.refused, TZ)).toBe('pre-flight on web-1: missing command stress-ng');
    expect(SAMPLES.refused.refusal && refusalCode(SAMPLES.refused.refusal)).toBe('preflight');
    expect(endingText({ kind: 'refused', refusal: null }, TZ)).toBe('failed');
    const gate = { kind: 'gate', refusal: { kind: 'cooldown', until: AT } } as const;
    expect(plainText(endingText({ kind: 'cancelled', by: gate, refusal: null }, TZ))).toMatch(
      /^cancelled before it touched the host: cooldown until 14:00 [A-Z0-9+]+$/,
    );
    const announce = { kind: 'announce', cause: 'channel_not_found' } as const;
    expect(endingText({ kind: 'cancelled', by: null, refusal: announce }, TZ)).toBe(
      'cancelled before it touched the host: the announcement could not be posted (channel_not_found); no announcement, no attack',
    );
    expect(endingText({ kind: 'cancelled', by: null, refusal: null }, TZ)).toBe('cancelled before it touched the host: stopped');
  });

  it('counts the bot’s own aborts, and only those, as automatic', () => {
    const automatic = ENDING_CODES.filter((c) => isAutomaticAbort(SAMPLES[c]));
    expect(automatic).toEqual(['health', 'deviation', 'deaf']);
    expect(ENDING_CODES.filter((c) => endingOf({ ending: SAMPLES[c] }) !== null)).toEqual([
      'stopped',
      'health',
      'deviation',
      'deaf',
    ]);
  });
});

describe('an end nobody saw, once the next contact checked it', () => {
  it('says what the check found instead of "not confirmed"', () => {
    const lost: Ending = {
      kind: 'unconfirmed',
      end: { kind: 'lost', host: 'web-1', found: { kind: 'unreachable', cause: 'timed out' } },
    };
    expect(endingText(lost, TZ)).toMatch(/ — not confirmed$/);
    const checked = endingText({ ...lost, checked: 'reverted' }, TZ);
    expect(checked).not.toContain('not confirmed');
    expect(checked).toMatch(/checked at the next contact: nothing of it was left$/);
    const aborted: Ending = { kind: 'stopped', by: 'console', note: '', revert: 'unreachable', checked: 'failed' };
    expect(endingText(aborted, TZ)).toBe(
      'stopped by console: host unreachable; checked at the next contact: the fault may still be in place',
    );
    const orphan: Ending = { kind: 'orphaned', was: 'running', revert: 'unreachable', checked: 'reverted' };
    expect(endingText(orphan, TZ)).toMatch(/recovery: host unreachable; checked at the next contact: nothing of it was left$/);
  });
});

describe('a halt found latched after a wait', () => {
  it('names who latched it the way every halt is told (a Slack id as a mention, not raw)', () => {
    const why = { kind: 'stopped', by: 'U0ALICE01', note: 'deploy', at: AT } as const;
    expect(abortText(why, TZ)).toBe(`halted by <@U0ALICE01> at ${when(AT, TZ)}: deploy`);
  });
});
