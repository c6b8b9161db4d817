import type { HostDef } from '../domain/model.js';

/** How one inventory source stands, for `status`, `hosts`, `check-config` and the log. */
export interface SourceStatus {
  /** `ansible:/etc/ansible/hosts`, `prometheus:http://prometheus:9090`. */
  readonly id: string;
  /** Hosts in its last good list (before conflicts and overrides). */
  readonly hosts: number;
  /** When it last answered well; null = never: no hosts from it. */
  readonly okAt: number | null;
  /** Since when it fails (its last good list, if any, is kept); null while it answers. */
  readonly failingSince: number | null;
  /** Why the last refresh failed; null after a good one. */
  readonly error: string | null;
  /** Hosts or fields of the last good list left out, conflicts, overrides by `hosts:`. */
  readonly notes: readonly string[];
}

/**
 * The hosts the bot may attack. No side effects: `all()` returns what is known now (the static
 * `hosts:` merged with each inventory source's last good list, conflicts left out) and never waits
 * for a source. Refreshing is the implementation's business, in the background.
 */
export interface HostDirectory {
  all(): readonly HostDef[];
  /** The inventory sources, in config order; empty without `inventory:`. */
  sources(): readonly SourceStatus[];
  /**
   * Every host known to the bot, whichever team's: where a past attack's host is looked up
   * (recovery, `history #ID`). Default: all().
   */
  known?(): readonly HostDef[];
}

/** Every host known to the bot (a team's directory knows the other teams' hosts too). */
export function knownHosts(directory: HostDirectory): readonly HostDef[] {
  return directory.known?.() ?? directory.all();
}
