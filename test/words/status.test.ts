import { describe, expect, it } from 'vitest';
import type { Fault } from '../../src/domain/fault.js';
import type { AttackRecord } from '../../src/domain/model.js';
import type { InFlight } from '../../src/words/halt-replies.js';
import {
  type NextChance,
  nextChanceText,
  type OverviewView,
  type StatusRecords,
  type StatusView,
  statusText,
  teamLineText,
  teamOverviewText,
} from '../../src/words/status.js';
import { plainText } from '../../src/words/tokens.js';
import { attackRecord, faultRecord } from '../support/records.js';

const TZ = 'Europe/Berlin';
const AT = Date.UTC(2026, 11, 4, 13, 0);
const record = (id: string, state: AttackRecord['state'] = 'running', dryRun = false): AttackRecord =>
  attackRecord({ id, state, dryRun, createdAt: AT, deadlineAt: AT + 90_000 });
const fault: Fault = faultRecord({ openedAt: AT });
const halt = { by: 'U0ADMIN', at: AT, reason: 'incident' };
const BROKEN = /undefined|\bnull\b|\[object Object\]|NaN/;
const sound = (text: string) => {
  expect(text).not.toBe('');
  expect(text).not.toMatch(BROKEN);
  expect(plainText(text)).not.toMatch(BROKEN);
  for (const line of text.split('\n')) expect(line.trim()).not.toBe('');
};

const chances: NextChance[] = [
  { kind: 'halted' },
  { kind: 'busy', inFlight: 1, cooldownMs: 600_000 },
  { kind: 'busy', inFlight: 2, cooldownMs: 600_000 },
  { kind: 'never-open' },
  { kind: 'at', at: null, cooldownUntil: null, closed: false },
  { kind: 'at', at: AT + 3_600_000, cooldownUntil: AT + 3_600_000, closed: false },
  { kind: 'at', at: AT + 7_200_000, cooldownUntil: AT + 3_600_000, closed: true },
  { kind: 'at', at: AT + 7_200_000, cooldownUntil: null, closed: true },
];

const flights: InFlight[] = [
  { kind: 'reserved', trigger: { kind: 'user', user: 'U0ALICE' } },
  { kind: 'reserved', trigger: { kind: 'game-day', name: 'friday' } },
  { kind: 'recorded', record: record('1') },
  { kind: 'recorded', record: record('2', 'running', true) },
  { kind: 'recorded', record: record('3', 'completed') },
];

const records: StatusRecords[] = [
  {
    ticks: {
      last: { at: AT, outcome: { kind: 'attacked', attackId: '1', attack: 'cpu-burn', host: 'web-1' } },
      skip: { at: AT - 60_000, outcome: { kind: 'skipped', code: 'closed', reason: 'outside business hours' } },
    },
    unconfirmed: [record('4', 'reverted')],
    health: {
      kind: 'checked',
      report: {
        healthy: false,
        checkedAt: AT,
        results: [
          { name: 'prom', kind: 'prometheus', healthy: true, reason: 'no alerts', durationMs: 5 },
          { name: 'web', kind: 'http', healthy: false, reason: 'HTTP 500', durationMs: 5 },
        ],
      },
    },
    readError: null,
  },
  { ticks: { last: null, skip: null }, unconfirmed: [], health: { kind: 'unconfigured' }, readError: null },
  { ticks: { last: null, skip: null }, unconfirmed: [], health: { kind: 'unchecked' }, readError: null },
  { ticks: null, unconfirmed: null, health: null, readError: 'SQLITE_BUSY' },
  { ticks: { last: null, skip: null }, unconfirmed: null, health: null, readError: 'disk I/O error' },
];

const base: StatusView = {
  timezone: TZ,
  now: AT + 20_000,
  faults: [],
  halt: null,
  dryRun: false,
  inFlight: [],
  recovering: 0,
  unsaved: 0,
  hours: { open: true, days: ['mon', 'tue'], start: '09:00', end: '17:00' },
  next: { kind: 'at', at: null, cooldownUntil: null, closed: false },
  gameDay: null,
  hosts: { total: 2, fromConfig: 2, sources: [] },
  hearing: { ok: true },
  records: records[1] as StatusRecords,
};

