import type { Config } from '../../config/config.js';
import type { InventorySource } from '../../ports/inventory-source.js';
import { ansibleSource } from './ansible.js';
import { prometheusSource } from './prometheus.js';

/** The bot's own secrets: Slack's, and every token variable the config names. */
const SLACK_SECRETS = ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET'];

/**
 * The environment ansible-inventory runs with: ours (an inventory plugin needs its cloud
 * credentials, AWS_PROFILE and the like) without the bot's own secrets, which no inventory needs.
 */
export function inventoryEnv(config: Config, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const secrets = new Set(SLACK_SECRETS);
  for (const p of config.health) if ('tokenEnv' in p && p.tokenEnv) secrets.add(p.tokenEnv);
  for (const probes of Object.values(config.steadyState)) {
    for (const p of probes) if ('tokenEnv' in p && p.tokenEnv) secrets.add(p.tokenEnv);
  }
  for (const s of config.inventory) if (s.kind === 'prometheus' && s.tokenEnv) secrets.add(s.tokenEnv);
  return Object.fromEntries(Object.entries(env).filter(([name]) => !secrets.has(name)));
}

/** One InventorySource per `inventory:` entry, in config order. */
export function createInventorySources(config: Config, env: NodeJS.ProcessEnv = process.env): InventorySource[] {
  const childEnv = inventoryEnv(config, env);
  return config.inventory.map((s) =>
    s.kind === 'ansible'
      ? ansibleSource({
          source: s.source,
          groups: s.groups,
          user: s.user,
          refreshMs: s.refresh,
          timeoutMs: s.timeout,
          env: childEnv,
        })
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
