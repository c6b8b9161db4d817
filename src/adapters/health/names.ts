import { basename } from 'node:path';
import type { HealthProviderConfig } from '../../config/health-schema.js';
import { shortUrl } from './http-get.js';

/** The name a provider shows in `status` and chat when config gives none: `http:host/path`, `alertmanager`, ... */
export function defaultName(config: HealthProviderConfig): string {
  switch (config.kind) {
    case 'http':
      return `http:${shortUrl(config.url)}`;
    case 'command':
      return `command:${basename(config.command[0] ?? 'command')}`;
    default:
      return config.kind;
  }
}

/** Names as configured or defaulted, made unique with `#2`, `#3` so results can be told apart. */
export function providerNames(configs: readonly HealthProviderConfig[]): string[] {
  const used = new Set(configs.flatMap((c) => (c.name ? [c.name] : [])));
  return configs.map((c) => {
    if (c.name) return c.name;
    const base = defaultName(c);
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}#${n}`;
    used.add(name);
    return name;
  });
}
