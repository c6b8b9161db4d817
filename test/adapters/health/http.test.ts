import { afterEach, describe, expect, it } from 'vitest';
import { freePort, type Handler, type LocalServer, sendJson, startServer } from '../../support/http-servers.js';
import { checkOne } from './gate-helpers.js';

const servers: LocalServer[] = [];
async function serve(handler: Handler): Promise<LocalServer> {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('http health provider', () => {
  it('is healthy on HTTP 200 and names itself http:host/path', async () => {
    const server = await serve((_req, res) => res.end('ok'));
    const result = await checkOne({ kind: 'http', url: `${server.url}/healthz` });
    expect(result).toMatchObject({ kind: 'http', healthy: true, reason: 'HTTP 200' });
    expect(result.name).toBe(`http:${new URL(server.url).host}/healthz`);
    expect(server.requests[0]?.method).toBe('GET');
  });

  it('is unhealthy on HTTP 500, saying which status it expected', async () => {
    const server = await serve((_req, res) => {
      res.statusCode = 500;
      res.end('boom');
    });
    const result = await checkOne({ kind: 'http', url: server.url });
    expect(result).toMatchObject({ healthy: false, reason: 'HTTP 500 (expected 200)' });
  });

  it('honours a configured expectStatus', async () => {
    const server = await serve((_req, res) => {
      res.statusCode = 204;
      res.end();
    });
    expect(await checkOne({ kind: 'http', url: server.url, expectStatus: 204 })).toMatchObject({ healthy: true });
    expect(await checkOne({ kind: 'http', url: server.url })).toMatchObject({
      healthy: false,
      reason: 'HTTP 204 (expected 200)',
    });
  });

  it('is unhealthy when the endpoint is too slow, and says after how long', async () => {
    const server = await serve(() => {
      // Never answers.
    });
    const result = await checkOne({ kind: 'http', url: server.url, timeout: '300ms' });
    expect(result).toMatchObject({ healthy: false, reason: 'timed out after 300 ms' });
  });

  it('is unhealthy when the connection is refused', async () => {
    const port = await freePort();
    const result = await checkOne({ kind: 'http', url: `http://127.0.0.1:${port}/healthz` });
    expect(result.healthy).toBe(false);
    expect(result.reason).toBe(`connection refused (127.0.0.1:${port})`);
  });

  it('is unhealthy when the server hangs up mid-answer', async () => {
    const server = await serve((req) => req.socket.destroy());
    const result = await checkOne({ kind: 'http', url: server.url });
    expect(result.healthy).toBe(false);
    expect(result.reason).toMatch(/connection|request failed/);
  });

  describe('with a JSON path', () => {
    const body = { status: 'ok', checks: { db: { state: 'up', replicas: 3, primary: true } }, items: [{ s: 'a' }] };

    it.each([
      ['status', 'ok'],
      ['checks.db.state', 'up'],
      ['checks.db.replicas', 3],
      ['checks.db.replicas', '3'],
      ['checks.db.primary', true],
      ['checks.db.primary', 'true'],
      ['items.0.s', 'a'],
    ])('is healthy when %s equals %j (compared as strings)', async (jsonPath, expectValue) => {
      const server = await serve((_req, res) => sendJson(res, 200, body));
      const result = await checkOne({ kind: 'http', url: server.url, jsonPath, expectValue });
      expect(result.healthy).toBe(true);
    });

    it('is unhealthy when the value differs, showing both', async () => {
      const server = await serve((_req, res) => sendJson(res, 200, { checks: { db: { state: 'down' } } }));
      const result = await checkOne({ kind: 'http', url: server.url, jsonPath: 'checks.db.state', expectValue: 'up' });
      expect(result).toMatchObject({ healthy: false, reason: 'checks.db.state = "down" (expected "up")' });
    });

    it('is unhealthy when the path does not exist', async () => {
      const server = await serve((_req, res) => sendJson(res, 200, body));
      const result = await checkOne({ kind: 'http', url: server.url, jsonPath: 'checks.cache.state', expectValue: 'up' });
      expect(result).toMatchObject({ healthy: false, reason: 'no value at checks.cache.state' });
    });

    it('is unhealthy when the answer is not JSON', async () => {
      const server = await serve((_req, res) => sendJson(res, 200, '{"status": "ok",'));
      const result = await checkOne({ kind: 'http', url: server.url, jsonPath: 'status', expectValue: 'ok' });
      expect(result).toMatchObject({ healthy: false, reason: 'HTTP 200 but the answer is not JSON' });
    });

    it('reports the status, not the body, when the status is wrong', async () => {
      const server = await serve((_req, res) => sendJson(res, 503, { status: 'ok' }));
      const result = await checkOne({ kind: 'http', url: server.url, jsonPath: 'status', expectValue: 'ok' });
      expect(result).toMatchObject({ healthy: false, reason: 'HTTP 503 (expected 200)' });
    });
  });

  describe('with a token', () => {
    const token = 's3cret-token-value';

    it('sends it as a bearer token with the configured headers', async () => {
      const server = await serve((req, res) => {
        res.statusCode = req.headers.authorization === `Bearer ${token}` && req.headers['x-team'] === 'sre' ? 200 : 401;
        res.end();
      });
      const result = await checkOne(
        { kind: 'http', url: server.url, tokenEnv: 'HEALTH_TOKEN', headers: { 'X-Team': 'sre' } },
        { env: { HEALTH_TOKEN: token } },
      );
      expect(result.healthy).toBe(true);
    });

    it('is unhealthy without calling out when the variable is not set, naming the variable', async () => {
      const server = await serve((_req, res) => res.end());
      const result = await checkOne({ kind: 'http', url: server.url, tokenEnv: 'HEALTH_TOKEN' }, { env: {} });
      expect(result).toMatchObject({ healthy: false, reason: 'no token: set the environment variable HEALTH_TOKEN' });
      expect(server.requests).toHaveLength(0);
    });
  });
});
