import { describe, expect, it } from 'vitest';
import { teamView } from '../../src/config/teams.js';
import { configProblems } from '../support/config-problems.js';
import { twoTeams } from '../support/teams-config.js';
import { testConfig } from '../support/test-config.js';

const ATTACKS = [
  { name: 'cpu-burn', weight: 10, targets: ['web'] },
  {
    name: 'network-latency',
    weight: 0,
    targets: ['web', 'payments'],
    params: { DELAY_MS: { default: 200, min: 1, max: 10000, unit: 'ms' } },
  },
];
const drill = (extra: Record<string, unknown> = {}) => ({
  name: 'friday',
  at: '0 14 * * fri',
  attack: 'network-latency',
  params: { DELAY_MS: 5000 },
  announce: '24h',
  approvals: 1,
  ...extra,
});
const problems = (gameDays: unknown[], extra: Record<string, unknown> = {}) =>
  configProblems(() => testConfig({ gameDays, ...extra }, ATTACKS));

describe('gameDays in the config', () => {
  it('loads a game day with its cron, parameters, blast radius and notice', () => {
    const config = testConfig({ gameDays: [drill({ blastRadius: { percent: 50 } })] }, ATTACKS);
    expect(config.gameDays).toEqual([
      expect.objectContaining({
        name: 'friday',
        attack: 'network-latency',
        params: { DELAY_MS: '5000' },
        blast: { percent: 50 },
        announceMs: 86_400_000,
        approvals: 1,
        cron: expect.objectContaining({ minute: [0], hour: [14], weekday: [5] }),
      }),
    ]);
  });

  it.each([
    ['a bad cron', { at: '0 25 * * fri' }, /gameDays\[0\]\.at: expected a five-field cron expression .*got "0 25 \* \* fri"/],
    ['a cron with seconds', { at: '0 0 14 * * fri' }, /gameDays\[0\]\.at: expected a five-field cron/],
    ['L, W and #', { at: '0 14 * * 5#2' }, /gameDays\[0\]\.at: .*L, W and # are not supported/],
    [
      'an unknown attack',
      { attack: 'disk-fill' },
      /gameDays\[0\]\.attack: no attack "disk-fill" is available here; known: cpu-burn, network-latency/,
    ],
    [
      'announce not a duration',
      { announce: 'tomorrow' },
      /gameDays\[0\]\.announce: expected a duration such as "90m" or "24h", got "tomorrow"/,
    ],
    ['announce under a minute', { announce: '30s' }, /gameDays\[0\]\.announce: expected a duration of at least 1m/],
    [
      'more approvals than admins',
      { approvals: 2 },
      /gameDays\[0\]\.approvals: 2 approvals needed but only 1 admin\(s\) can approve/,
    ],
    [
      'a parameter the attack does not have',
      { params: { DELAY: 5 } },
      /gameDays\[0\]\.params\.DELAY: network-latency has no parameter DELAY \(its parameters: DELAY_MS\)/,
    ],
    [
      'a parameter over its bound',
      { params: { DELAY_MS: 20000 } },
      /gameDays\[0\]\.params\.DELAY_MS: DELAY_MS=20000 is above its max 10000 ms/,
    ],
    [
      'a parameter value with shell syntax',
      { params: { DELAY_MS: '5; rm -rf /' } },
      /gameDays\[0\]\.params\.DELAY_MS: expected a plain value/,
    ],
    [
      'both count and percent',
      { blastRadius: { count: 1, percent: 50 } },
      /gameDays\[0\]\.blastRadius: expected one of count or percent/,
    ],
    ['an unknown field', { when: 'friday' }, /gameDays\[0\]: unknown field\(s\) "when"/],
  ])('refuses %s, naming the file and field', (_what, extra, message) => {
    const found = problems([drill(extra)]);
    expect(found.join('\n')).toMatch(/chaoscat\.yaml: /);
    expect(found.join('\n')).toMatch(message);
  });

  it('refuses two game days of the same name', () => {
    expect(problems([drill(), drill()]).join('\n')).toMatch(/gameDays\[1\]\.name: "friday" is already the name of gameDays\[0\]/);
  });

  it('counts admin groups as enough admins (their size is not known at load)', () => {
    const config = testConfig(
      { gameDays: [drill({ approvals: 3 })], slack: { channel: 'C0X', admins: [], adminGroups: ['S0OPS'] } },
      ATTACKS,
    );
    expect(config.gameDays[0]?.approvals).toBe(3);
  });

  it("gives each team its own game days, checked against the team's attacks and admins", () => {
    const raw = twoTeams(
      { gameDays: [drill({ name: 'search-drill', attack: 'cpu-burn', params: {} })] },
      { gameDays: [drill({ approvals: 2 })] },
    );
    const config = testConfig(raw, ATTACKS);
    const [payments, search] = config.teams;
    expect(payments?.gameDays.map((g) => g.name)).toEqual(['friday']);
    expect(search?.gameDays.map((g) => g.name)).toEqual(['search-drill']);
    expect(config.gameDays).toEqual([]);
    expect(teamView(config, search!).gameDays.map((g) => g.name)).toEqual(['search-drill']);
    const tooMany = twoTeams({}, { gameDays: [drill({ approvals: 3 })] });
    expect(configProblems(() => testConfig(tooMany, ATTACKS)).join('\n')).toMatch(
      /teams\[0\]\.gameDays\[0\]\.approvals: 3 approvals needed but only 2 admin/,
    );
  });

  it('gives teams without their own the top-level game days', () => {
    const config = testConfig({ ...twoTeams(), gameDays: [drill({ attack: 'cpu-burn', params: {} })] }, ATTACKS);
    expect(config.teams.map((t) => t.gameDays.map((g) => g.name))).toEqual([['friday'], ['friday']]);
  });
});
