import * as z from 'zod';
import type { DetectionSourceConfig } from '../../config/detection-schema.js';
import { type DetectionPoll, forHost } from '../../domain/detection.js';
import { matchesAll, parseMatcher } from '../../domain/label-matchers.js';
import type { HostDef } from '../../domain/model.js';
import type { DetectionSource } from '../../ports/detection.js';
import { httpGet, joinUrl, parseJson } from '../health/http-get.js';
import { readSecret } from '../health/secrets.js';

const amAlerts = z.array(z.object({ labels: z.record(z.string(), z.string()), startsAt: z.string() }));
const promRange = z.object({
  status: z.literal('success'),
  data: z.object({
    result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(z.tuple([z.number(), z.string()])) })),
  }),
});

/** The GET of a source, with its token and timeout; the body as JSON, or why not. */
async function getJson(
  url: string,
  timeoutMs: number,
  tokenEnv: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<{ ok: true; value: unknown } | { ok: false; why: string }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (tokenEnv) {
    const token = readSecret(env, tokenEnv);
    if (!token.ok) return { ok: false, why: token.reason };
    headers.authorization = `Bearer ${token.value}`;
  }
  const answer = await httpGet(url, { headers, signal: AbortSignal.timeout(timeoutMs), readBodyFor: (s) => s === 200 });
  if (!answer.ok) return { ok: false, why: answer.reason };
  if (answer.status !== 200) return { ok: false, why: `answered HTTP ${answer.status}` };
  const json = parseJson(answer.body);
  return json.ok ? json : { ok: false, why: 'answered something that is not JSON' };
}

/**
 * Alertmanager's alerts (API v2) that match every matcher for this host and began in the window,
 * silenced and inhibited ones left out (nobody was told of them). Polled during the window, so an
 * alert that resolves before the verdict still counts once seen.
 */
function alertmanagerSource(
  c: Extract<DetectionSourceConfig, { kind: 'alertmanager' }>,
  env: NodeJS.ProcessEnv,
): DetectionSource {
  return {
    name: c.name,
    async poll(host: HostDef, from: number, to: number): Promise<DetectionPoll> {
      const matchers = c.matchers.map((m) => parseMatcher(forHost(m, host)));
      const bad = matchers.find((m) => !m.ok);
      if (bad && !bad.ok) return { kind: 'unread', why: `matcher for ${host.name}: ${bad.error}` };
      const parsed = matchers.flatMap((m) => (m.ok ? [m.matcher] : []));
      const query = new URLSearchParams({ silenced: 'false', inhibited: 'false' });
      for (const m of c.matchers) query.append('filter', forHost(m, host));
      const json = await getJson(joinUrl(c.url, '/api/v2/alerts', query), c.timeout, c.tokenEnv, env);
      if (!json.ok) return { kind: 'unread', why: json.why };
      const alerts = amAlerts.safeParse(json.value);
      if (!alerts.success) return { kind: 'unread', why: 'not an Alertmanager v2 alert list' };
      const hits = alerts.data
        .map((a) => ({ at: Date.parse(a.startsAt), alert: a.labels.alertname ?? 'unnamed alert', labels: a.labels }))
        .filter((a) => Number.isFinite(a.at) && a.at >= from && a.at <= to && matchesAll(parsed, a.labels))
        .sort((a, b) => a.at - b.at);
      const first = hits[0];
      return first ? { kind: 'seen', at: first.at, alert: first.alert } : { kind: 'none' };
    },
  };
}

/**
 * Prometheus' own record of its alerts: `ALERTS{alertstate="firing", …}` over the window, at a step
 * of about 200 points. It keeps history, so one look at the end would do; each look reads it all.
 */
