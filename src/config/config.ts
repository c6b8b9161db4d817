import type { GameDayDef } from '../domain/game-day.js';
import type { AttackDef, HostDef } from '../domain/model.js';
import type { DetectionSourceConfig } from './detection-schema.js';
import type { EvidenceConfig } from './evidence-schema.js';
import type { HealthProviderConfig } from './health-schema.js';
import type { InventorySourceConfig } from './inventory-schema.js';
import type { RawConfig } from './schema.js';

export type SshSettings = RawConfig['ssh'];
export type ScheduleSettings = RawConfig['schedule'];
export type BusinessHoursSettings = RawConfig['businessHours'];
export type SlackSettings = RawConfig['slack'];

/** Which hosts are a team's: any of the tags, or by name. */
export interface HostSelector {
  readonly tags: readonly string[];
  readonly names: readonly string[];
}

/** One on-call team, every key resolved (what the team left out comes from the top level). */
export interface TeamConfig {
  readonly name: string;
  /** The team `default` of a config without `teams:`: every host, the top-level channel. */
  readonly implicit: boolean;
  readonly channel: string | undefined;
  /** Besides the global slack.admins / adminGroups, who are admins of every team. */
  readonly admins: readonly string[];
  readonly adminGroups: readonly string[];
  readonly timezone: string;
  readonly businessHours: BusinessHoursSettings;
  /** Null: every host (the implicit team). */
  readonly hosts: HostSelector | null;
  /** Attack names this team may run; null: every attack. */
  readonly attacks: readonly string[] | null;
  /** The team's own providers, checked in addition to the global ones. */
  readonly health: readonly HealthProviderConfig[];
  /** Where it looks for whether monitoring noticed its attacks, besides the global `detection:`. */
  readonly detection: readonly DetectionSourceConfig[];
  readonly schedule: ScheduleSettings;
  readonly report: { readonly time?: string | undefined };
  /** Its planned drills (its own `gameDays`, else the top level's), checked against its attacks. */
  readonly gameDays: readonly GameDayDef[];
  /** The runbook of its attacks that name none of their own. */
  readonly runbook?: string | undefined;
  /** Metrics read around every one of its attacks. */
  readonly evidence: readonly EvidenceConfig[];
}

/** The one frozen, validated configuration. Paths are absolute. */
export interface Config {
  /** Absolute path of the config file. */
  readonly file: string;
  readonly dryRun: boolean;
  readonly timezone: string;
  readonly businessHours: BusinessHoursSettings;
  readonly schedule: ScheduleSettings;
  readonly slack: SlackSettings;
  /** privateKey and knownHosts resolved (`~` expanded, relative to the config file). */
  readonly ssh: SshSettings;
  /**
   * The static `hosts:` (the team's own in a team's view, teamView). The bot reads hosts through its
   * HostDirectory: these plus `inventory:`, split by team.
   */
  readonly hosts: readonly HostDef[];
  /** Whose view this is: a team's name; the top level is `default`. */
  readonly team: string;
  /** Every team; one implicit `default` team without `teams:`. */
  readonly teams: readonly TeamConfig[];
  /** Inventory sources; an ansible `source` that is a path is absolute. */
  readonly inventory: readonly InventorySourceConfig[];
  /** Absolute directory of the attack catalogue. */
  readonly attacksDir: string;
  readonly attacks: readonly AttackDef[];
  readonly health: readonly HealthProviderConfig[];
  /** Where the bot looks for whether monitoring noticed an attack (docs/reports.md); empty: it does not look. */
  readonly detection: readonly DetectionSourceConfig[];
  /** Each attack's evidence (its own `evidence:`, then its team's), by attack name. */
  readonly evidence: Readonly<Record<string, readonly EvidenceConfig[]>>;
  /** Each attack's own steady-state probes, by attack name (with names filled in). */
  readonly steadyState: Readonly<Record<string, readonly HealthProviderConfig[]>>;
  readonly verdict: RawConfig['verdict'];
  /** Absolute path of the SQLite file. */
  readonly database: string;
  /** Ages in ms after which ticks and health samples are pruned; null: kept forever. */
  readonly retention: RawConfig['retention'];
  readonly report: { readonly time?: string | undefined; readonly directory: string };
  readonly metrics: RawConfig['metrics'];
  readonly web: RawConfig['web'];
  /** The control socket's path (absolute). */
  readonly controlSocket?: string;
  /** The game days of this view's team (a team's view: its own); none in the view over every team. */
  readonly gameDays: readonly GameDayDef[];
}
