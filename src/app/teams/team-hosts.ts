import type { TeamConfig } from '../../config/config.js';
import { ownerOf } from '../../config/teams.js';
import type { HostDef } from '../../domain/model.js';
import type { HostDirectory } from '../../ports/host-directory.js';

/** Each list of hosts split by owning team once, whichever team asks first (lists change only on refresh). */
const splits = new WeakMap<readonly HostDef[], ReadonlyMap<string, readonly HostDef[]>>();

function split(hosts: readonly HostDef[], teams: readonly TeamConfig[]): ReadonlyMap<string, readonly HostDef[]> {
  let byTeam = splits.get(hosts);
  if (!byTeam) {
    const map = new Map<string, HostDef[]>();
    for (const h of hosts) {
      const owners = ownerOf(teams, h);
      // A host two teams select (an inventory host whose tags match both) is nobody's: never attacked.
      const owner = owners.length === 1 ? owners[0] : undefined;
      if (!owner) continue;
      const list = map.get(owner.name);
      if (list) list.push(h);
      else map.set(owner.name, [h]);
    }
    byTeam = map;
    splits.set(hosts, byTeam);
  }
  return byTeam;
}

/**
 * One team's hosts: those of the directory (static and inventory, as refreshed) that its selector
 * takes and no other team's does. No I/O; the split is computed once per refreshed list.
 */
export function teamDirectory(base: HostDirectory, teams: readonly TeamConfig[], team: TeamConfig): HostDirectory {
  if (team.implicit) return base;
  return {
    all: () => split(base.all(), teams).get(team.name) ?? [],
    sources: () => base.sources(),
    known: () => base.all(),
  };
}

/** Hosts that more than one team selects: skipped by all of them, and said so. */
export function contested(hosts: readonly HostDef[], teams: readonly TeamConfig[]): { host: string; teams: string[] }[] {
  return hosts.map((h) => ({ host: h.name, teams: ownerOf(teams, h).map((t) => t.name) })).filter((c) => c.teams.length > 1);
}
