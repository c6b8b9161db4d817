import * as z from 'zod';
import type { prometheusProviderSchema } from '../../config/health-schema.js';
import { httpGet, joinUrl, parseJson } from './http-get.js';
import { healthy, type Provider, unhealthy, unreadable, type Verdict } from './provider.js';
import { readSecret } from './secrets.js';

export type PrometheusProviderConfig = z.infer<typeof prometheusProviderSchema>;
type Comparison = NonNullable<PrometheusProviderConfig['comparison']>;

const sample = z.tuple([z.number(), z.string()]);
const answerSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: z.discriminatedUnion('resultType', [
      z.object({
        resultType: z.literal('vector'),
        result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: sample })),
      }),
      z.object({ resultType: z.literal('scalar'), result: sample }),
      z.object({ resultType: z.literal('matrix'), result: z.array(z.unknown()) }),
      z.object({ resultType: z.literal('string'), result: z.unknown() }),
    ]),
  }),
  z.object({ status: z.literal('error'), errorType: z.string().optional(), error: z.string().optional() }),
]);

const MAX_LISTED = 3;

/**
 * `prometheus`: an instant query. Healthy when the result vector is empty, or, with a comparison,
 * when every sample satisfies it. NaN never satisfies a comparison (fail closed).
 */
export function prometheusProvider(config: PrometheusProviderConfig, name: string): Provider {
  const url = joinUrl(config.url, '/api/v1/query', new URLSearchParams({ query: config.query }));
  return {
    name,
    kind: 'prometheus',
    timeoutMs: config.timeout,
    secretEnv: config.tokenEnv ? [config.tokenEnv] : [],
    async probe({ signal, env }) {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (config.tokenEnv) {
        const token = readSecret(env, config.tokenEnv);
        if (!token.ok) return unreadable(token.reason);
        headers.authorization = `Bearer ${token.value}`;
      }
      const answer = await httpGet(url, { headers, signal });
      if (!answer.ok) return unreadable(answer.reason);
      const json = parseJson(answer.body);
      const parsed = json.ok ? answerSchema.safeParse(json.value) : undefined;
      if (parsed?.success && parsed.data.status === 'error') {
        return unreadable(`query failed: ${clip(parsed.data.error ?? parsed.data.errorType ?? `HTTP ${answer.status}`)}`);
      }
      if (answer.status !== 200) return unreadable(`Prometheus answered HTTP ${answer.status}`);
      if (!parsed?.success || parsed.data.status !== 'success') {
        return unreadable('unreadable answer from Prometheus (not a query result)');
      }
      return judge(parsed.data.data, config.comparison);
    },
  };
}

type Data = Extract<z.infer<typeof answerSchema>, { status: 'success' }>['data'];

function judge(data: Data, comparison: Comparison | undefined): Verdict {
  if (data.resultType === 'matrix' || data.resultType === 'string') {
    return unreadable(`the query returned a ${data.resultType}; expected an instant vector`);
  }
  const series =
    data.resultType === 'scalar'
      ? [{ label: 'scalar', value: toNumber(data.result[1]) }]
      : data.result.map((s) => ({ label: seriesLabel(s.metric), value: toNumber(s.value[1]) }));
  if (series.length === 0) return healthy('empty result');
  if (!comparison) {
    return unhealthy(`${series.length} series returned: ${list(series.map((s) => `${s.label} = ${s.value}`))}`);
  }
  const failing = series.filter((s) => !satisfies(s.value, comparison));
  if (failing.length === 0) {
    return healthy(`${series.length} series, all ${comparison.op} ${comparison.value}`);
  }
  const want = `want ${comparison.op} ${comparison.value}`;
  return unhealthy(
    `${failing.length} of ${series.length} series fail (${want}): ${list(failing.map((s) => `${s.label} = ${s.value}`))}`,
  );
}

export function satisfies(value: number, { op, value: limit }: Comparison): boolean {
  if (Number.isNaN(value)) return false;
  switch (op) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '==':
      return value === limit;
    case '!=':
      return value !== limit;
  }
}

/** Prometheus writes samples as strings, with `+Inf`, `-Inf` and `NaN`. */
function toNumber(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  const n = Number(text);
  return text.trim() === '' ? Number.NaN : n;
}

function seriesLabel(metric: Readonly<Record<string, string>>): string {
  const { __name__: metricName = '', ...rest } = metric;
  const pairs = Object.entries(rest).map(([k, v]) => `${k}="${v}"`);
  return pairs.length || !metricName ? `${metricName}{${pairs.join(',')}}` : metricName;
}

function list(items: readonly string[]): string {
  const shown = items.slice(0, MAX_LISTED).join(', ');
  return items.length > MAX_LISTED ? `${shown} and ${items.length - MAX_LISTED} more` : shown;
}

function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
