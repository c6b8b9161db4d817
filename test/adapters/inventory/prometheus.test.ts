import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPart, prometheusSource } from '../../../src/adapters/inventory/prometheus.js';
import { InventoryDirectory } from '../../../src/app/teams/inventory.js';
import { plainText } from '../../../src/words/tokens.js';
import { harness, say } from '../../support/bot-harness.js';
import { silentLogger } from '../../support/fakes.js';
import { startServer } from '../../support/http-servers.js';
import { prometheusAvailable, type RealPrometheus, startPrometheus } from '../../support/prometheus.js';

const source = (url: string, extra: Record<string, unknown> = {}) =>
  prometheusSource({
    url,
    selector: 'up{job=~"node|nginx"} == 1',
    addressLabel: 'instance',
    nameLabel: 'nodename',
    tagLabels: ['job', 'team'],
    port: 22,
    refreshMs: 60_000,
    timeoutMs: 5_000,
    ...extra,
  });

describe('hostPart', () => {
  it.each([
    ['10.0.0.1:9100', '10.0.0.1'],
    ['web-1.example.com:9100', 'web-1.example.com'],
    ['[2001:db8::1]:9100', '2001:db8::1'],
    ['2001:db8::1', '2001:db8::1'],
    ['db-1', 'db-1'],
  ])('takes the host of %s', (instance, host) => {
    expect(hostPart(instance)).toBe(host);
  });
});

describe('Prometheus targets as hosts, from a real Prometheus', () => {
  let prom: RealPrometheus;

  beforeAll(async () => {
    if (!prometheusAvailable()) throw new Error('these tests need /usr/bin/prometheus (Debian package prometheus)');
    prom = await startPrometheus([
      { job: 'node', labels: { nodename: 'web-1', team: 'payments' } },
      { job: 'nginx', labels: { nodename: 'web-2', team: 'search' } },
      { job: 'other', labels: { nodename: 'not-selected' } },
    ]);
    await prom.waitFor('up == 1', (s) => s.length === 3, 'all three targets up');
  }, 120_000);

  afterAll(async () => {
    await prom?.stop();
  });

  it("the selector's series become hosts: address from instance (port dropped), name and tags from labels", async () => {
    const answer = await source(prom.url).list(AbortSignal.timeout(10_000));
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    const hosts = [...answer.hosts].sort((a, b) => a.name.localeCompare(b.name));
    expect(hosts).toEqual([
      { name: 'web-1', address: '127.0.0.1', port: 22, tags: ['node', 'payments'], vars: {}, source: `prometheus:${prom.url}` },
      { name: 'web-2', address: '127.0.0.1', port: 22, tags: ['nginx', 'search'], vars: {}, source: `prometheus:${prom.url}` },
    ]);
  });

  it('a malformed selector is a failure with the query error, not an empty list', async () => {
    const answer = await source(prom.url, { selector: 'up{' }).list(AbortSignal.timeout(10_000));
    expect(answer).toMatchObject({ ok: false, reason: expect.stringMatching(/^query failed: /) });
  });

  it('without its token (tokenEnv unset) the source fails and says which variable to set', async () => {
    const answer = await source(prom.url, { tokenEnv: 'CHAOSCAT_TEST_PROM_TOKEN' }).list(AbortSignal.timeout(10_000));
    expect(answer).toEqual({ ok: false, reason: 'no token: set the environment variable CHAOSCAT_TEST_PROM_TOKEN' });
  });

  // Last: it stops an exporter, then Prometheus itself.
  it('an exporter stopped leaves after a refresh; Prometheus stopped keeps the last good list and status says since when', async () => {
    const h = harness({ hosts: [], inventory: [] }, [{ name: 'cpu-burn', weight: 1, targets: ['node', 'nginx'] }], {
      hosts: (clock, timers) =>
        new InventoryDirectory({ statics: [], sources: [source(prom.url)], clock, timers, logger: silentLogger }),
    });
    const directory = h.bot.context.hosts as InventoryDirectory;
    await directory.refreshAll();
    expect(
      directory
        .all()
        .map((x) => x.name)
        .sort(),
    ).toEqual(['web-1', 'web-2']);

    await prom.exporters[1]?.close();
    await prom.waitFor('up{job="nginx"} == 0', (s) => s.length === 1, 'the nginx target down');
    await directory.refreshAll();
    expect(directory.all().map((x) => x.name)).toEqual(['web-1']);
    const goodAt = h.clock.now();

    await prom.stop();
    h.clock.advance(5 * 60_000);
    await directory.refreshAll();
    expect(directory.all().map((x) => x.name)).toEqual(['web-1']);
    const [status] = directory.sources();
    expect(status).toMatchObject({ okAt: goodAt, failingSince: h.clock.now(), hosts: 1 });
    expect(status?.error).toMatch(/connection refused/);

    const reply = await say(h, 'status');
    expect(plainText(reply.text)).toContain(
      `prometheus:${prom.url}: FAILING since 2026-11-24 12:05 PST (connection refused (${prom.url.replace('http://', '')})); keeping its last good list of 1 host from 2026-11-24 12:00 PST`,
    );
    // The scheduler still attacks what the last good list holds.
    const outcome = await h.bot.tick();
    expect(outcome).toMatchObject({ kind: 'attacked', host: 'web-1' });
    h.close();
  });
});

