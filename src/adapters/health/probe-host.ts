import type { HealthProviderConfig } from '../../config/health-schema.js';
import { forHost, namesHost } from '../../domain/detection.js';
import type { HostDef } from '../../domain/model.js';

/**
 * An attack's probe for the host it hit: `{{host}}` and `{{address}}` filled in, escaped for where
 * they stand — URL-encoded in an HTTP URL, a quoted PromQL or matcher string for Prometheus and
 * Alertmanager, a whole argument of its own for a command (no shell ever sees it). Probes that name
 * no host are returned as they are.
 */
export function probeForHost(p: HealthProviderConfig, host: HostDef): HealthProviderConfig {
  switch (p.kind) {
    case 'http':
      return namesHost(p.url) ? { ...p, url: forHost(p.url, host, encodeURIComponent) } : p;
    case 'prometheus':
      return namesHost(p.query) ? { ...p, query: forHost(p.query, host) } : p;
    case 'alertmanager':
      return p.matchers.some(namesHost) ? { ...p, matchers: p.matchers.map((m) => forHost(m, host)) } : p;
    case 'command':
      return p.command.some(namesHost) ? { ...p, command: p.command.map((arg) => forHost(arg, host, (v) => v)) } : p;
    default:
      return p;
  }
}

/** Whether any of the probes names the attacked host (then they are built per host). */
export function probesNameHost(probes: readonly HealthProviderConfig[]): boolean {
  return probes.some((p) => probeForHost(p, { name: '\u0000', address: '\u0000', port: 0, tags: [], vars: {} }) !== p);
}
