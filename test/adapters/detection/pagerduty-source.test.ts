import { afterEach, describe, expect, it } from 'vitest';
import { detectionSources } from '../../../src/adapters/detection/sources.js';
import type { HostDef } from '../../../src/domain/model.js';
import { type LocalServer, startServer } from '../../support/http-servers.js';

const HOST: HostDef = { name: 'web-1', address: '10.0.0.5', port: 22, tags: [], vars: {} };
const T0 = Date.parse('2026-11-24T20:00:00Z');

/**
 * A stand-in of PagerDuty's REST API `GET /incidents`: it checks the token and answers the incidents
 * of the asked services opened in [since, until], as PagerDuty filters them.
 */
function pagerduty(incidents: { service: string; created_at: string; incident_number: number; title: string }[]) {
  return startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://pd');
    if (req.headers.authorization !== 'Token token=pd-token') {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"Unauthorized"}}');
      return;
    }
    const since = Date.parse(url.searchParams.get('since') ?? '');
    const until = Date.parse(url.searchParams.get('until') ?? '');
    const services = url.searchParams.getAll('service_ids[]');
    const found = incidents.filter(
      (i) => services.includes(i.service) && Date.parse(i.created_at) >= since && Date.parse(i.created_at) <= until,
    );
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ incidents: found, more: false }));
  });
}

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const source = (url: string, env: NodeJS.ProcessEnv = { PD_TOKEN: 'pd-token' }) =>
  detectionSources([{ kind: 'pagerduty', name: 'pd', url, serviceIds: ['PSVC1'], tokenEnv: 'PD_TOKEN', timeout: 2_000 }], env)[0];

describe('PagerDuty as a detection source (its REST API, stood in)', () => {
  it('counts an incident on the services opened in the window, and only those', async () => {
    server = await pagerduty([
      { service: 'PSVC1', created_at: new Date(T0 - 60_000).toISOString(), incident_number: 1, title: 'before the attack' },
      { service: 'PSVC2', created_at: new Date(T0 + 5_000).toISOString(), incident_number: 2, title: 'another service' },
      { service: 'PSVC1', created_at: new Date(T0 + 30_000).toISOString(), incident_number: 3, title: 'Checkout errors' },
    ]);
    expect(await source(server.url)?.poll(HOST, T0, T0 + 60_000)).toEqual({
      kind: 'seen',
      at: T0 + 30_000,
      alert: '#3 Checkout errors',
    });
    expect(await source(server.url)?.poll(HOST, T0, T0 + 20_000)).toEqual({ kind: 'none' });
  });

  it('a refused token or a missing one is unread, never "none"', async () => {
    server = await pagerduty([]);
    expect(await source(server.url, { PD_TOKEN: 'wrong' })?.poll(HOST, T0, T0 + 1)).toEqual({
      kind: 'unread',
      why: 'PagerDuty answered HTTP 401',
    });
    expect((await source(server.url, {})?.poll(HOST, T0, T0 + 1))?.kind).toBe('unread');
  });
});
