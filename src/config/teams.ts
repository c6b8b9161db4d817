import cron from 'node-cron';
import { isValidZone } from '../domain/business-hours.js';
import { type AttackDef, DEFAULT_TEAM, type HostDef } from '../domain/model.js';
import type { Config, HostSelector, TeamConfig } from './config.js';
import { resolveGameDays } from './game-days.js';
import type { RawConfig } from './schema.js';

/** The top-level view's `team` when there are teams: it reads every team and attacks nothing. */
export const ALL_TEAMS = 'all';

/** Whether this view is the top level over several teams (history and hosts then name each row's team). */
export function isFleetView(config: Pick<Config, 'team'>): boolean {
  return config.team === ALL_TEAMS;
}

/** Whether the selector takes the host: one of its tags, or its name. */
export function selects(selector: HostSelector | null, host: HostDef): boolean {
  if (selector === null) return true;
  return selector.names.includes(host.name) || selector.tags.some((t) => host.tags.includes(t));
}

/** The team that owns each host, for hosts owned by exactly one; the rest are nobody's. */
export function ownerOf(teams: readonly TeamConfig[], host: HostDef): TeamConfig[] {
  return teams.filter((t) => selects(t.hosts, host));
}

type RawTeam = RawConfig['teams'][number];

/** What resolving one team needs to know of the others and of the config. */
interface TeamContext {
  readonly raw: RawConfig;
  readonly hosts: readonly HostDef[];
  readonly attackNames: readonly string[];
  readonly attacks: readonly AttackDef[];
  readonly at: (field: string, message: string) => void;
  /** Names and channels of the teams before this one, by index; the global providers' names. */
  readonly names: Map<string, number>;
  readonly channels: Map<string, number>;
  readonly globalProviders: ReadonlySet<string>;
}

/**
 * The teams of a config: the `teams:` list with every key left out taken from the top level, or one
 * implicit team `default` made of the top-level keys. Problems name the field and what was expected.
 */
export function resolveTeams(
  raw: RawConfig,
  hosts: readonly HostDef[],
  attackNames: readonly string[],
  at: (field: string, message: string) => void,
  attacks: readonly AttackDef[] = [],
): TeamConfig[] {
  if (raw.teams.length === 0) return [implicitTeam(raw, attacks, at)];
  const ctx: TeamContext = {
    raw,
    hosts,
    attackNames,
    attacks,
    at,
    names: new Map(),
    channels: new Map(),
    globalProviders: new Set(raw.health.map((p, i) => p.name ?? `${p.kind}-${i + 1}`)),
  };
  const teams = raw.teams.map((t, i) => resolveTeam(t, i, ctx));
  hosts.forEach((h, i) => {
    const owners = ownerOf(teams, h);
    if (owners.length > 1) {
      const both = owners.map((t) => `teams[${raw.teams.findIndex((r) => r.name === t.name)}] (${t.name})`).join(' and ');
      at(`hosts[${i}]`, `${h.name} is selected by ${both}; a host belongs to at most one team`);
    }
  });
  return teams;
}

/** The one team of a config without `teams:`, made of the top-level keys. */
function implicitTeam(raw: RawConfig, attacks: readonly AttackDef[], at: (field: string, message: string) => void): TeamConfig {
  return {
    name: DEFAULT_TEAM,
    implicit: true,
    channel: raw.slack.channel,
    admins: [],
    adminGroups: [],
    timezone: raw.timezone,
    businessHours: raw.businessHours,
    hosts: null,
    attacks: null,
    health: [],
    detection: [],
    evidence: [],
    schedule: raw.schedule,
    report: { time: raw.report.time },
    gameDays: resolveGameDays(
      raw.gameDays,
      { field: 'gameDays', attacks, admins: raw.slack.admins, adminGroups: raw.slack.adminGroups },
      at,
    ),
  };
}

/** A team's name and channel: unique, not reserved, not an attack's or a host's, not slack.channel. */
function checkIdentity(t: RawTeam, i: number, ctx: TeamContext): void {
  const field = (f: string) => `teams[${i}].${f}`;
  const { at, names, channels } = ctx;
  const earlier = names.get(t.name);
  if (earlier !== undefined) at(field('name'), `"${t.name}" is already the name of teams[${earlier}]; team names must be unique`);
  names.set(t.name, i);
  if (t.name === ALL_TEAMS) at(field('name'), '"all" is reserved (`stop all`, `start all`); choose another name');
  if (ctx.attackNames.includes(t.name))
    at(field('name'), `"${t.name}" is also an attack name; a team name must differ from every attack and host name`);
  if (ctx.hosts.some((h) => h.name === t.name))
    at(field('name'), `"${t.name}" is also a host name; a team name must differ from every attack and host name`);
  const other = channels.get(t.channel);
  if (other !== undefined)
    at(field('channel'), `${t.channel} is already the channel of teams[${other}]; each team needs its own channel`);
  channels.set(t.channel, i);
  if (ctx.raw.slack.channel === t.channel) {
    at(field('channel'), `${t.channel} is also slack.channel, where commands name their team; give the team its own channel`);
  }
}

