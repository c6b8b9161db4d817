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

/**
 * Ansible's ssh connection reads each of these from the vars in this order, and the last one set wins
 * (its config manager's `_loop_entries`): `ansible_ssh_host` beats `ansible_host`, and so on. We read
 * them the same way, so a host is the machine Ansible would reach.
 */
const ADDRESS_VARS = ['ansible_host', 'ansible_ssh_host'] as const;
const PORT_VARS = ['ansible_port', 'ansible_ssh_port'] as const;
const USER_VARS = ['ansible_user', 'ansible_ssh_user'] as const;

/** Connections that log in over SSH like we do; any other (`local`, `docker`, `winrm`…) reaches the host another way. */
const SSH_CONNECTIONS = new Set([
  'ssh',
  'smart',
  'paramiko',
  'paramiko_ssh',
  'ansible.builtin.ssh',
  'ansible.builtin.paramiko_ssh',
]);

/**
 * Connection vars that change where or how Ansible's SSH login goes, which ChaosCat does not honour:
 * a host that sets one is skipped with the reason, never reached another way than Ansible would.
 */
const NOT_HONOURED: Readonly<Record<string, string>> = {
  ansible_ssh_common_args: 'extra ssh arguments (a jump host or proxy, perhaps)',
  ansible_ssh_extra_args: 'extra ssh arguments (a jump host or proxy, perhaps)',
  ansible_ssh_args: 'its own ssh arguments',
  ansible_ssh_executable: 'its own ssh program',
  ansible_private_key_file: 'its own private key (ChaosCat logs in with ssh.privateKey)',
  ansible_ssh_private_key_file: 'its own private key (ChaosCat logs in with ssh.privateKey)',
  ansible_password: 'a password login (ChaosCat logs in with a key)',
  ansible_ssh_pass: 'a password login (ChaosCat logs in with a key)',
  ansible_ssh_password: 'a password login (ChaosCat logs in with a key)',
  ansible_paramiko_proxy_command: 'a proxy command',
};

/** The last of `names` that the host sets, as Ansible picks it. */
function lastSet(vars: Record<string, unknown>, names: readonly string[]): unknown {
  let value: unknown;
  for (const name of names) if (vars[name] !== undefined && vars[name] !== null) value = vars[name];
  return value;
}

/** Why ChaosCat cannot reach this host the way Ansible would, or undefined when it can. */
function notReachable(vars: Record<string, unknown>): string | undefined {
  const connection = vars.ansible_connection;
  if (connection !== undefined && connection !== null && !SSH_CONNECTIONS.has(String(connection))) {
    return `ansible_connection=${String(connection)} is not an SSH login`;
  }
  for (const [name, what] of Object.entries(NOT_HONOURED)) {
    const value = vars[name];
    if (value === undefined || value === null || value === '') continue;
    return `${name} sets ${what}, which ChaosCat does not honour`;
  }
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * Turns the JSON of `ansible-inventory --list` into hosts: each host's groups (with the groups that
 * contain them) become its tags; ansible_host, ansible_port and ansible_user (or their older
 * ansible_ssh_* names, as Ansible's ssh connection reads them) its address, port and user; a host
 * that Ansible reaches some other way is skipped with the reason; its other vars, when plain strings, its `vars`. Every host is checked like a configured one.
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
    const unreachable = notReachable(vars);
    if (unreachable) {
      notes.push(`host ${name}: ${unreachable}; skipped`);
      continue;
    }
    const own: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(vars)) if (!key.startsWith('ansible_')) own[key] = value;
    const checked = checkHost(
      {
        name,
        address: lastSet(vars, ADDRESS_VARS) ?? name,
        port: lastSet(vars, PORT_VARS) ?? 22,
        user: lastSet(vars, USER_VARS) ?? opts.user,
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
