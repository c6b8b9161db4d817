import type { BlastRadius, HostDef } from './model.js';

/** run-once's `count=N` or `percent=P`: replaces the file's count or percent, never its max or allowAll. */
export interface BlastOverride {
  readonly count?: number | undefined;
  readonly percent?: number | undefined;
}

/** What a run asked for: a count of hosts, or a percentage of the `of` eligible ones. */
export type BlastAsk =
  | { readonly kind: 'count'; readonly count: number }
  | { readonly kind: 'percent'; readonly percent: number; readonly of: number };

/**
 * Why a run hits fewer hosts than it asked for, as data (words/announcements.ts `blastCapText` says
 * it): only `eligible` hosts are; the attack's blastRadius `max`; or every eligible host, which
 * needs `allowAll`, so `count` of `eligible`.
 */
export type BlastCap =
  | { readonly kind: 'eligible'; readonly asked: BlastAsk; readonly eligible: number }
  | { readonly kind: 'max'; readonly asked: BlastAsk; readonly max: number }
  | { readonly kind: 'all'; readonly asked: BlastAsk; readonly count: number; readonly eligible: number };

export interface BlastSize {
  /** How many hosts the run hits (at least one when any host is eligible). */
  readonly count: number;
  /** Why fewer than asked, when a cap applied: said in the announcement. */
  readonly capped: BlastCap | null;
}

/**
 * How many of `eligible` hosts one run hits. Percent rounds down, at least one; `max` caps it;
 * every eligible host (two or more) only with `allowAll`. Default: one host.
 */
export function blastCount(radius: BlastRadius | undefined, eligible: number, override: BlastOverride = {}): BlastSize {
  if (eligible <= 0) return { count: 0, capped: null };
  const r = radius ?? {};
  let wanted: number;
  let asked: BlastAsk;
  const percent = override.percent ?? (override.count === undefined ? r.percent : undefined);
  if (override.count !== undefined) {
    wanted = override.count;
    asked = { kind: 'count', count: override.count };
  } else if (percent !== undefined) {
    wanted = Math.max(1, Math.floor((percent * eligible) / 100));
    asked = { kind: 'percent', percent, of: eligible };
  } else {
    wanted = r.count ?? 1;
    asked = { kind: 'count', count: wanted };
  }
  wanted = Math.max(1, wanted);
  let count = Math.min(wanted, eligible);
  let capped: BlastCap | null = count < wanted ? { kind: 'eligible', asked, eligible } : null;
  if (r.max !== undefined && count > r.max) {
    count = Math.max(1, r.max);
    capped = { kind: 'max', asked, max: r.max };
  }
  if (count >= eligible && eligible > 1 && r.allowAll !== true) {
    count = eligible - 1;
    capped = { kind: 'all', asked, count, eligible };
  }
  return { count, capped };
}

/**
 * Draws `count` hosts from `eligible`, uniformly, `first` (a host named in run-once) always among
 * them. `rng` is called once per host drawn beyond the first.
 */
export function drawHosts(eligible: readonly HostDef[], count: number, first: HostDef, rng: () => number): HostDef[] {
  const chosen = [first];
  const rest = eligible.filter((h) => h.name !== first.name);
  while (chosen.length < count && rest.length > 0) {
    const i = Math.min(rest.length - 1, Math.floor(rng() * rest.length));
    chosen.push(...rest.splice(i, 1));
  }
  return chosen;
}
