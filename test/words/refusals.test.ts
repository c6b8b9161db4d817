import { describe, expect, it } from 'vitest';
import { type Refusal, refusalCode } from '../../src/domain/refusal.js';
import { refusalText } from '../../src/words/refusals.js';
import { plainText } from '../../src/words/tokens.js';

const TZ = 'Europe/Berlin';
const AT = Date.UTC(2026, 11, 4, 13, 0); // Friday 14:00 in Berlin

/** One refusal of each kind, as the gates and the launch give them: a new kind fails to type-check here until it has one. */
const SAMPLES: { readonly [K in Refusal['kind']]: readonly Extract<Refusal, { kind: K }>[] } = {
  halted: [
    { kind: 'halted', halt: { by: 'U0ONCALL', at: AT, reason: 'incident' } },
    { kind: 'halted', halt: { by: 'console', at: AT, reason: '' } },
  ],
  'in-flight': [{ kind: 'in-flight' }],
  closed: [
    { kind: 'closed', opens: AT + 3_600_000 },
    { kind: 'closed', opens: null },
  ],
  cooldown: [{ kind: 'cooldown', until: AT }],
  quiet: [
    { kind: 'quiet', gameDay: 'drill', at: AT },
    { kind: 'quiet', gameDay: 'drill', at: AT, attack: 'cpu-burn' },
  ],
  deaf: [{ kind: 'deaf', cause: 'Socket Mode disconnected' }],
  unhealthy: [
    { kind: 'unhealthy', failing: [{ name: 'api', reason: 'HTTP 500' }] },
    { kind: 'unhealthy', failing: [] },
  ],
  'not-steady': [{ kind: 'not-steady', failing: [{ name: 'checkout', reason: 'HTTP 503' }] }],
  'no-attack': [
    { kind: 'no-attack', why: 'no-weight' },
    { kind: 'no-attack', why: 'not-drawn' },
    { kind: 'no-attack', why: 'none-fits' },
  ],
  'no-host': [
    { kind: 'no-host', attack: null },
    { kind: 'no-host', attack: 'cpu-burn' },
  ],
  unfit: [
    { kind: 'unfit', attack: 'cpu-burn', host: 'db-1', why: { kind: 'tags', tags: ['web', 'api'] } },
    { kind: 'unfit', attack: 'cpu-burn', host: 'db-1', why: { kind: 'names', names: 'web-.*' } },
    { kind: 'unfit', attack: 'cpu-burn', host: 'db-1', why: { kind: 'excluded', exclude: ['db-1'] } },
    { kind: 'unfit', attack: 'cpu-burn', host: 'db-1', why: { kind: 'host-vars', vars: ['iface'] } },
  ],
  invalid: [
    { kind: 'invalid', problem: { kind: 'unknown-param', attack: 'cpu-burn', typed: 'load', known: [] } },
    { kind: 'invalid', problem: { kind: 'not-listed', name: 'SIGNAL', shown: 'STOP', list: ['KILL', 'TERM'] } },
  ],
  'fault-remains': [
    { kind: 'fault-remains', left: [{ kind: 'unread', host: 'web-1', cause: 'database is locked' }] },
    {
      kind: 'fault-remains',
      left: [
        {
          kind: 'found',
          host: 'web-1',
          id: '7',
          attack: 'cpu-burn',
          at: AT,
          found: { kind: 'left', host: 'web-1', alive: 0, rollback: 3 },
          manualRollback: 'ssh web-1 rollback',
        },
        { kind: 'unread', host: 'web-2', cause: 'database is locked' },
      ],
    },
  ],
  preflight: [
    { kind: 'preflight', host: null, cause: 'missing command stress-ng' },
    { kind: 'preflight', host: 'web-2', cause: 'sudo needs a password' },
  ],
  announce: [{ kind: 'announce', cause: 'channel_not_found' }],
  store: [
    { kind: 'store', what: 'health', cause: 'disk full' },
    { kind: 'store', what: 'attack', cause: 'disk full' },
    { kind: 'store', what: null, cause: 'cannot write to the database: disk full' },
  ],
  cancelled: [
    { kind: 'cancelled', why: { kind: 'stopped', by: 'U0ONCALL', note: 'deploy' } },
    { kind: 'cancelled', why: null },
  ],
  stopped: [
    { kind: 'stopped', why: { kind: 'stopped', by: 'console', note: '' }, hosts: ['web-1'] },
    { kind: 'stopped', why: null, hosts: ['web-1', 'web-2'] },
  ],
  'start-failed': [
    { kind: 'start-failed', failures: ['connection refused'], single: true, reverting: false },
    { kind: 'start-failed', failures: ['web-1: refused', 'web-2: refused'], single: false, reverting: false },
    { kind: 'start-failed', failures: ['web-2: refused'], single: false, reverting: true },
  ],
  error: [
    { kind: 'error', during: 'launch', cause: 'boom' },
    { kind: 'error', during: 'tick', cause: 'boom' },
  ],
};

const ALL: readonly Refusal[] = Object.values(SAMPLES).flat();
const BROKEN = /undefined|\bnull\b|\[object Object\]|NaN/;

describe('every refusal renders, from its data', () => {
  it.each(ALL.map((r) => [r.kind, r] as const))('%s: said in words, never "undefined" or empty', (_kind, r) => {
    const text = plainText(refusalText(r, TZ));
    expect(text.trim()).not.toBe('');
    expect(text).not.toMatch(BROKEN);
    expect(refusalCode(r)).toMatch(/^[a-z-]+$/);
  });

  it('says the words people have read so far', () => {
    // The zone's short name is ICU's ("CET" or "GMT+1"): left out.
    const said = (r: Refusal) => plainText(refusalText(r, TZ)).replace(/ (CET|GMT\+1)\b/g, '');
    expect(said({ kind: 'halted', halt: { by: 'console', at: AT, reason: 'incident' } })).toBe(
      'halted by console at 14:00: incident',
    );
    expect(said({ kind: 'closed', opens: AT + 3_600_000 })).toBe('outside business hours: opens Fri 15:00');
    expect(said({ kind: 'unfit', attack: 'cpu-burn', host: 'db-1', why: { kind: 'tags', tags: ['web'] } })).toBe(
      'cpu-burn does not run on db-1 (it targets tags web)',
    );
    expect(said({ kind: 'start-failed', failures: ['web-2: refused'], single: false, reverting: true })).toBe(
      'could not start web-2: refused; the hosts that started it are being reverted',
    );
    expect(said({ kind: 'stopped', why: null, hosts: ['web-1', 'web-2'] })).toBe(
      "stopped; it had started on web-1, web-2 and is being reverted (each host's result follows as it arrives)",
    );
  });

  it('keeps the codes reports group by: a quiet period is a cooldown, a steady state that does not hold is unhealthy', () => {
    expect(refusalCode({ kind: 'quiet', gameDay: 'drill', at: AT })).toBe('cooldown');
    expect(refusalCode({ kind: 'not-steady', failing: [] })).toBe('unhealthy');
    expect(refusalCode({ kind: 'fault-remains', left: [] })).toBe('preflight');
    expect(refusalCode({ kind: 'unfit', attack: 'a', host: 'h', why: { kind: 'host-vars', vars: [] } })).toBe('no-host');
  });
});