function prometheusSource(c: Extract<DetectionSourceConfig, { kind: 'prometheus' }>, env: NodeJS.ProcessEnv): DetectionSource {
  return {
    name: c.name,
    async poll(host: HostDef, from: number, to: number): Promise<DetectionPoll> {
      const selector = forHost(c.selector, host).trim();
      const query = `ALERTS{alertstate="firing"${selector ? `, ${selector}` : ''}}`;
      const step = Math.max(1, Math.ceil((to - from) / 200 / 1000));
      const params = new URLSearchParams({
        query,
        start: String(Math.floor(from / 1000)),
        end: String(Math.ceil(to / 1000)),
        step: `${step}s`,
      });
      const json = await getJson(joinUrl(c.url, '/api/v1/query_range', params), c.timeout, c.tokenEnv, env);
      if (!json.ok) return { kind: 'unread', why: json.why };
      const answer = promRange.safeParse(json.value);
      if (!answer.success) return { kind: 'unread', why: 'not a Prometheus range-query answer' };
      const hits = answer.data.data.result
        .flatMap((s) => s.values.map(([t]) => ({ at: t * 1000, alert: s.metric.alertname ?? 'unnamed alert' })))
        .filter((h) => h.at >= from && h.at <= to)
        .sort((a, b) => a.at - b.at);
      const first = hits[0];
      return first ? { kind: 'seen', at: first.at, alert: first.alert } : { kind: 'none' };
    },
  };
}

const pdIncidents = z.object({
  incidents: z.array(z.object({ created_at: z.string(), incident_number: z.number().optional(), title: z.string().optional() })),
});

/**
 * PagerDuty incidents (REST API v2) on the listed services opened in the window, whatever their
 * status now. Services are not hosts: an incident on them counts for whichever host was hit.
 */
function pagerdutySource(c: Extract<DetectionSourceConfig, { kind: 'pagerduty' }>, env: NodeJS.ProcessEnv): DetectionSource {
  return {
    name: c.name,
    async poll(_host: HostDef, from: number, to: number): Promise<DetectionPoll> {
      const token = readSecret(env, c.tokenEnv);
      if (!token.ok) return { kind: 'unread', why: token.reason };
      const query = new URLSearchParams({ since: new Date(from).toISOString(), until: new Date(to).toISOString(), limit: '100' });
      for (const id of c.serviceIds) query.append('service_ids[]', id);
      for (const s of ['triggered', 'acknowledged', 'resolved']) query.append('statuses[]', s);
      const answer = await httpGet(joinUrl(c.url, '/incidents', query), {
        headers: { accept: 'application/vnd.pagerduty+json;version=2', authorization: `Token token=${token.value}` },
        signal: AbortSignal.timeout(c.timeout),
        readBodyFor: (s) => s === 200,
      });
      if (!answer.ok) return { kind: 'unread', why: answer.reason };
      if (answer.status !== 200) return { kind: 'unread', why: `PagerDuty answered HTTP ${answer.status}` };
      const json = parseJson(answer.body);
      const parsed = json.ok ? pdIncidents.safeParse(json.value) : undefined;
      if (!parsed?.success) return { kind: 'unread', why: 'not a PagerDuty incident list' };
      const hits = parsed.data.incidents
        .map((i) => ({
          at: Date.parse(i.created_at),
          alert: `${i.incident_number !== undefined ? `#${i.incident_number} ` : ''}${i.title ?? 'incident'}`,
        }))
        .filter((h) => Number.isFinite(h.at) && h.at >= from && h.at <= to)
        .sort((a, b) => a.at - b.at);
      const first = hits[0];
      return first ? { kind: 'seen', at: first.at, alert: first.alert } : { kind: 'none' };
    },
  };
}

/** The detection sources of a config (its own and, for a team's view, the team's). */
export function detectionSources(configs: readonly DetectionSourceConfig[], env: NodeJS.ProcessEnv): DetectionSource[] {
  return configs.map((c) =>
    c.kind === 'alertmanager'
      ? alertmanagerSource(c, env)
      : c.kind === 'prometheus'
        ? prometheusSource(c, env)
        : pagerdutySource(c, env),
  );
}
