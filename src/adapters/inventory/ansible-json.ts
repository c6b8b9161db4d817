import { checkHost } from '../../domain/inventory-host.js';
import type { HostDef } from '../../domain/model.js';

/** What `ansible-inventory --list` prints, read without trusting its shape. */
interface Group {
  readonly hosts: readonly string[];
  readonly children: readonly string[];
}

export interface AnsibleOptions {
  /** Source id, set on each host. */
  readonly id: string;
  /** Only hosts in one of these groups (directly or through a child group); empty = every host. */
  readonly groups: readonly string[];
  /** SSH user when the host sets no ansible_user; undefined = ssh.user. */
  readonly user?: string | undefined;
}

export type AnsibleHosts =
  | { readonly ok: true; readonly hosts: HostDef[]; readonly notes: string[] }
  | { readonly ok: false; readonly reason: string };

/** Groups that say nothing about a host: every host is in `all`, the rest in `ungrouped`. */
const NOT_TAGS = new Set(['all', 'ungrouped']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * Turns the JSON of `ansible-inventory --list` into hosts: each host's groups (with the groups that
 * contain them) become its tags; ansible_host, ansible_port and ansible_user its address, port and
 * user; its other vars, when plain strings, its `vars`. Every host is checked like a configured one.
 */
export function ansibleHosts(json: unknown, opts: AnsibleOptions): AnsibleHosts {
  if (!isObject(json)) return { ok: false, reason: 'ansible-inventory printed no inventory (expected a JSON object)' };
  const meta = isObject(json._meta) ? json._meta : {};
  const hostvars = isObject(meta.hostvars) ? meta.hostvars : {};
  const groups = new Map<string, Group>();
  for (const [name, value] of Object.entries(json)) {
    if (name === '_meta' || !isObject(value)) continue;
    groups.set(name, { hosts: strings(value.hosts), children: strings(value.children) });
  }
  const parents = new Map<string, string[]>();
  for (const [name, group] of groups) {
    for (const child of group.children) parents.set(child, [...(parents.get(child) ?? []), name]);
  }
  // A group and every group above it, each computed once (an inventory may nest groups deeply).
  const lineage = new Map<string, string[]>();
  const above = (group: string, path: ReadonlySet<string> = new Set()): string[] => {
    const known = lineage.get(group);
    if (known) return known;
    const out = new Set([group]);
    for (const parent of parents.get(group) ?? []) {
      if (path.has(parent)) continue; // a cycle: Ansible refuses these, but never loop
      for (const g of above(parent, new Set([...path, group]))) out.add(g);
    }
    const list = [...out];
    lineage.set(group, list);
    return list;
  };
  const membership = new Map<string, Set<string>>();
  for (const [name, group] of groups) {
    for (const host of group.hosts) {
      let set = membership.get(host);
      if (!set) {
        set = new Set();
        membership.set(host, set);
      }
      for (const g of above(name)) set.add(g);
    }
  }
  const notes = opts.groups.filter((g) => !groups.has(g)).map((g) => `group ${g} is not in the inventory`);
  const hosts: HostDef[] = [];
  for (const [name, inGroups] of membership) {
    if (opts.groups.length > 0 && !opts.groups.some((g) => inGroups.has(g))) continue;
    const vars = isObject(hostvars[name]) ? hostvars[name] : {};
    const own: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(vars)) if (!key.startsWith('ansible_')) own[key] = value;
    const checked = checkHost(
      {
        name,
        address: vars.ansible_host ?? name,
        port: vars.ansible_port ?? 22,
        user: vars.ansible_user ?? opts.user,
        tags: [...inGroups].filter((g) => !NOT_TAGS.has(g)).sort(),
        vars: own,
      },
      opts.id,
    );
    if (!checked.ok) {
      notes.push(`${checked.reason}; skipped`);
      continue;
    }
    hosts.push(checked.host);
    notes.push(...checked.notes);
  }
  return { ok: true, hosts, notes };
}
