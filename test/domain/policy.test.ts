import { describe, expect, it } from 'vitest';
import type { BusinessHours } from '../../src/domain/business-hours.js';
import type { AttackDef, BotState, HealthReport, HostDef } from '../../src/domain/model.js';
import { pickRequested } from '../../src/domain/picker.js';
import { type Asker, type DecideInput, decide, gate } from '../../src/domain/policy.js';

const NOON = Date.parse('2026-11-24T20:00:00Z'); // Tuesday 12:00 in Los Angeles
const SATURDAY = Date.parse('2026-11-28T20:00:00Z');
const hours: BusinessHours = {
  timezone: 'America/Los_Angeles',
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '10:00',
  end: '16:00',
  holidays: [],
};
const cpu: AttackDef = {
  name: 'cpu-burn',
  description: 'burn',
  weight: 1,
  durationMs: 60_000,
  targets: ['web'],
  requires: [],
  sudo: false,
  params: {},
  hostVars: [],
  run: 'true',
  rollback: 'true',
  file: 'cpu-burn.yaml',
  probes: [],
  recoveryMs: null,
  abortOnDeviation: false,
};
const web: HostDef = { name: 'web-1', address: '127.0.0.1', port: 22, tags: ['web'], vars: {} };
const db: HostDef = { name: 'db-1', address: '127.0.0.1', port: 22, tags: ['db'], vars: {} };
const healthy: HealthReport = { healthy: true, checkedAt: NOON, results: [] };
const sick: HealthReport = {
  healthy: false,
  checkedAt: NOON,
  results: [{ name: 'api', kind: 'http', healthy: false, reason: 'HTTP 500', durationMs: 1 }],
};
const halted: BotState = { halt: { by: 'U1', at: NOON, reason: 'incident' }, cooldownUntil: null };
const cooling: BotState = { halt: null, cooldownUntil: NOON + 60_000 };
const free: BotState = { halt: null, cooldownUntil: null };

interface Case {
  readonly asker: Asker;
  readonly now?: number;
  readonly state?: BotState;
  readonly inFlight?: number;
  readonly deaf?: boolean;
  readonly health?: HealthReport | 'forced';
  readonly host?: HostDef;
}

function input(c: Case): DecideInput {
  return {
    asker: c.asker,
    now: c.now ?? NOON,
    state: c.state ?? free,
    inFlight: c.inFlight ?? 0,
    hours,
    hearing: c.deaf ? { ok: false, reason: 'Socket Mode disconnected' } : { ok: true },
    health: c.health ?? healthy,
    pick: () => pickRequested([cpu], [web, db], { attack: cpu, host: c.host }, () => 0),
  };
}

// Everything wrong at once, then one fault fewer each row: the first code that remains is the answer.
const order: Array<[string, Case, string]> = [
  [
    'halted wins over everything',
    { asker: 'schedule', state: halted, inFlight: 1, now: SATURDAY, deaf: true, health: sick },
    'halted',
  ],
  ['then an attack in flight', { asker: 'schedule', inFlight: 1, now: SATURDAY, deaf: true, health: sick }, 'in-flight'],
  ['then business hours (scheduler)', { asker: 'schedule', now: SATURDAY, state: cooling, deaf: true, health: sick }, 'closed'],
  ['then the cooldown (scheduler)', { asker: 'schedule', state: cooling, deaf: true, health: sick }, 'cooldown'],
  ['then deafness', { asker: 'schedule', deaf: true, health: sick }, 'deaf'],
  ['then health', { asker: 'schedule', health: sick }, 'unhealthy'],
  ['then the draw', { asker: 'schedule', host: db }, 'no-host'],
  ['run-once: halted wins', { asker: 'user', state: halted, inFlight: 1, deaf: true, health: sick }, 'halted'],
  ['run-once: then in flight', { asker: 'user', inFlight: 1, deaf: true, health: sick }, 'in-flight'],
  [
    'run-once ignores business hours and cooldown, not deafness',
    { asker: 'user', now: SATURDAY, state: cooling, deaf: true },
    'deaf',
  ],
  ['run-once: then health', { asker: 'user', now: SATURDAY, health: sick }, 'unhealthy'],
  ['run-once --force skips health only', { asker: 'user', health: 'forced', deaf: true }, 'deaf'],
  ['run-once: a host the attack does not fit', { asker: 'user', host: db }, 'no-host'],
];

describe('decide: one gate for ticks and run-once, in a fixed order', () => {
  it.each(order)('%s', (_name, c, code) => {
    expect(decide(input(c))).toMatchObject({ kind: 'skip', code });
  });

  it('attacks when every gate passes (scheduler inside business hours)', () => {
    expect(decide(input({ asker: 'schedule' }))).toMatchObject({ kind: 'pick', attack: cpu, host: web });
  });

  it('lets run-once attack outside business hours and in cooldown', () => {
    expect(decide(input({ asker: 'user', now: SATURDAY, state: cooling }))).toMatchObject({ kind: 'pick' });
  });

  it('lets --force attack while health fails', () => {
    expect(decide(input({ asker: 'user', health: 'forced' }))).toMatchObject({ kind: 'pick' });
  });

  it('does not draw before every gate passed', () => {
    let draws = 0;
    const pick = () => {
      draws++;
      return pickRequested([cpu], [web], {}, () => 0);
    };
    decide({ ...input({ asker: 'schedule', health: sick }), pick });
    expect(draws).toBe(0);
  });

  it('counts reservations as in flight up to the limit', () => {
    expect(gate({ ...input({ asker: 'user' }), inFlight: 1 })).toMatchObject({ code: 'in-flight' });
    expect(gate({ ...input({ asker: 'user' }), inFlight: 1, maxInFlight: 2 })).toBeNull();
  });

  it('carries the halt, its author and time in the refusal', () => {
    expect(gate(input({ asker: 'user', state: halted }))?.refusal).toEqual({ kind: 'halted', halt: halted.halt });
  });
});

describe("an approved game day's quiet period in the gate", () => {
  const quiet = { name: 'drill', at: NOON + 5 * 60_000 };
  const base = { now: NOON, state: free, inFlight: 0, hours, hearing: { ok: true } as const, quiet };
  it.each([
    ['the scheduler yields, naming the game day', 'schedule', undefined, { kind: 'quiet', gameDay: 'drill', at: quiet.at }],
    ['a person is not the scheduler', 'user', undefined, null],
    ['the game day itself is not held up', 'schedule', 'game-day', null],
  ] as const)('%s', (_what, asker, window, refusal) => {
    const skip = gate({ ...base, asker, window });
    expect(skip?.refusal ?? null).toEqual(refusal);
  });
});
