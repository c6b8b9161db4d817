import * as z from 'zod';
import { checkHost } from '../../domain/inventory-host.js';
import type { HostDef } from '../../domain/model.js';
import type { InventorySource } from '../../ports/inventory-source.js';
import { httpGet, joinUrl, parseJson } from '../health/http-get.js';
import { readSecret } from '../health/secrets.js';

export interface PrometheusSourceConfig {
  readonly url: string;
  readonly selector: string;
  readonly addressLabel: string;
  readonly nameLabel?: string | undefined;
  readonly tagLabels: readonly string[];
  /** The SSH port (the `instance` port is the exporter's, not SSH's). */
  readonly port: number;
  readonly user?: string | undefined;
  readonly tokenEnv?: string | undefined;
  readonly refreshMs: number;
  readonly timeoutMs: number;
}

const answerSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('vector'),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()) })),
  }),
});
const errorSchema = z.object({ status: z.literal('error'), error: z.string().optional() });

/** `host:port`, `[v6]:port`, `host` or a bare IPv6 address → the host part. */
export function hostPart(text: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) return bracketed[1] as string;
  const parts = text.split(':');
  if (parts.length === 2) return parts[0] as string;
  return text;
}

/**
 * Prometheus targets as hosts: the series an instant query (`selector`) returns now, one host per
 * series, its address from `addressLabel` (the port dropped), its name from `nameLabel` (default: the
 * address), its tags from the values of `tagLabels`. A token as the Prometheus health provider sends it.
 */
export function prometheusSource(config: PrometheusSourceConfig, env: NodeJS.ProcessEnv = process.env): InventorySource {
  const id = `prometheus:${config.url}`;
  const url = joinUrl(config.url, '/api/v1/query', new URLSearchParams({ query: config.selector }));
  return {
    id,
    refreshMs: config.refreshMs,
    timeoutMs: config.timeoutMs,
    list: async (signal) => {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (config.tokenEnv) {
        const token = readSecret(env, config.tokenEnv);
        if (!token.ok) return { ok: false, reason: token.reason };
        headers.authorization = `Bearer ${token.value}`;
      }
      const answer = await httpGet(url, { headers, signal });
      if (!answer.ok) return { ok: false, reason: answer.reason };
      const json = parseJson(answer.body);
      const failed = json.ok ? errorSchema.safeParse(json.value) : undefined;
      if (failed?.success)
        return { ok: false, reason: `query failed: ${(failed.data.error ?? `HTTP ${answer.status}`).slice(0, 160)}` };
      if (answer.status !== 200) return { ok: false, reason: `Prometheus answered HTTP ${answer.status}` };
      const parsed = json.ok ? answerSchema.safeParse(json.value) : undefined;
      if (!parsed?.success) return { ok: false, reason: 'unreadable answer from Prometheus (expected an instant vector)' };
      return { ok: true, ...seriesHosts(parsed.data.data.result, config, id) };
    },
  };
}

function seriesHosts(
  series: readonly { metric: Readonly<Record<string, string>> }[],
  config: PrometheusSourceConfig,
  id: string,
): { hosts: HostDef[]; notes: string[] } {
  const hosts: HostDef[] = [];
  const notes: string[] = [];
  for (const { metric } of series) {
    const raw = metric[config.addressLabel];
    if (raw === undefined || raw === '') {
      notes.push(`a series without the label ${config.addressLabel} skipped`);
      continue;
    }
    const address = hostPart(raw);
    const name = config.nameLabel === undefined ? address : metric[config.nameLabel];
    if (name === undefined || name === '') {
      notes.push(`${raw}: no label ${config.nameLabel}; skipped`);
      continue;
    }
    const tags = config.tagLabels.map((l) => metric[l]).filter((v): v is string => v !== undefined && v !== '');
    const checked = checkHost({ name, address, port: config.port, user: config.user, tags, vars: {} }, id);
    if (!checked.ok) {
      notes.push(`${checked.reason}; skipped`);
      continue;
    }
    hosts.push(checked.host);
    notes.push(...checked.notes);
  }
  return { hosts, notes };
}
