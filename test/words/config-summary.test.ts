import { describe, expect, it } from 'vitest';
import type { HostDef } from '../../src/domain/model.js';
import { type ConfigSummary, configSummaryText, type TeamSummary } from '../../src/words/config-summary.js';

const NOW = Date.UTC(2026, 11, 5, 9, 0); // a Saturday
const host = (name: string, source?: string): HostDef => ({
  name,
  address: `10.0.0.${name.length}`,
  port: 22,
  tags: name.startsWith('web') ? ['web'] : [],
  vars: {},
  ...(source ? { source } : {}),
});
const base: ConfigSummary = {
  file: '/etc/chaoscat/config.yaml',
  dryRun: true,
  hours: { days: ['mon', 'tue'], start: '10:00', end: '16:00', timezone: 'Europe/Berlin' },
  holidays: [],
  now: NOW,
  open: true,
  opensAt: null,
  tick: '*/5 * * * *',
  cooldownMs: 3_600_000,
  healthIntervalMs: 30_000,
  database: '/var/lib/chaoscat/db.sqlite',
  health: [],
  sources: [],
  hosts: [host('web-1'), host('db-1')],
  attacksDir: '/etc/chaoscat/attacks',
  attacks: [
    { name: 'cpu-burn', weight: 3, durationMs: 60_000, sudo: false, hosts: ['web-1'] },
    { name: 'disk-fill', weight: 1, durationMs: 120_000, sudo: true, hosts: [] },
    { name: 'manual', weight: 0, durationMs: 60_000, sudo: false, hosts: ['web-1', 'db-1'] },
  ],
  teams: null,
};
const team = (over: Partial<TeamSummary> = {}): TeamSummary => ({
  name: 'payments',
  channel: '#payments',
  hours: base.hours,
  open: false,
  cooldownMs: 600_000,
  hosts: [],
  attacks: [],
  health: [],
  admins: [],
  reportTime: null,
  ...over,
});
const many = Array.from({ length: 25 }, (_, i) => `h-${i + 1}`);

const variants: Record<string, ConfigSummary> = {
  base,
  live: { ...base, dryRun: false, holidays: ['2026-12-24', '2026-12-25'] },
  closed: { ...base, open: false, opensAt: Date.UTC(2026, 11, 7, 9, 0) },
  closedForever: { ...base, open: false, opensAt: null },
  health: { ...base, health: [{ name: 'api', kind: 'http' }] },
  sources: {
    ...base,
    sources: [{ id: 'ansible:/etc/hosts.ini', hosts: 1, okAt: NOW - 60_000, failingSince: null, error: null, notes: [] }],
    hosts: [host('web-1', 'ansible:/etc/hosts.ini'), host('db-1')],
  },
  manyHosts: { ...base, attacks: [{ name: 'cpu-burn', weight: 1, durationMs: 60_000, sudo: false, hosts: many }] },
  noAttacks: { ...base, attacks: [], hosts: [] },
  fleet: {
    ...base,
    teams: {
      teams: [
        team(),
        team({
          name: 'web',
          open: true,
          hosts: many,
          attacks: ['cpu-burn'],
          health: ['api'],
          admins: ['U1', 'S2'],
          reportTime: '09:00',
        }),
      ],
      orphans: ['db-1'],
      contested: [{ host: 'web-9', teams: ['payments', 'web'] }],
    },
  },
};

describe('configSummaryText', () => {
  for (const [name, s] of Object.entries(variants)) {
    it(`renders ${name} without a hole`, () => {
      const text = configSummaryText(s);
      expect(text.length).toBeGreaterThan(0);
      expect(text).not.toMatch(/undefined|null|NaN|\[object/);
      expect(text.split('\n').every((l) => l.trim().length > 0)).toBe(true);
    });
  }

  it('says the config, its mode, hours and attacks with their share', () => {
    const lines = configSummaryText(base).split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'Config OK: /etc/chaoscat/config.yaml',
      'Mode: dry run (announce and record, never touch a host)',
      'Business hours: mon tue 10:00–16:00 Europe/Berlin; now OPEN',
    ]);
    expect(lines).toContain('Holidays: none');
    expect(lines).toContain('Health providers: none (health passes)');
    expect(lines).toContain('  web-1 10.0.0.5:22 [web]');
    expect(lines).toContain('  db-1 10.0.0.4:22 [no tags]');
    expect(lines).toContain('  cpu-burn: weight 3 (75%), 1m, hosts: web-1');
    expect(lines).toContain('  disk-fill: weight 1 (25%), 2m, hosts: none eligible, needs sudo');
    expect(lines).toContain('  manual: weight 0 (by name only), 1m, hosts: web-1, db-1');
    expect(text(variants.noAttacks)).toContain('Attacks (0) from /etc/chaoscat/attacks:');
  });

  it('names the first ten of many hosts and counts the rest', () => {
    expect(text(variants.manyHosts)).toContain('hosts: h-1, h-2, h-3, h-4, h-5, h-6, h-7, h-8, h-9, h-10 and 15 more');
  });

  it('says each team, the hosts in none and the contested ones', () => {
    const lines = text(variants.fleet).split('\n');
    expect(lines).toContain('Teams (2):');
    expect(lines).toContain('  payments: channel #payments, mon tue 10:00–16:00 Europe/Berlin (now closed), cooldown 10m');
    expect(lines).toContain('    hosts (0): none yet');
    expect(lines).toContain('    attacks (0): none');
    expect(lines).toContain('    health: none (passes); admins: the global ones');
    expect(lines).toContain('    health: api; admins: U1, S2; report at 09:00');
    expect(lines).toContain('Hosts in no team, never attacked: db-1');
    expect(lines).toContain('Host web-9 is selected by teams payments and web: never attacked until one team alone selects it');
  });

  it('writes out a newline from an inventory rather than showing it', () => {
    const s = { ...base, hosts: [{ ...host('web-1'), name: 'web-1\nfake line' }] };
    expect(text(s).split('\n')).not.toContain('fake line');
  });
});

function text(s: ConfigSummary | undefined): string {
  return configSummaryText(s as ConfigSummary);
}
