import type { Config } from '../../config/config.js';
import type { InventorySource } from '../../ports/inventory-source.js';
import { ansibleSource } from './ansible.js';
import { prometheusSource } from './prometheus.js';

/** One InventorySource per `inventory:` entry, in config order. */
export function createInventorySources(config: Config, env: NodeJS.ProcessEnv = process.env): InventorySource[] {
  return config.inventory.map((s) =>
    s.kind === 'ansible'
      ? ansibleSource({ source: s.source, groups: s.groups, user: s.user, refreshMs: s.refresh, timeoutMs: s.timeout })
      : prometheusSource(
          {
            url: s.url,
            selector: s.selector,
            addressLabel: s.addressLabel,
            nameLabel: s.nameLabel,
            tagLabels: s.tagLabels,
            port: s.port,
            user: s.user,
            tokenEnv: s.tokenEnv,
            refreshMs: s.refresh,
            timeoutMs: s.timeout,
          },
          env,
        ),
  );
}
