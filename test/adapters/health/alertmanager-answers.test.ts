import { afterEach, describe, expect, it } from 'vitest';
import { alertmanagerProvider } from '../../../src/adapters/health/alertmanager.js';
import { gateOf } from '../../../src/adapters/health/gate.js';
import { type Handler, type LocalServer, sendJson, startServer } from '../../support/http-servers.js';
import { checkOne, fixedClock, silentLogger } from './gate-helpers.js';

/** Answers a real Alertmanager would not give (or a proxy in front of it might): we must still fail closed. */
const servers: LocalServer[] = [];
async function serve(handler: Handler): Promise<LocalServer> {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const alert = (labels: Record<string, string>, state = 'active') => ({
  labels,
  annotations: {},
  status: { state, silencedBy: [], inhibitedBy: [] },
});

describe('alertmanager health provider (stand-in answers)', () => {
  it('asks only for active, unsilenced, uninhibited alerts, with the matchers as filters, under a path prefix', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, []));
    await checkOne({ kind: 'alertmanager', url: `${server.url}/am/`, matchers: ['severity=~"critical|page"', 'team="sre"'] });
    const url = new URL(server.requests[0]?.url ?? '', server.url);
    expect(url.pathname).toBe('/am/api/v2/alerts');
    expect(url.searchParams.get('active')).toBe('true');
    expect(url.searchParams.get('silenced')).toBe('false');
    expect(url.searchParams.get('inhibited')).toBe('false');
    expect(url.searchParams.getAll('filter')).toEqual(['severity=~"critical|page"', 'team="sre"']);
  });

  it('checks the matchers itself when the server ignores the filter', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 200, [alert({ alertname: 'Noise', severity: 'info' }), alert({ alertname: 'Real', severity: 'page' })]),
    );
    const result = await checkOne({ kind: 'alertmanager', url: server.url, matchers: ['severity=~"critical|page"'] });
    expect(result).toMatchObject({ healthy: false, reason: '1 alert firing: Real{severity=page}' });
  });

  it('ignores suppressed alerts but counts unprocessed ones', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 200, [alert({ alertname: 'Muted' }, 'suppressed'), alert({ alertname: 'JustIn' }, 'unprocessed')]),
    );
    const result = await checkOne({ kind: 'alertmanager', url: server.url });
    expect(result).toMatchObject({ healthy: false, reason: '1 alert firing: JustIn' });
  });

  it('lists at most three alerts and counts the rest', async () => {
    const names = ['A', 'B', 'C', 'D', 'E'];
    const server = await serve((_req, res) =>
      sendJson(
        res,
        200,
        names.map((n) => alert({ alertname: n })),
      ),
    );
    const result = await checkOne({ kind: 'alertmanager', url: server.url });
    expect(result.reason).toBe('5 alerts firing: A, B, C and 2 more');
  });

  it.each([
    ['not JSON', '<html>proxy login</html>'],
    ['not a list', { data: [] }],
    ['alerts without labels', [{ status: { state: 'active' } }]],
  ])('is unhealthy when the answer is %s', async (_what, body) => {
    const server = await serve((_req, res) => sendJson(res, 200, body));
    const result = await checkOne({ kind: 'alertmanager', url: server.url });
    expect(result).toMatchObject({
      healthy: false,
      reason: 'unreadable answer from Alertmanager (not a v2 alert list)',
    });
  });

  it('is unhealthy, without asking, when a matcher is invalid (config validation bypassed)', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, []));
    const config = { kind: 'alertmanager' as const, url: server.url, matchers: ['severity=="x"'], timeout: 2_000 };
    const report = await gateOf([alertmanagerProvider(config, 'am')], {
      clock: fixedClock,
      logger: silentLogger,
      gateTimeoutMs: 5_000,
    }).check();
    expect(report.results[0]).toMatchObject({
      healthy: false,
      reason: expect.stringContaining('invalid matcher \'severity=="x"\''),
    });
    expect(server.requests).toHaveLength(0);
  });

  it('is unhealthy on a server error', async () => {
    const server = await serve((_req, res) => sendJson(res, 503, 'unavailable'));
    expect(await checkOne({ kind: 'alertmanager', url: server.url })).toMatchObject({
      healthy: false,
      reason: 'Alertmanager answered HTTP 503',
    });
  });

  it('sends a bearer token from the environment and keeps it out of the reason', async () => {
    const token = 'am-token-123456';
    const server = await serve((req, res) =>
      req.headers.authorization === `Bearer ${token}` ? sendJson(res, 200, []) : sendJson(res, 401, 'no'),
    );
    const raw = { kind: 'alertmanager', url: server.url, tokenEnv: 'AM_TOKEN' };
    expect(await checkOne(raw, { env: { AM_TOKEN: token } })).toMatchObject({ healthy: true });
    const missing = await checkOne(raw, { env: {} });
    expect(missing).toMatchObject({ healthy: false, reason: 'no token: set the environment variable AM_TOKEN' });
  });
});
