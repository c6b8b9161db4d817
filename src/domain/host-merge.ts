import type { HostDef } from './model.js';

/** One source's last good list, in config order. */
export interface SourceHosts {
  readonly source: string;
  readonly hosts: readonly HostDef[];
}

export interface Merged {
  readonly hosts: readonly HostDef[];
  /** By source: conflicts it is part of, and its hosts that `hosts:` in the config overrides. */
  readonly notes: ReadonlyMap<string, readonly string[]>;
  /** Names skipped because two descriptions disagree on where the host is. */
  readonly conflicts: readonly string[];
}

const endpoint = (h: HostDef) => `${h.address}:${h.port}`;

/**
 * The hosts to attack: the static `hosts:` as they are, then every inventory host whose name the
 * config does not already use. The same name from several sources (or twice in one) is one host when
 * they agree on address and port (tags joined, the first description otherwise); when they disagree it
 * is a conflict and the host is skipped — nobody can tell which machine is meant.
 */
export function mergeHosts(statics: readonly HostDef[], sources: readonly SourceHosts[]): Merged {
  const notes = new Map<string, string[]>();
  const note = (source: string, text: string) => {
    const list = notes.get(source);
    if (list) list.push(text);
    else notes.set(source, [text]);
  };
  const fixed = new Map(statics.map((h) => [h.name, h]));
  const seen = new Map<string, { source: string; host: HostDef }[]>();
  for (const { source, hosts } of sources) {
    for (const host of hosts) {
      const own = fixed.get(host.name);
      if (own) {
        if (endpoint(own) !== endpoint(host)) {
          note(source, `host ${host.name}: hosts: in the config wins (${endpoint(own)}, not ${endpoint(host)})`);
        }
        continue;
      }
      const list = seen.get(host.name);
      if (list) list.push({ source, host });
      else seen.set(host.name, [{ source, host }]);
    }
  }
  const merged: HostDef[] = statics.map((h) => (h.source ? h : { ...h, source: 'config' }));
  const conflicts: string[] = [];
  for (const [name, list] of seen) {
    const first = list[0];
    if (!first) continue;
    if (list.length === 1) {
      merged.push(first.host);
      continue;
    }
    const places = new Set(list.map((d) => endpoint(d.host)));
    const from = [...new Set(list.map((d) => d.source))];
    if (places.size > 1) {
      conflicts.push(name);
      const text = `host ${name}: conflict, skipped until resolved: ${list.map((d) => `${endpoint(d.host)} from ${d.source}`).join(' vs ')}`;
      for (const source of from) note(source, text);
      continue;
    }
    const tags = [...new Set(list.flatMap((d) => d.host.tags))];
    merged.push({ ...first.host, tags, source: from.join(', ') });
  }
  return { hosts: merged, notes, conflicts };
}
