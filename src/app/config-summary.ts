import type { Config } from '../config/config.js';
import { isFleetView, ownerOf, teamView } from '../config/teams.js';
import { formatLocal, isOpen, nextOpening } from '../domain/business-hours.js';
import { formatDuration } from '../domain/duration.js';
import { eligibleHosts } from '../domain/picker.js';

/** What `check-config` prints: the config is valid, and what it means right now. */
export function configSummary(config: Config, now: number): string {
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
    `Hosts (${config.hosts.length}):`,
    ...config.hosts.map((h) => `  ${h.name} ${h.address}:${h.port} ${h.tags.length ? `[${h.tags.join(', ')}]` : '[no tags]'}`),
    `Attacks (${config.attacks.length}) from ${config.attacksDir}:`,
    ...config.attacks.map((a) => {
      const share = a.weight === 0 || total === 0 ? 'by name only' : `${Math.round((a.weight / total) * 100)}%`;
      const hosts = eligibleHosts(a, config.hosts).map((h) => h.name);
      return `  ${a.name}: weight ${a.weight} (${share}), ${formatDuration(a.durationMs)}, hosts: ${hosts.length ? hosts.join(', ') : 'none eligible'}${a.sudo ? ', needs sudo' : ''}`;
    }),
    ...teamsSummary(config, now),
  ];
  return lines.join('\n');
}

/** Each team as it resolved: where it speaks, when it may be attacked, what and where. */
function teamsSummary(config: Config, now: number): string[] {
  if (!isFleetView(config)) return [];
  const lines = [`Teams (${config.teams.length}):`];
  for (const team of config.teams) {
    const view = teamView(config, team);
    const hours = { timezone: view.timezone, ...view.businessHours };
    const open = isOpen(now, hours);
    lines.push(
      `  ${team.name}: channel ${team.channel}, ${view.businessHours.days.join(' ')} ${view.businessHours.start}–${view.businessHours.end} ${view.timezone} (now ${open ? 'OPEN' : 'closed'}), cooldown ${formatDuration(view.schedule.cooldown)}`,
      `    hosts (${view.hosts.length}): ${view.hosts.map((h) => h.name).join(', ') || 'none yet'}`,
      `    attacks (${view.attacks.length}): ${view.attacks.map((a) => a.name).join(', ') || 'none'}`,
      `    health: ${view.health.length ? view.health.map((p) => p.name).join(', ') : 'none (passes)'}; admins: ${[...team.admins, ...team.adminGroups].join(', ') || 'the global ones'}${team.report.time ? `; report at ${team.report.time}` : ''}`,
    );
  }
  const orphans = config.allHosts.filter((h) => ownerOf(config.teams, h).length === 0).map((h) => h.name);
  if (orphans.length) lines.push(`Hosts in no team, never attacked: ${orphans.join(', ')}`);
  return lines;
}