/** One team of the `teams:` list, checked, with what it leaves out taken from the top level. */
function resolveTeam(t: RawTeam, i: number, ctx: TeamContext): TeamConfig {
  const { raw, hosts, attackNames, attacks, at } = ctx;
  const field = (f: string) => `teams[${i}].${f}`;
  checkIdentity(t, i, ctx);
  const timezone = t.timezone ?? raw.timezone;
  if (!isValidZone(timezone)) at(field('timezone'), `expected an IANA time zone such as "Asia/Tokyo", got "${timezone}"`);
  const businessHours = t.businessHours ?? raw.businessHours;
  if (businessHours.start === businessHours.end) {
    at(field('businessHours.end'), 'must differ from start (end before start means a window over midnight)');
  }
  const schedule = { ...raw.schedule, ...definedOnly(t.schedule) };
  if (!cron.validate(schedule.tick))
    at(field('schedule.tick'), `expected a cron expression such as "* * * * *", got "${schedule.tick}"`);
  t.hosts.names.forEach((n, j) => {
    if (!hosts.some((h) => h.name === n)) at(field(`hosts.names[${j}]`), `no host is named "${n}" in hosts:`);
  });
  (t.attacks ?? []).forEach((a, j) => {
    if (!attackNames.includes(a))
      at(field(`attacks[${j}]`), `no attack is named "${a}"; known: ${attackNames.join(', ') || '(none)'}`);
  });
  const health = t.health.map((p, j) => ({ ...p, name: p.name ?? `${t.name}-${p.kind}-${j + 1}` }));
  const seen = new Set<string>();
  health.forEach((p, j) => {
    if (seen.has(p.name) || ctx.globalProviders.has(p.name)) {
      at(field(`health[${j}].name`), `"${p.name}" is used twice; give each provider its own name`);
    }
    seen.add(p.name);
  });
  return {
    name: t.name,
    implicit: false,
    channel: t.channel,
    admins: t.admins,
    adminGroups: t.adminGroups,
    timezone,
    businessHours,
    hosts: { tags: t.hosts.tags, names: t.hosts.names },
    attacks: t.attacks ?? null,
    health,
    detection: t.detection.map((d, j) => ({ ...d, name: d.name ?? `${t.name}-detection-${d.kind}-${j + 1}` })),
    schedule,
    ...(t.runbook ? { runbook: t.runbook } : {}),
    evidence: t.evidence,
    report: { time: t.report.time ?? raw.report.time },
    gameDays: resolveGameDays(
      t.gameDays ?? raw.gameDays,
      {
        field: t.gameDays ? field('gameDays') : `gameDays (taken by teams[${i}])`,
        attacks: t.attacks ? attacks.filter((a) => t.attacks?.includes(a.name)) : attacks,
        admins: [...raw.slack.admins, ...t.admins],
        adminGroups: [...raw.slack.adminGroups, ...t.adminGroups],
      },
      at,
    ),
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The config as one team sees it: its zone, hours, schedule, channel, admins, hosts, attacks,
 * health (the global providers and its own) and report time. The use cases run on a view as they
 * run on the top level, so every rule holds per team. Pure.
 */
export function teamView(config: Config, team: TeamConfig): Config {
  if (team.implicit) return config;
  return {
    ...config,
    team: team.name,
    timezone: team.timezone,
    businessHours: team.businessHours,
    schedule: team.schedule,
    slack: {
      ...config.slack,
      channel: team.channel,
      admins: [...new Set([...config.slack.admins, ...team.admins])],
      adminGroups: [...new Set([...config.slack.adminGroups, ...team.adminGroups])],
    },
    hosts: config.hosts.filter((h) => ownerOf(config.teams, h).length === 1 && selects(team.hosts, h)),
    attacks: (team.attacks === null ? config.attacks : config.attacks.filter((a) => team.attacks?.includes(a.name))).map((a) =>
      a.runbook || !team.runbook ? a : { ...a, runbook: team.runbook },
    ),
    health: [...config.health, ...team.health],
    detection: [...config.detection, ...team.detection],
    evidence: team.evidence.length
      ? Object.fromEntries(config.attacks.map((a) => [a.name, [...(config.evidence[a.name] ?? []), ...team.evidence]]))
      : config.evidence,
    report: { ...config.report, time: team.report.time },
    gameDays: team.gameDays,
  };
}
