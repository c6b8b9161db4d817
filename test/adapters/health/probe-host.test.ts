import { afterEach, describe, expect, it } from 'vitest';
import { probeForHost } from '../../../src/adapters/health/probe-host.js';
import { createSteadyState } from '../../../src/adapters/health/steady-state.js';
import { loadConfig } from '../../../src/config/load.js';
import type { HostDef } from '../../../src/domain/model.js';
import { FixedClock, silentLogger } from '../../support/fakes.js';
import { type LocalServer, startServer } from '../../support/http-servers.js';
import { writeTestConfig } from '../../support/test-config.js';

const HOSTILE: HostDef = { name: 'web"1&x=y', address: '10.0.0.5\\', port: 22, tags: [], vars: {} };

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('probes know their host', () => {
  it('escape the host for where it stands: URL-encoded, a quoted PromQL or matcher string, a whole argument', () => {
    const http = probeForHost(
      { kind: 'http', name: 'h', timeout: 2_000, url: 'http://svc/health?host={{host}}', expectStatus: 200, headers: {} },
      HOSTILE,
    );
    expect(http.kind === 'http' && http.url).toBe('http://svc/health?host=web%221%26x%3Dy');
    const prom = probeForHost(
      {
        kind: 'prometheus',
        name: 'p',
        timeout: 2_000,
        url: 'http://prom:9090',
        query: 'up{instance="{{address}}:9100", host="{{host}}"} == 0',
      },
      HOSTILE,
    );
    expect(prom.kind === 'prometheus' && prom.query).toBe('up{instance="10.0.0.5\\\\:9100", host="web\\"1&x=y"} == 0');
    const am = probeForHost(
      { kind: 'alertmanager', name: 'a', timeout: 2_000, url: 'http://am:9093', matchers: ['host="{{host}}"'] },
      HOSTILE,
    );
    expect(am.kind === 'alertmanager' && am.matchers).toEqual(['host="web\\"1&x=y"']);
    const cmd = probeForHost(
      { kind: 'command', name: 'c', timeout: 2_000, command: ['check-host', '--host={{host}}', '{{address}}'] },
      HOSTILE,
    );
    expect(cmd.kind === 'command' && cmd.command).toEqual(['check-host', '--host=web"1&x=y', '10.0.0.5\\']);
  });

  it("a probe URL that names the attacked host asks about that host, and the others' probes stay shared", async () => {
    const asked: string[] = [];
    server = await startServer((req, res) => {
      asked.push(new URL(req.url ?? '/', 'http://x').searchParams.get('host') ?? '');
      res.writeHead(200).end('ok');
    });
    const { file } = writeTestConfig({}, [
      {
        name: 'cpu-burn',
        weight: 1,
        targets: ['web'],
        steadyState: [{ kind: 'http', name: 'svc', url: `${server.url}/health?host={{host}}` }],
      },
      { name: 'process-kill', weight: 1, targets: ['web'] },
    ]);
    const config = loadConfig(file);
    const steady = createSteadyState({ config, clock: new FixedClock(0), logger: silentLogger });
    const attack = config.attacks.find((a) => a.name === 'cpu-burn');
    const [web1, web2] = config.hosts;
    if (!attack || !web1 || !web2) throw new Error('test config changed');
    const report1 = await steady.probesFor(attack, web1)?.check();
    const report2 = await steady.probesFor(attack, web2)?.check();
    expect(report1?.healthy && report2?.healthy).toBe(true);
    expect(asked).toEqual(['web-1', 'web-2']);
    // An attack without host placeholders keeps one gate whatever the host.
    const other = config.attacks.find((a) => a.name === 'process-kill');
    if (!other) throw new Error('test config changed');
    expect(steady.probesFor(other, web1)).toBe(steady.probesFor(other, web2));
  });
});
