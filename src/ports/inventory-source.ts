import type { HostDef } from '../domain/model.js';

export type SourceAnswer =
  | { readonly ok: true; readonly hosts: readonly HostDef[]; readonly notes: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/**
 * One place that describes the fleet (an Ansible inventory, Prometheus targets). Side effects: `list`
 * reads the outside world (runs a child process, sends an HTTP request) and stops doing so when the
 * signal aborts. It never throws: every failure is an answer with a reason built by us. Hosts come
 * back checked (domain checkHost), each with its `source` set to `id`.
 */
export interface InventorySource {
  readonly id: string;
  /** How often to ask again. */
  readonly refreshMs: number;
  /** How long one `list` may take before it is aborted. */
  readonly timeoutMs: number;
  list(signal: AbortSignal): Promise<SourceAnswer>;
}