describe('status words', () => {
  it('says every next chance', () => {
    for (const n of chances) sound(nextChanceText(n, TZ));
    expect(nextChanceText({ kind: 'halted' }, TZ)).toBe('never until an admin says `start`');
    expect(nextChanceText({ kind: 'busy', inFlight: 2, cooldownMs: 600_000 }, TZ)).toBe(
      'after the 2 attacks in flight end and the cooldown (10m) passes, if every health check passes',
    );
    expect(nextChanceText({ kind: 'at', at: null, cooldownUntil: null, closed: false }, TZ)).toBe(
      'at the next tick, if every health check passes',
    );
    expect(plainText(nextChanceText(chances[6] as NextChance, TZ))).toMatch(/ \(cooldown until .+, business hours\), if/);
  });

  it('renders every variant of the status reply', () => {
    const variants: StatusView[] = [
      base,
      { ...base, halt, faults: [fault] },
      { ...base, halt: { ...halt, reason: '' } },
      { ...base, dryRun: true, inFlight: flights, recovering: 1, unsaved: 3 },
      { ...base, recovering: 2, hours: { ...base.hours, open: false } },
      { ...base, gameDay: 'Next game day: friday at Fri 14:00.' },
      {
        ...base,
        hosts: {
          total: 5,
          fromConfig: 2,
          sources: [
            { id: 'ansible:/etc/hosts', hosts: 3, okAt: AT, failingSince: null, error: null, notes: ['web-9 skipped'] },
            { id: 'prometheus:x', hosts: 0, okAt: null, failingSince: null, error: 'refused', notes: [] },
          ],
        },
      },
      { ...base, hearing: { ok: false, reason: 'socket closed' } },
      ...records.map((r) => ({ ...base, records: r })),
      ...chances.map((next) => ({ ...base, next })),
    ];
    for (const v of variants) sound(statusText(v));
  });

  it('says the key lines exactly', () => {
    expect(statusText(base)).toBe(
      [
        '*Running* — live.',
        'In flight: nothing.',
        'Business hours: open (mon tue 09:00–17:00 Europe/Berlin).',
        'Next attack: at the next tick, if every health check passes.',
        'Health: no providers configured (passes).',
      ].join('\n'),
    );
    const text = statusText({ ...base, halt, inFlight: flights, hearing: { ok: false, reason: 'socket closed' } });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^\*Halted\* — halted by <@U0ADMIN> at .+: incident\.$/);
    expect(lines).toContain('Starting: run-once by <@U0ALICE> — checking health; nothing touched yet.');
    expect(lines).toContain('Starting: game day friday — checking health; nothing touched yet.');
    expect(lines.find((l) => l.startsWith('In flight: #1'))).toMatch(/ — running, 40s left, its on-host timer kills it/);
    expect(lines.find((l) => l.startsWith('In flight: #2'))).toMatch(/ — running, 40s left\.$/);
    expect(lines.find((l) => l.startsWith('Verifying: #3'))).toMatch(/ — completed; its verdict is pending/);
    expect(lines).toContain('Cannot hear stop: socket closed — no attack starts until it can.');
    const broken = statusText({ ...base, records: records[4] as StatusRecords }).split('\n');
    expect(broken.at(-1)).toBe('The database cannot be read: disk I/O error');
    const full = plainText(statusText({ ...base, records: records[0] as StatusRecords }));
    expect(full).toMatch(/Last tick .+: attacked: #1 cpu-burn on web-1\./);
    expect(full).toMatch(/Last skip .+: outside business hours\./);
    expect(full).toMatch(/Not confirmed: #4 cpu-burn on web-1 — its host was unreachable/);
    expect(full).toMatch(/Health .+: UNHEALTHY\.\n {2}ok {3}prom \(prometheus\): no alerts\n {2}FAIL web \(http\): HTTP 500$/);
  });

  it('says a team line, running or halted', () => {
    const line = {
      team: 'payments',
      timezone: TZ,
      halt: null,
      dryRun: false,
      inFlight: [],
      next: chances[4] as NextChance,
      gameDay: null,
    };
    expect(teamLineText(line)).toBe(
      'payments: *Running* (live) — in flight: nothing; next attack: at the next tick, if every health check passes.',
    );
    sound(teamLineText({ ...line, dryRun: true, inFlight: flights, gameDay: 'Next game day: friday.' }));
    expect(teamLineText({ ...line, halt })).toMatch(/^payments: \*Halted\* — halted by <@U0ADMIN> at .+: incident\.$/);
  });

  it('gives the overview its lines', () => {
    const view: OverviewView = {
      team: 'payments',
      timezone: TZ,
      faults: [fault],
      halt,
      dryRun: false,
      inFlight: flights,
      next: { kind: 'halted' },
      ended: [record('5', 'completed'), { ...record('6', 'completed'), verdict: 'held' }],
    };
    const o = teamOverviewText(view);
    for (const s of [...o.faults, o.halted ?? 'x', ...o.inFlight, o.next, ...o.verdicts]) sound(s);
    expect(o.inFlight).toContain('run-once by <@U0ALICE> — checking health');
    expect(o.inFlight).toContain('#3 cpu-burn on web-1 — completed, verdict pending');
    expect(o.verdicts[0]).toBe('#5 cpu-burn on web-1: completed');
    expect(teamOverviewText({ ...view, halt: null, ended: { readError: 'locked' } })).toMatchObject({
      halted: null,
      verdicts: ['the database cannot be read: locked'],
    });
  });
});
