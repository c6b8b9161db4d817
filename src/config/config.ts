import type { AttackDef, HostDef } from '../domain/model.js';
import type { HealthProviderConfig } from './health-schema.js';
import type { RawConfig } from './schema.js';

export type SshSettings = RawConfig['ssh'];
export type ScheduleSettings = RawConfig['schedule'];
export type BusinessHoursSettings = RawConfig['businessHours'];
export type SlackSettings = RawConfig['slack'];

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
  readonly hosts: readonly HostDef[];
  /** Absolute directory of the attack catalogue. */
  readonly attacksDir: string;
  readonly attacks: readonly AttackDef[];
  readonly health: readonly HealthProviderConfig[];
  /** Each attack's own steady-state probes, by attack name (with names filled in). */
  readonly steadyState: Readonly<Record<string, readonly HealthProviderConfig[]>>;
  readonly verdict: RawConfig['verdict'];
  /** Absolute path of the SQLite file. */
  readonly database: string;
  readonly report: { readonly time?: string | undefined; readonly directory: string };
  readonly metrics: RawConfig['metrics'];
  readonly web: RawConfig['web'];
}
