import { afterEach, describe, expect, it } from 'vitest';
import { type LocalServer, sendJson, startServer } from '../../support/http-servers.js';
import { checkOne } from './gate-helpers.js';

const servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A stand-in of Prometheus' /api/v1/query answering `body` with `status`. */
async function prometheus(body: unknown, status = 200): Promise<LocalServer> {
  const server = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/api/v1/query') return sendJson(res, 404, 'not found');
    sendJson(res, status, body);
  });
  servers.push(server);
  return server;
}

const vector = (...samples: [Record<string, string>, string][]) => ({
  status: 'success',
  data: { resultType: 'vector', result: samples.map(([metric, v]) => ({ metric, value: [1_700_000_000.123, v] })) },
});

const QUERY = 'sum by (service) (rate(http_errors_total[5m])) / sum by (service) (rate(http_requests_total[5m])) > 0.01';

describe('prometheus health provider', () => {
  it('sends the query and is healthy when the result vector is empty', async () => {
    const server = await prometheus(vector());
    const result = await checkOne({ kind: 'prometheus', url: server.url, query: QUERY });
    expect(result).toMatchObject({ name: 'prometheus', kind: 'prometheus', healthy: true, reason: 'empty result' });
    expect(new URL(server.requests[0]?.url ?? '', server.url).searchParams.get('query')).toBe(QUERY);
  });

  it('is unhealthy when the vector is not empty and there is no comparison, listing the series', async () => {
    const server = await prometheus(vector([{ service: 'api' }, '0.07'], [{ __name__: 'up', job: 'db' }, '0']));
    const result = await checkOne({ kind: 'prometheus', url: server.url, query: QUERY });
    expect(result).toMatchObject({
      healthy: false,
      reason: '2 series returned: {service="api"} = 0.07, up{job="db"} = 0',
    });
  });

  it('is healthy when every sample satisfies the comparison', async () => {
    const server = await prometheus(vector([{ service: 'api' }, '0.999'], [{ service: 'web' }, '0.995']));
    const result = await checkOne({
      kind: 'prometheus',
      url: server.url,
      query: 'slo:availability:ratio_rate1h',
      comparison: { op: '>=', value: 0.99 },
    });
    expect(result).toMatchObject({ healthy: true, reason: '2 series, all >= 0.99' });
  });

  it('is unhealthy when one sample fails the comparison, naming it', async () => {
    const server = await prometheus(vector([{ service: 'api' }, '0.999'], [{ service: 'web' }, '0.95']));
    const result = await checkOne({
      kind: 'prometheus',
      url: server.url,
      query: 'slo:availability:ratio_rate1h',
      comparison: { op: '>=', value: 0.99 },
    });
    expect(result).toMatchObject({
      healthy: false,
      reason: '1 of 2 series fail (want >= 0.99): {service="web"} = 0.95',
    });
  });

  it.each([
    ['NaN', '<', 1, false],
    ['NaN', '!=', 1, false],
    ['+Inf', '>', 1e300, true],
    ['-Inf', '<', -1e300, true],
    ['1', '==', 1, true],
    ['2', '!=', 2, false],
    ['3', '<=', 3, true],
  ] as const)('judges the sample %s %s %s as healthy=%s', async (sample, op, value, expected) => {
    const server = await prometheus(vector([{ job: 'x' }, sample]));
    const result = await checkOne({ kind: 'prometheus', url: server.url, query: 'q', comparison: { op, value } });
    expect(result.healthy).toBe(expected);
  });

  it('judges a scalar result by the comparison', async () => {
    const server = await prometheus({ status: 'success', data: { resultType: 'scalar', result: [1, '0.5'] } });
    expect(
      await checkOne({ kind: 'prometheus', url: server.url, query: 'scalar(x)', comparison: { op: '<', value: 1 } }),
    ).toMatchObject({ healthy: true });
    expect(await checkOne({ kind: 'prometheus', url: server.url, query: 'scalar(x)' })).toMatchObject({ healthy: false });
  });

  it('is unhealthy on a range vector', async () => {
    const server = await prometheus({ status: 'success', data: { resultType: 'matrix', result: [] } });
    expect(await checkOne({ kind: 'prometheus', url: server.url, query: 'x[5m]' })).toMatchObject({
      healthy: false,
      reason: 'the query returned a matrix; expected an instant vector',
    });
  });

  it('is unhealthy when the query fails, with Prometheus’ message', async () => {
    const server = await prometheus(
      { status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:5: parse error' },
      400,
    );
    expect(await checkOne({ kind: 'prometheus', url: server.url, query: 'up{' })).toMatchObject({
      healthy: false,
      reason: 'query failed: invalid parameter "query": 1:5: parse error',
    });
  });

  it.each([
    ['a server error without a body', 'oops', 503, 'Prometheus answered HTTP 503'],
    ['not JSON', 'not json', 200, 'unreadable answer from Prometheus (not a query result)'],
    [
      'a wrong shape',
      { status: 'success', data: { resultType: 'vector', result: [{ value: 1 }] } },
      200,
      'unreadable answer from Prometheus (not a query result)',
    ],
  ])('is unhealthy on %s', async (_what, body, status, reason) => {
    const server = await prometheus(body, status);
    expect(await checkOne({ kind: 'prometheus', url: server.url, query: 'up' })).toMatchObject({ healthy: false, reason });
  });
});
