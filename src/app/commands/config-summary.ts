import type { Config } from '../../config/config.js';
import { isFleetView, ownerOf, teamView } from '../../config/teams.js';
import { formatLocal, isOpen, nextOpening } from '../../domain/business-hours.js';
import { formatDuration } from '../../domain/duration.js';
import { eligibleHosts } from '../../domain/picker.js';
import { escapeText } from '../../domain/visible-text.js';
import type { HostDirectory } from '../../ports/host-directory.js';
import { sourceLines } from '../../words/inventory.js';
import { staticDirectory } from '../teams/inventory.js';
import { contested, teamDirectory } from '../teams/team-hosts.js';

/**
 * What `check-config` prints: the config is valid, and what it means right now. With a directory
 * whose sources were each asked once, the hosts they gave and what each source said.
 */
export function configSummary(config: Config, now: number, directory: HostDirectory = staticDirectory(config.hosts)): string {
  const hostList = directory.all();
  const sources = directory.sources();
  const hours = { timezone: config.timezone, ...config.businessHours };
  const open = isOpen(now, hours);
  const opens = open ? null : nextOpening(now, hours);
  const total = config.attacks.reduce((s, a) => s + a.weight, 0);
  const lines = [
    `Config OK: ${config.file}`,
    `Mode: ${config.dryRun ? 'dry run (announce and record, never touch a host)' : 'LIVE (attacks run on hosts over SSH)'}`,
    `Business hours: ${config.businessHours.days.join(' ')} ${config.businessHours.start}–${config.businessHours.end} ${config.timezone}; now ${open ? 'OPEN' : `closed${opens ? `, opens ${formatLocal(opens, config.timezone)}` : ''}`}`,
    `Holidays: ${config.businessHours.holidays.length ? config.businessHours.holidays.join(', ') : 'none'}`,
    `Schedule: tick "${config.schedule.tick}", cooldown ${formatDuration(config.schedule.cooldown)}, health re-check every ${formatDuration(config.schedule.healthInterval)}`,
    `Database: ${config.database}`,
    `Health providers: ${config.health.length ? config.health.map((p) => `${p.name} (${p.kind})`).join(', ') : 'none (health passes)'}`,
    ...(sources.length ? ['Inventory sources:', ...sourceLines(sources, now, config.timezone, 50).map((l) => `  ${l}`)] : []),
    `Hosts (${hostList.length}):`,
    ...hostList.map(
      (h) =>
        `  ${h.name} ${h.address}:${h.port} ${h.tags.length ? `[${h.tags.join(', ')}]` : '[no tags]'}${sources.length ? ` from ${h.source ?? 'config'}` : ''}`,
    ),
    `Attacks (${config.attacks.length}) from ${config.attacksDir}:`,
    ...config.attacks.map((a) => {
      const share = a.weight === 0 || total === 0 ? 'by name only' : `${Math.round((a.weight / total) * 100)}%`;
      const hosts = eligibleHosts(a, hostList).map((h) => h.name);
      // An inventory may bring thousands: the first few names and a count.
      const names = hosts.length > 20 ? `${hosts.slice(0, 10).join(', ')} and ${hosts.length - 10} more` : hosts.join(', ');
      return `  ${a.name}: weight ${a.weight} (${share}), ${formatDuration(a.durationMs)}, hosts: ${hosts.length ? names : 'none eligible'}${a.sudo ? ', needs sudo' : ''}`;
    }),
    ...teamsSummary(config, now, directory),
  ];
  // Each line is one line: a newline or U+202E from an inventory is written out, not shown.
  return lines.map(escapeText).join('\n');
}

/** Each team as it resolved: where it speaks, when it may be attacked, what and where. */
function teamsSummary(config: Config, now: number, directory: HostDirectory): string[] {
  if (!isFleetView(config)) return [];
  const lines = [`Teams (${config.teams.length}):`];
  for (const team of config.teams) {
    const view = teamView(config, team);
    const hosts = teamDirectory(directory, config.teams, team).all();
    const hours = { timezone: view.timezone, ...view.businessHours };
    const open = isOpen(now, hours);
    lines.push(
      `  ${team.name}: channel ${team.channel}, ${view.businessHours.days.join(' ')} ${view.businessHours.start}–${view.businessHours.end} ${view.timezone} (now ${open ? 'OPEN' : 'closed'}), cooldown ${formatDuration(view.schedule.cooldown)}`,
      `    hosts (${hosts.length}): ${
        hosts.length > 20
          ? `${hosts
              .slice(0, 10)
              .map((h) => h.name)
              .join(', ')} and ${hosts.length - 10} more`
          : hosts.map((h) => h.name).join(', ') || 'none yet'
      }`,
      `    attacks (${view.attacks.length}): ${view.attacks.map((a) => a.name).join(', ') || 'none'}`,
      `    health: ${view.health.length ? view.health.map((p) => p.name).join(', ') : 'none (passes)'}; admins: ${[...team.admins, ...team.adminGroups].join(', ') || 'the global ones'}${team.report.time ? `; report at ${team.report.time}` : ''}`,
    );
  }
  const orphans = directory
    .all()
    .filter((h) => ownerOf(config.teams, h).length === 0)
    .map((h) => h.name);
  if (orphans.length) lines.push(`Hosts in no team, never attacked: ${orphans.join(', ')}`);
  for (const c of contested(directory.all(), config.teams)) {
    lines.push(`Host ${c.host} is selected by teams ${c.teams.join(' and ')}: never attacked until one team alone selects it`);
  }
  return lines;
}
