import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LocalServer, sendJson, startServer } from '../../support/http-servers.js';
import { capturingLogger, checkOne } from './gate-helpers.js';

const TOKEN = 'u+PdT0kenXyZ-1234567';

interface Incident {
  id: string;
  incident_number: number;
  title: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  service: { id: string };
}

/**
 * A stand-in of PagerDuty's GET /incidents: checks the token and the API version header, filters by
 * statuses[] and service_ids[] the way the real API does, and answers 401 on a wrong token.
 */
let incidents: Incident[] = [];
let server: LocalServer;
beforeEach(async () => {
  incidents = [];
  server = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/incidents') return sendJson(res, 404, { error: { message: 'Not Found' } });
    if (req.headers.authorization !== `Token token=${TOKEN}`) return sendJson(res, 401, { error: { code: 2006 } });
    if (req.headers.accept !== 'application/vnd.pagerduty+json;version=2') return sendJson(res, 406, {});
    const statuses = url.searchParams.getAll('statuses[]');
    const services = url.searchParams.getAll('service_ids[]');
    const found = incidents.filter((i) => statuses.includes(i.status) && services.includes(i.service.id));
    sendJson(res, 200, { incidents: found, limit: 25, offset: 0, more: false, total: found.length });
  });
});
afterEach(async () => {
  await server.close();
});

const provider = () => ({ kind: 'pagerduty', url: server.url, tokenEnv: 'PAGERDUTY_TOKEN', serviceIds: ['PSVC1', 'PSVC2'] });
const env = { PAGERDUTY_TOKEN: TOKEN };

describe('pagerduty health provider', () => {
  it('asks for triggered and acknowledged incidents of the listed services', async () => {
    await checkOne(provider(), { env });
    const url = new URL(server.requests[0]?.url ?? '', server.url);
    expect(url.searchParams.getAll('statuses[]')).toEqual(['triggered', 'acknowledged']);
    expect(url.searchParams.getAll('service_ids[]')).toEqual(['PSVC1', 'PSVC2']);
  });

  it('is healthy when no incident is open', async () => {
    incidents.push({ id: 'Q1', incident_number: 7, title: 'Old', status: 'resolved', service: { id: 'PSVC1' } });
    incidents.push({ id: 'Q2', incident_number: 8, title: 'Elsewhere', status: 'triggered', service: { id: 'POTHER' } });
    expect(await checkOne(provider(), { env })).toMatchObject({
      name: 'pagerduty',
      kind: 'pagerduty',
      healthy: true,
      reason: 'no open incidents',
    });
  });

  it('is unhealthy while an incident is triggered or acknowledged, naming them', async () => {
    incidents.push({ id: 'Q3', incident_number: 1234, title: 'Database down', status: 'triggered', service: { id: 'PSVC1' } });
    incidents.push({ id: 'Q4', incident_number: 1235, title: 'Latency high', status: 'acknowledged', service: { id: 'PSVC2' } });
    expect(await checkOne(provider(), { env })).toMatchObject({
      healthy: false,
      reason: '2 open incidents: #1234 Database down (triggered), #1235 Latency high (acknowledged)',
    });
  });

  it('is unhealthy, naming the variable, when the token variable is not set — and calls nobody', async () => {
    const result = await checkOne(provider(), { env: {} });
    expect(result).toMatchObject({ healthy: false, reason: 'no token: set the environment variable PAGERDUTY_TOKEN' });
    expect(server.requests).toHaveLength(0);
  });

  it('is unhealthy when PagerDuty refuses the token, and never shows or logs the token', async () => {
    const wrong = 'wrong-token-abcdef';
    const { logger, lines } = capturingLogger();
    const result = await checkOne(provider(), { env: { PAGERDUTY_TOKEN: wrong }, logger });
    expect(result).toMatchObject({
      healthy: false,
      reason: 'PagerDuty refused the token in PAGERDUTY_TOKEN (HTTP 401)',
    });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('')).not.toContain(wrong);
    expect(result.reason).not.toContain(wrong);
  });

  it('is unhealthy on an answer without an incident list', async () => {
    await server.close();
    server = await startServer((_req, res) => sendJson(res, 200, { error: 'maintenance' }));
    expect(await checkOne(provider(), { env })).toMatchObject({
      healthy: false,
      reason: 'unreadable answer from PagerDuty (no incident list)',
    });
  });
});
