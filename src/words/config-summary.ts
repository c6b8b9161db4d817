/**
 * What `check-config` prints, from what app/commands/config-summary.ts read out of the config and
 * the host directory: the config is valid, and what it means right now.
 */
import { formatLocal } from '../domain/business-hours.js';
import { formatDuration } from '../domain/duration.js';
import type { HostDef } from '../domain/model.js';
import { escapeText } from '../domain/visible-text.js';
import type { SourceStatus } from '../ports/host-directory.js';
import { sourceLines } from './inventory.js';

/** Business hours as configured: "mon tue wed thu fri 10:00–16:00 Europe/Berlin". */
export interface HoursView {
  readonly days: readonly string[];
  readonly start: string;
  readonly end: string;
  readonly timezone: string;
}

/** One attack of the catalogue with the hosts it may hit now. */
export interface AttackSummary {
  readonly name: string;
  readonly weight: number;
  readonly durationMs: number;
  readonly sudo: boolean;
  /** Names of the hosts eligible for it. */
  readonly hosts: readonly string[];
}

/** One team as it resolved. */
export interface TeamSummary {
  readonly name: string;
  readonly channel: string | undefined;
  readonly hours: HoursView;
  /** Whether its business hours are open now. */
  readonly open: boolean;
  readonly cooldownMs: number;
  readonly hosts: readonly string[];
  readonly attacks: readonly string[];
  /** Names of its health providers. */
  readonly health: readonly string[];
  /** Its admins and admin groups; empty: the global ones. */
  readonly admins: readonly string[];
  /** When its daily report is posted; null: none of its own. */
  readonly reportTime: string | null;
}

/** The teams of a fleet view: each team, the hosts in none, the hosts two teams select. */
export interface TeamsSummary {
  readonly teams: readonly TeamSummary[];
  readonly orphans: readonly string[];
  readonly contested: readonly { readonly host: string; readonly teams: readonly string[] }[];
}

export interface ConfigSummary {
  readonly file: string;
  readonly dryRun: boolean;
  readonly hours: HoursView;
  readonly holidays: readonly string[];
  readonly now: number;
  /** Whether business hours are open now; when closed, the next opening (null: none found). */
  readonly open: boolean;
  readonly opensAt: number | null;
  readonly tick: string;
  readonly cooldownMs: number;
  readonly healthIntervalMs: number;
  readonly database: string;
  readonly health: readonly { readonly name: string; readonly kind: string }[];
  /** The inventory sources, each asked once; empty without `inventory:`. */
  readonly sources: readonly SourceStatus[];
  readonly hosts: readonly HostDef[];
  readonly attacksDir: string;
  readonly attacks: readonly AttackSummary[];
  /** Null outside the fleet view (one team's config). */
  readonly teams: TeamsSummary | null;
}

/** "web-1, web-2", or for more than 20 the first 10 and a count: an inventory may bring thousands. */
function namesText(names: readonly string[]): string {
  return names.length > 20 ? `${names.slice(0, 10).join(', ')} and ${names.length - 10} more` : names.join(', ');
}

function hoursText(h: HoursView): string {
  return `${h.days.join(' ')} ${h.start}–${h.end} ${h.timezone}`;
}

function headLines(s: ConfigSummary): string[] {
  const now = s.open ? 'OPEN' : `closed${s.opensAt ? `, opens ${formatLocal(s.opensAt, s.hours.timezone)}` : ''}`;
  return [
    `Config OK: ${s.file}`,
    `Mode: ${s.dryRun ? 'dry run (announce and record, never touch a host)' : 'LIVE (attacks run on hosts over SSH)'}`,
    `Business hours: ${hoursText(s.hours)}; now ${now}`,
    `Holidays: ${s.holidays.length ? s.holidays.join(', ') : 'none'}`,
    `Schedule: tick "${s.tick}", cooldown ${formatDuration(s.cooldownMs)}, health re-check every ${formatDuration(s.healthIntervalMs)}`,
    `Database: ${s.database}`,
    `Health providers: ${s.health.length ? s.health.map((p) => `${p.name} (${p.kind})`).join(', ') : 'none (health passes)'}`,
  ];
}

function hostLines(s: ConfigSummary): string[] {
  const from = (h: HostDef) => (s.sources.length ? ` from ${h.source ?? 'config'}` : '');
  return [
    ...(s.sources.length
      ? ['Inventory sources:', ...sourceLines(s.sources, s.now, s.hours.timezone, 50).map((l) => `  ${l}`)]
      : []),
    `Hosts (${s.hosts.length}):`,
    ...s.hosts.map(
      (h) => `  ${h.name} ${h.address}:${h.port} ${h.tags.length ? `[${h.tags.join(', ')}]` : '[no tags]'}${from(h)}`,
    ),
  ];
}

function attackLines(s: ConfigSummary): string[] {
  const total = s.attacks.reduce((sum, a) => sum + a.weight, 0);
  return [
    `Attacks (${s.attacks.length}) from ${s.attacksDir}:`,
    ...s.attacks.map((a) => {
      const share = a.weight === 0 || total === 0 ? 'by name only' : `${Math.round((a.weight / total) * 100)}%`;
      const hosts = a.hosts.length ? namesText(a.hosts) : 'none eligible';
      return `  ${a.name}: weight ${a.weight} (${share}), ${formatDuration(a.durationMs)}, hosts: ${hosts}${a.sudo ? ', needs sudo' : ''}`;
    }),
  ];
}

/** Each team as it resolved: where it speaks, when it may be attacked, what and where. */
function teamLines(t: TeamSummary): string[] {
  return [
    `  ${t.name}: channel ${t.channel ?? '(none)'}, ${hoursText(t.hours)} (now ${t.open ? 'OPEN' : 'closed'}), cooldown ${formatDuration(t.cooldownMs)}`,
    `    hosts (${t.hosts.length}): ${namesText(t.hosts) || 'none yet'}`,
    `    attacks (${t.attacks.length}): ${t.attacks.join(', ') || 'none'}`,
    `    health: ${t.health.length ? t.health.join(', ') : 'none (passes)'}; admins: ${t.admins.join(', ') || 'the global ones'}${t.reportTime ? `; report at ${t.reportTime}` : ''}`,
  ];
}

function teamsLines(t: TeamsSummary | null): string[] {
  if (t === null) return [];
  return [
    `Teams (${t.teams.length}):`,
    ...t.teams.flatMap(teamLines),
    ...(t.orphans.length ? [`Hosts in no team, never attacked: ${t.orphans.join(', ')}`] : []),
    ...t.contested.map(
      (c) => `Host ${c.host} is selected by teams ${c.teams.join(' and ')}: never attacked until one team alone selects it`,
    ),
  ];
}

/** The whole summary. Each line is one line: a newline or U+202E from an inventory is written out, not shown. */
export function configSummaryText(s: ConfigSummary): string {
  const lines = [...headLines(s), ...hostLines(s), ...attackLines(s), ...teamsLines(s.teams)];
  return lines.map(escapeText).join('\n');
}
