import type { BlastOverride } from './blast-radius.js';
import type { AttackDef, HostDef } from './model.js';
import type { Refusal, Unfit } from './refusal.js';

const namePatterns = new Map<string, RegExp>();

/** The attack's `names` selector as a RegExp (validated and anchored at load). */
function namePattern(source: string): RegExp {
  let re = namePatterns.get(source);
  if (!re) {
    re = new RegExp(source);
    namePatterns.set(source, re);
  }
  return re;
}

/** Whether the host passes the attack's selector: a target tag (none = all), its `names`, not `exclude`d. */
export function selects(attack: AttackDef, host: HostDef): boolean {
  if (attack.targets.length > 0 && !attack.targets.some((t) => host.tags.includes(t))) return false;
  if (attack.names !== undefined && !namePattern(attack.names).test(host.name)) return false;
  const exclude = attack.exclude ?? [];
  return !exclude.some((x) => x === host.name || host.tags.includes(x));
}

/** Whether the attack may run on the host: its selector, and all its host vars. */
export function fits(attack: AttackDef, host: HostDef): boolean {
  return selects(attack, host) && attack.hostVars.every((v) => (host.vars[v] ?? '') !== '');
}

/** A selector on names makes hosts of one kind (same tags and vars) differ: those need the full list. */
function byName(attack: AttackDef): boolean {
  return attack.names !== undefined || (attack.exclude?.length ?? 0) > 0;
}

/** Whether the attack has at least one host: one of each kind answers, unless it selects by name. */
function hasHost(attack: AttackDef, hosts: readonly HostDef[]): boolean {
  return (byName(attack) ? hosts : oneOfEachKind(hosts)).some((h) => fits(attack, h));
}

/** Why an attack does not run on a host: the part of its selector the host misses. */
export function whyNot(attack: AttackDef, host: HostDef): Unfit {
  if (attack.targets.length > 0 && !attack.targets.some((t) => host.tags.includes(t))) {
    return { kind: 'tags', tags: attack.targets };
  }
  if (attack.names !== undefined && !namePattern(attack.names).test(host.name)) return { kind: 'names', names: attack.names };
  if ((attack.exclude ?? []).some((x) => x === host.name || host.tags.includes(x))) {
    return { kind: 'excluded', exclude: attack.exclude ?? [] };
  }
  return { kind: 'host-vars', vars: attack.hostVars };
}

/** Hosts an attack may run on. */
export function eligibleHosts(attack: AttackDef, hosts: readonly HostDef[]): HostDef[] {
  return hosts.filter((h) => fits(attack, h));
}

/**
 * One host per kind: hosts with the same tags and the same non-empty vars fit the same attacks, so
 * "has this attack any host?" needs only one of each. Kept per host list (a list never changes: the
 * config's is frozen, an inventory refresh makes a new one), so a tick pays for it once per list.
 * Without it, an inventory listed group by group makes that question scan most of the fleet.
 */
const kinds = new WeakMap<readonly HostDef[], HostDef[]>();

function oneOfEachKind(hosts: readonly HostDef[]): HostDef[] {
  const known = kinds.get(hosts);
  if (known) return known;
  const seen = new Map<string, HostDef>();
  for (const h of hosts) {
    const vars = Object.keys(h.vars)
      .filter((k) => h.vars[k] !== '')
      .sort();
    const key = `${[...h.tags].sort().join(',')}|${vars.join(',')}`;
    if (!seen.has(key)) seen.set(key, h);
  }
  const list = [...seen.values()];
  kinds.set(hosts, list);
  return list;
}

/** Draws one item with probability proportional to its weight; weight 0 is never drawn. */
export function pickWeighted<T>(items: readonly T[], weightOf: (item: T) => number, r: number): T | undefined {
  const weighted = items.filter((i) => weightOf(i) > 0);
  const total = weighted.reduce((sum, i) => sum + weightOf(i), 0);
  if (total <= 0) return undefined;
  let point = r * total;
  for (const item of weighted) {
    point -= weightOf(item);
    if (point < 0) return item;
  }
  return weighted[weighted.length - 1];
}