describe('Prometheus source answers that are not a target list', () => {
  it('sends the token as a bearer token, as the health provider does', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
    });
    const answer = await source(server.url, { tokenEnv: 'PROM_TOKEN' }).list(AbortSignal.timeout(5_000));
    expect(answer).toMatchObject({ ok: false });
    const withToken = prometheusSource(
      {
        url: server.url,
        selector: 'up == 1',
        addressLabel: 'instance',
        tagLabels: [],
        port: 22,
        tokenEnv: 'PROM_TOKEN',
        refreshMs: 60_000,
        timeoutMs: 5_000,
      },
      { PROM_TOKEN: 's3cret-token' },
    );
    expect(await withToken.list(AbortSignal.timeout(5_000))).toEqual({ ok: true, hosts: [], notes: [] });
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer s3cret-token');
  });

  it.each([
    ['HTTP 500 with no JSON', 500, 'oops', /^Prometheus answered HTTP 500$/],
    [
      'a matrix instead of a vector',
      200,
      JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }),
      /unreadable answer/,
    ],
    ['not JSON', 200, '<html>', /unreadable answer/],
  ])('%s is a failure, never an empty list', async (_what, status, body, reason) => {
    const server = await startServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    });
    const answer = await source(server.url).list(AbortSignal.timeout(5_000));
    expect(answer).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('a host whose label is not a plain name, or address not an address, is skipped with the reason', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          status: 'success',
          data: {
            resultType: 'vector',
            result: [
              { metric: { instance: '10.0.0.1:9100', nodename: 'ok-1', team: 'Payments Team' }, value: [1, '1'] },
              { metric: { instance: '$(reboot):9100', nodename: 'evil' }, value: [1, '1'] },
              { metric: { instance: '10.0.0.3:9100', nodename: 'a b' }, value: [1, '1'] },
              { metric: { nodename: 'no-instance' }, value: [1, '1'] },
            ],
          },
        }),
      );
    });
    const answer = await source(server.url).list(AbortSignal.timeout(5_000));
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    expect(answer.hosts.map((x) => [x.name, x.address, x.tags])).toEqual([['ok-1', '10.0.0.1', []]]);
    expect(answer.notes).toEqual([
      'host ok-1: tag "Payments Team" left out (not a plain name)',
      'host evil: address "$(reboot)" is not a host name or IP address; skipped',
      'host "a b": the name is not plain (letters, digits, ".", "_", "-"; at most 63); skipped',
      'a series without the label instance skipped',
    ]);
  });
});
