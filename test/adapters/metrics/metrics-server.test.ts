import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/adapters/metrics/metrics.js';
import type { MetricsServer } from '../../../src/adapters/metrics/metrics-server.js';
import { SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import { type Readiness, readiness } from '../../../src/domain/readiness.js';
import type { Hearing } from '../../../src/ports/chat.js';
import { FixedClock, silentLogger } from '../../support/fakes.js';
import { MIGRATIONS, testConfig } from '../../support/test-config.js';

let store: SqliteStore;
let server: MetricsServer;
let hearing: Hearing;
let shuttingDown: boolean;

const get = (path: string, method = 'GET') => fetch(`http://127.0.0.1:${server.port}${path}`, { method });

beforeEach(async () => {
  const config = testConfig();
  store = new SqliteStore({ file: config.database, migrationsDir: MIGRATIONS });
  hearing = { ok: true };
  shuttingDown = false;
  const probes = {
    hearing: () => hearing,
    readiness: (): Readiness => readiness({ store: { ok: true }, hearing, shuttingDown }),
  };
  const metrics = createMetrics({ store, clock: new FixedClock(0), config, logger: silentLogger, probes });
  server = await metrics.start(0, '127.0.0.1');
});

afterEach(async () => {
  await server.close();
  store.close();
});

describe('probes on the metrics port', () => {
  it('/healthz answers 200 while the process runs, whatever readiness says', async () => {
    hearing = { ok: false, reason: 'Slack Socket Mode is reconnecting' };
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok\n');
  });

  it('/readyz answers 200 when ready and 503 with the reasons when not, following each change', async () => {
    let res = await get('/readyz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ready: true });

    hearing = { ok: false, reason: 'Slack Socket Mode is reconnecting' };
    res = await get('/readyz');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ ready: false, reasons: ['cannot hear stop: Slack Socket Mode is reconnecting'] });

    hearing = { ok: true };
    expect((await get('/readyz')).status).toBe(200);

    shuttingDown = true;
    res = await get('/readyz?verbose');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ready: false, reasons: ['shutting down'] });
  });

  it('answers HEAD with the status only and refuses other methods', async () => {
    hearing = { ok: false, reason: 'console input closed' };
    const head = await get('/readyz', 'HEAD');
    expect(head.status).toBe(503);
    expect(await head.text()).toBe('');
    expect((await get('/healthz', 'POST')).status).toBe(405);
  });

  it('chaoscat_hearing is 1 while stop can be heard and 0 while not', async () => {
    expect(await (await get('/metrics')).text()).toMatch(/^chaoscat_hearing 1$/m);
    hearing = { ok: false, reason: 'Slack Socket Mode is reconnecting' };
    expect(await (await get('/metrics')).text()).toMatch(/^chaoscat_hearing 0$/m);
  });

  it('names the probe paths on a 404', async () => {
    const res = await get('/health');
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/\/healthz and \/readyz/);
  });
});
