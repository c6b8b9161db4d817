import * as z from 'zod';
import type { alertmanagerProviderSchema } from '../../config/health-schema.js';
import { formatMatcher, type Matcher, matchesAll, parseMatcher } from '../../domain/label-matchers.js';
import { plural } from '../../words/common.js';
import { httpGet, joinUrl, parseJson } from './http-get.js';
import { healthy, type Provider, unhealthy, unreadable } from './provider.js';
import { readSecret } from './secrets.js';

export type AlertmanagerProviderConfig = z.infer<typeof alertmanagerProviderSchema>;

const alertsSchema = z.array(
  z.object({
    labels: z.record(z.string(), z.string()),
    status: z.object({ state: z.string() }).optional(),
  }),
);

type Alert = z.infer<typeof alertsSchema>[number];

/** Labels worth showing next to the alert name, in order of preference. */
const SHOWN_LABELS = ['service', 'job', 'instance', 'namespace', 'cluster', 'severity'];
const MAX_LISTED = 3;

/**
 * `alertmanager`: healthy when no active, unsilenced, uninhibited alert matches every matcher.
 * The matchers go to Alertmanager as `filter=` and are checked again here, so a proxy or an old
 * Alertmanager that ignores the filter cannot make a firing alert look healthy.
 */
export function alertmanagerProvider(config: AlertmanagerProviderConfig, name: string): Provider {
  const parsed = config.matchers.map(parseMatcher);
  const matchers: Matcher[] = [];
  const errors: string[] = [];
  for (const p of parsed) {
    if (p.ok) matchers.push(p.matcher);
    else errors.push(p.error);
  }
  const query = new URLSearchParams({ active: 'true', silenced: 'false', inhibited: 'false' });
  for (const m of matchers) query.append('filter', formatMatcher(m));
  const url = joinUrl(config.url, '/api/v2/alerts', query);

  return {
    name,
    kind: 'alertmanager',
    timeoutMs: config.timeout,
    secretEnv: config.tokenEnv ? [config.tokenEnv] : [],
    async probe({ signal, env }) {
      if (errors.length > 0) return unreadable(errors[0] ?? 'invalid matcher');
      const headers: Record<string, string> = { accept: 'application/json' };
      if (config.tokenEnv) {
        const token = readSecret(env, config.tokenEnv);
        if (!token.ok) return unreadable(token.reason);
        headers.authorization = `Bearer ${token.value}`;
      }
      const answer = await httpGet(url, { headers, signal, readBodyFor: (s) => s === 200 });
      if (!answer.ok) return unreadable(answer.reason);
      if (answer.status !== 200) return unreadable(`Alertmanager answered HTTP ${answer.status}`);
      const json = parseJson(answer.body);
      const alerts = json.ok ? alertsSchema.safeParse(json.value) : undefined;
      if (!alerts?.success) return unreadable('unreadable answer from Alertmanager (not a v2 alert list)');

      const firing = alerts.data.filter((a) => isActive(a) && matchesAll(matchers, a.labels));
      if (firing.length === 0) return healthy(matchers.length ? 'no matching alerts firing' : 'no alerts firing');
      return unhealthy(describeAlerts(firing));
    },
  };
}

/** `suppressed` means silenced or inhibited; `active` and `unprocessed` (just received) both count. */
function isActive(alert: Alert): boolean {
  return alert.status?.state !== 'suppressed';
}

/** "2 alerts firing: HighLatency{service=api}, DiskFull{instance=db1}". */
export function describeAlerts(alerts: readonly Alert[]): string {
  const names = [...new Set(alerts.map(describeAlert))];
  const listed = names.slice(0, MAX_LISTED).join(', ');
  const more = names.length > MAX_LISTED ? ` and ${names.length - MAX_LISTED} more` : '';
  const count = `${plural(alerts.length, 'alert')} firing`;
  return `${count}: ${listed}${more}`;
}

function describeAlert(alert: Alert): string {
  const labels = alert.labels;
  const name = labels.alertname ?? 'unnamed alert';
  const shown = SHOWN_LABELS.filter((key) => labels[key] !== undefined && labels[key] !== '')
    .slice(0, 2)
    .map((key) => `${key}=${labels[key]}`);
  return shown.length ? `${name}{${shown.join(',')}}` : name;
}
