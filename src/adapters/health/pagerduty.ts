import * as z from 'zod';
import type { pagerdutyProviderSchema } from '../../config/health-schema.js';
import { httpGet, joinUrl, parseJson } from './http-get.js';
import { healthy, type Provider, unhealthy, unreadable } from './provider.js';
import { readSecret } from './secrets.js';

export type PagerdutyProviderConfig = z.infer<typeof pagerdutyProviderSchema>;

const answerSchema = z.object({
  incidents: z.array(
    z.object({
      id: z.string().optional(),
      incident_number: z.number().optional(),
      title: z.string().optional(),
      summary: z.string().optional(),
      status: z.string().optional(),
    }),
  ),
  more: z.boolean().optional(),
  total: z.number().nullable().optional(),
});

type Incident = z.infer<typeof answerSchema>['incidents'][number];

const MAX_LISTED = 3;

/** `pagerduty`: healthy when no triggered or acknowledged incident exists for the listed services. */
export function pagerdutyProvider(config: PagerdutyProviderConfig, name: string): Provider {
  const query = new URLSearchParams();
  query.append('statuses[]', 'triggered');
  query.append('statuses[]', 'acknowledged');
  for (const id of config.serviceIds) query.append('service_ids[]', id);
  query.append('total', 'true');
  query.append('limit', '25');
  const url = joinUrl(config.url, '/incidents', query);

  return {
    name,
    kind: 'pagerduty',
    timeoutMs: config.timeout,
    secretEnv: [config.tokenEnv],
    async probe({ signal, env }) {
      const token = readSecret(env, config.tokenEnv);
      if (!token.ok) return unreadable(token.reason);
      const headers = {
        accept: 'application/vnd.pagerduty+json;version=2',
        authorization: `Token token=${token.value}`,
      };
      const answer = await httpGet(url, { headers, signal, readBodyFor: (s) => s === 200 });
      if (!answer.ok) return unreadable(answer.reason);
      if (answer.status === 401 || answer.status === 403) {
        return unreadable(`PagerDuty refused the token in ${config.tokenEnv} (HTTP ${answer.status})`);
      }
      if (answer.status !== 200) return unreadable(`PagerDuty answered HTTP ${answer.status}`);
      const json = parseJson(answer.body);
      const parsed = json.ok ? answerSchema.safeParse(json.value) : undefined;
      if (!parsed?.success) return unreadable('unreadable answer from PagerDuty (no incident list)');

      const { incidents, more, total } = parsed.data;
      if (incidents.length === 0) return healthy('no open incidents');
      const count = typeof total === 'number' && total >= incidents.length ? `${total}` : `${incidents.length}${more ? '+' : ''}`;
      const listed = incidents.slice(0, MAX_LISTED).map(describe).join(', ');
      const rest = incidents.length > MAX_LISTED || more ? ', ...' : '';
      return unhealthy(`${count} open ${count === '1' ? 'incident' : 'incidents'}: ${listed}${rest}`);
    },
  };
}

/** `#1234 Database down (triggered)`. */
function describe(incident: Incident): string {
  const number = incident.incident_number !== undefined ? `#${incident.incident_number}` : (incident.id ?? '?');
  const raw = incident.title ?? incident.summary ?? '';
  const title = raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
  const status = incident.status ? ` (${incident.status})` : '';
  return `${number}${title ? ` ${title}` : ''}${status}`;
}
