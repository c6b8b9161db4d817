import type { Config } from '../../config/config.js';
import { isFleetView, ownerOf, teamView } from '../../config/teams.js';
import { isOpen, nextOpening } from '../../domain/business-hours.js';
import { eligibleHosts } from '../../domain/picker.js';
import type { HostDirectory } from '../../ports/host-directory.js';
import { type ConfigSummary, configSummaryText, type HoursView, type TeamsSummary } from '../../words/config-summary.js';
import { staticDirectory } from '../teams/inventory.js';
import { contested, teamDirectory } from '../teams/team-hosts.js';

/**
 * What `check-config` prints: the config is valid, and what it means right now. With a directory
 * whose sources were each asked once, the hosts they gave and what each source said.
 */
export function configSummary(config: Config, now: number, directory: HostDirectory = staticDirectory(config.hosts)): string {
  return configSummaryText(summaryOf(config, now, directory));
}

function hoursView(hours: Config['businessHours'], timezone: string): HoursView {
  return { days: hours.days, start: hours.start, end: hours.end, timezone };
}

/** What the summary says, read from the config and the directory. */
function summaryOf(config: Config, now: number, directory: HostDirectory): ConfigSummary {
  const hosts = directory.all();
  const hours = { timezone: config.timezone, ...config.businessHours };
  const open = isOpen(now, hours);
  return {
    file: config.file,
    dryRun: config.dryRun,
    hours: hoursView(config.businessHours, config.timezone),
    holidays: config.businessHours.holidays,
    now,
    open,
    opensAt: open ? null : nextOpening(now, hours),
    tick: config.schedule.tick,
    cooldownMs: config.schedule.cooldown,
    healthIntervalMs: config.schedule.healthInterval,
    database: config.database,
    // Loading names every provider; a hand-built config may not: its kind then.
    health: config.health.map((p) => ({ name: p.name ?? p.kind, kind: p.kind })),
    sources: directory.sources(),
    hosts,
    attacksDir: config.attacksDir,
    attacks: config.attacks.map((a) => ({
      name: a.name,
      weight: a.weight,
      durationMs: a.durationMs,
      sudo: a.sudo,
      hosts: eligibleHosts(a, hosts).map((h) => h.name),
    })),
    teams: teamsOf(config, now, directory),
  };
}

/** Each team as it resolved, the hosts in no team and those two teams select; null outside the fleet view. */
function teamsOf(config: Config, now: number, directory: HostDirectory): TeamsSummary | null {
  if (!isFleetView(config)) return null;
  const teams = config.teams.map((team) => {
    const view = teamView(config, team);
    return {
      name: team.name,
      channel: team.channel,
      hours: hoursView(view.businessHours, view.timezone),
      open: isOpen(now, { timezone: view.timezone, ...view.businessHours }),
      cooldownMs: view.schedule.cooldown,
      hosts: teamDirectory(directory, config.teams, team)
        .all()
        .map((h) => h.name),
      attacks: view.attacks.map((a) => a.name),
      health: view.health.map((p) => p.name ?? p.kind),
      admins: [...team.admins, ...team.adminGroups],
      reportTime: team.report.time || null,
    };
  });
  const hosts = directory.all();
  const orphans = hosts.filter((h) => ownerOf(config.teams, h).length === 0).map((h) => h.name);
  return { teams, orphans, contested: contested(hosts, config.teams) };
}
