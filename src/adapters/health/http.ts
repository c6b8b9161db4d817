import type * as z from 'zod';
import type { httpProviderSchema } from '../../config/health-schema.js';
import { httpGet, parseJson } from './http-get.js';
import { healthy, type Provider, unhealthy, unreadable } from './provider.js';
import { readSecret } from './secrets.js';

export type HttpProviderConfig = z.infer<typeof httpProviderSchema>;

/** `http`: GET a URL; healthy on the expected status and, when configured, the expected value at a JSON path. */
export function httpProvider(config: HttpProviderConfig, name: string): Provider {
  return {
    name,
    kind: 'http',
    timeoutMs: config.timeout,
    secretEnv: config.tokenEnv ? [config.tokenEnv] : [],
    async probe({ signal, env }) {
      const headers: Record<string, string> = { ...config.headers };
      if (config.tokenEnv) {
        const token = readSecret(env, config.tokenEnv);
        if (!token.ok) return unreadable(token.reason);
        headers.authorization = `Bearer ${token.value}`;
      }
      const jsonPath = config.jsonPath;
      const answer = await httpGet(config.url, {
        headers,
        signal,
        readBodyFor: (status) => jsonPath !== undefined && status === config.expectStatus,
      });
      if (!answer.ok) return unreadable(answer.reason);
      if (answer.status !== config.expectStatus) {
        return unhealthy(`HTTP ${answer.status} (expected ${config.expectStatus})`);
      }
      if (jsonPath === undefined) return healthy(`HTTP ${answer.status}`);

      const json = parseJson(answer.body);
      if (!json.ok) return unhealthy(`HTTP ${answer.status} but the answer is not JSON`);
      const found = lookup(json.value, jsonPath);
      if (!found.ok) return unhealthy(`no value at ${jsonPath}`);
      const shown = show(found.value);
      if (config.expectValue === undefined) return healthy(`${jsonPath} = ${shown}`);
      if (asText(found.value) !== String(config.expectValue)) {
        return unhealthy(`${jsonPath} = ${shown} (expected ${show(config.expectValue)})`);
      }
      return healthy(`${jsonPath} = ${shown}`);
    },
  };
}

/** Follows a dot path (`checks.db.state`, `items.0.status`) through objects and arrays. */
export function lookup(root: unknown, path: string): { ok: true; value: unknown } | { ok: false } {
  let current: unknown = root;
  for (const segment of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) {
      const index = Number(segment);
      if (index >= current.length) return { ok: false };
      current = current[index];
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return { ok: false };
    }
  }
  return { ok: true, value: current };
}

/** Values compare as strings: `true` equals "true", 1 equals "1". Objects compare by their JSON. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