/** Uniform choice; undefined for an empty list. */
export function pickUniform<T>(items: readonly T[], r: number): T | undefined {
  if (items.length === 0) return undefined;
  return items[Math.min(items.length - 1, Math.floor(r * items.length))];
}

export type Pick =
  | {
      readonly kind: 'pick';
      readonly attack: AttackDef;
      readonly host: HostDef;
      /** Why the draw went against a preference (a host hit within the host cooldown), for the record. */
      readonly note?: string | undefined;
    }
  | { readonly kind: 'none'; readonly refusal: Extract<Refusal, { kind: 'no-attack' | 'no-host' | 'unfit' }> };

const none = (refusal: Extract<Pick, { kind: 'none' }>['refusal']): Pick => ({ kind: 'none', refusal });

/**
 * The scheduler's draw: a weighted attack among those with at least one eligible host, then a
 * uniformly random eligible host. `rested` (hosts hit within `schedule.hostCooldown` left out) keeps
 * the draw off those hosts: only attacks with a rested host are drawn, and only rested hosts; when
 * no eligible host has rested, the draw is as without it and the pick carries a note saying so.
 * `rng` is called exactly twice when something is picked.
 */
export function pickAttack(
  attacks: readonly AttackDef[],
  hosts: readonly HostDef[],
  rng: () => number,
  recent: ReadonlySet<string> = new Set(),
): Pick {
  const drawable = attacks.filter((a) => a.weight > 0);
  if (drawable.length === 0) return none({ kind: 'no-attack', why: 'no-weight' });
  // One host of each kind answers whether an attack has a host; the full list is built only for the drawn attack.
  const withHosts = drawable.filter((a) => hasHost(a, hosts));
  if (withHosts.length === 0) {
    return none({ kind: 'no-host', attack: null });
  }
  const rested = (h: HostDef) => !recent.has(h.name);
  const withRested = recent.size === 0 ? withHosts : withHosts.filter((a) => eligibleHosts(a, hosts).some(rested));
  const yielding = withRested.length > 0;
  const attack = pickWeighted(yielding ? withRested : withHosts, (a) => a.weight, rng());
  if (!attack) return none({ kind: 'no-attack', why: 'not-drawn' });
  const eligible = eligibleHosts(attack, hosts);
  const host = pickUniform(yielding ? eligible.filter(rested) : eligible, rng());
  if (!host) return none({ kind: 'no-host', attack: attack.name });
  if (yielding) return { kind: 'pick', attack, host };
  return {
    kind: 'pick',
    attack,
    host,
    note: `every eligible host was hit within the host cooldown: ${host.name} again`,
  };
}

export interface Wanted {
  readonly attack?: AttackDef | undefined;
  readonly host?: HostDef | undefined;
  /** Parameter overrides, checked against the attack's bounds (params.ts checkParams). */
  readonly params?: Readonly<Record<string, string>> | undefined;
  /** How many hosts instead of the attack's blastRadius count or percent (its max and allowAll still hold). */
  readonly blast?: BlastOverride | undefined;
}

/**
 * run-once's choice: a named attack (any weight) or a weighted draw among those that fit; a named
 * host if the attack runs there, else a uniformly random eligible host.
 */
export function pickRequested(attacks: readonly AttackDef[], hosts: readonly HostDef[], want: Wanted, rng: () => number): Pick {
  const host = want.host;
  let attack = want.attack;
  if (!attack) {
    // By name, any weight; drawn, weight 0 stays out. With a host named, only attacks that fit it.
    const fitting = attacks.filter((a) => (host ? fits(a, host) : hasHost(a, hosts)));
    attack = pickWeighted(fitting, (a) => a.weight, rng());
    if (!attack) return none({ kind: 'no-attack', why: 'none-fits' });
  }
  const eligible = eligibleHosts(attack, hosts);
  if (host) {
    if (eligible.some((h) => h.name === host.name)) return { kind: 'pick', attack, host };
    return none({ kind: 'unfit', attack: attack.name, host: host.name, why: whyNot(attack, host) });
  }
  const drawn = pickUniform(eligible, rng());
  if (!drawn) return none({ kind: 'no-host', attack: attack.name });
  return { kind: 'pick', attack, host: drawn };
}
