import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { teamView } from '../../src/config/teams.js';
import { configProblems } from '../support/config-problems.js';
import { twoTeams } from '../support/teams-config.js';
import { testConfig, writeTestConfig } from '../support/test-config.js';

function problems(overrides: Record<string, unknown>): string {
  const { file } = writeTestConfig(overrides, [{ name: 'cpu-burn' }, { name: 'process-kill' }]);
  return configProblems(() => loadConfig(file)).join('\n');
}

describe('teams: in the config', () => {
  it('makes one implicit team `default` of the top-level keys when there is no teams: list', () => {
    const config = testConfig();
    expect(config.teams).toHaveLength(1);
    expect(config.teams[0]).toMatchObject({ name: 'default', implicit: true, channel: 'C0123456789', hosts: null });
    // The old config's view is the config itself: every existing rule holds unchanged.
    expect(teamView(config, config.teams[0] as never)).toBe(config);
  });

  it("takes what a team leaves out from the top level, and gives each team's view only its own", () => {
    const config = testConfig(twoTeams({ schedule: { cooldown: '30m' }, report: { time: '09:00' } }), [
      { name: 'cpu-burn' },
      { name: 'process-kill' },
    ]);
    const [payments, search] = config.teams.map((t) => teamView(config, t));
    expect(payments?.timezone).toBe('America/Los_Angeles');
    expect(search?.timezone).toBe('Asia/Tokyo');
    expect(search?.businessHours).toEqual(config.businessHours);
    expect(payments?.schedule.cooldown).toBe(600_000);
    expect(search?.schedule.cooldown).toBe(1_800_000);
    expect(search?.schedule.healthTimeout).toBe(config.schedule.healthTimeout);
    expect(payments?.hosts.map((h) => h.name)).toEqual(['pay-1', 'pay-2']);
    expect(search?.hosts.map((h) => h.name)).toEqual(['search-1']);
    expect(search?.slack).toMatchObject({ channel: 'C0SEARCH', admins: ['U0GLOBAL', 'U0SEARCHLEAD'] });
    expect(search?.report.time).toBe('09:00');
    expect(payments?.report.time).toBeUndefined();
  });

  it('refuses a host selected by two teams, naming the host and both teams', () => {
    expect(problems(twoTeams({ hosts: { tags: ['search'], names: ['pay-2'] } }))).toMatch(
      /chaoscat\.yaml: hosts\[1\]: pay-2 is selected by teams\[0\] \(payments\) and teams\[1\] \(search\); a host belongs to at most one team/,
    );
  });

  it('refuses an unknown attack name in a team', () => {
    expect(problems(twoTeams({ attacks: ['cpu-burn', 'cpu-burm'] }))).toMatch(
      /chaoscat\.yaml: teams\[1\]\.attacks\[1\]: no attack is named "cpu-burm"; known: cpu-burn, process-kill/,
    );
  });

  it('refuses duplicate team names and duplicate channels', () => {
    expect(problems(twoTeams({ name: 'payments', hosts: { tags: ['search'] } }))).toMatch(
      /teams\[1\]\.name: "payments" is already the name of teams\[0\]; team names must be unique/,
    );
    expect(problems(twoTeams({ channel: 'C0PAY' }))).toMatch(
      /teams\[1\]\.channel: C0PAY is already the channel of teams\[0\]; each team needs its own channel/,
    );
  });

  it('refuses team names that would make commands ambiguous, and a team without hosts', () => {
    expect(problems(twoTeams({ name: 'all' }))).toMatch(/teams\[1\]\.name: "all" is reserved/);
    expect(problems(twoTeams({ name: 'cpu-burn' }))).toMatch(/teams\[1\]\.name: "cpu-burn" is also an attack name/);
    expect(problems(twoTeams({ name: 'pay-1' }))).toMatch(/teams\[1\]\.name: "pay-1" is also a host name/);
    expect(problems(twoTeams({ hosts: {} }))).toMatch(/teams\[1\]\.hosts: expected tags or names/);
    expect(problems(twoTeams({ hosts: { names: ['nope-1'] } }))).toMatch(
      /teams\[1\]\.hosts\.names\[0\]: no host is named "nope-1"/,
    );
    expect(problems(twoTeams({ timezone: 'Mars/Olympus' }))).toMatch(/teams\[1\]\.timezone: expected an IANA time zone/);
    expect(problems({ ...twoTeams({ channel: 'C0MAIN' }), slack: { channel: 'C0MAIN' } })).toMatch(
      /teams\[1\]\.channel: C0MAIN is also slack\.channel, where commands name their team/,
    );
  });
});
