import { appendFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSshExecutor } from '../../../src/adapters/ssh/index.js';
import { START_CANCELLED } from '../../../src/ports/executor.js';
import { tempDir } from '../../support/cleanup.js';
import { type HangingProxy, hangingProxy } from '../../support/hanging-proxy.js';
import { canRunSshd, type SshdFixture, startSshd } from '../../support/sshd.js';
import { hostFor, jobFor, newId, quietLogger, realClock, settingsFor, traceAttack } from './helpers.js';

/**
 * Issue 22 case 6, the executor's part: a stop while a start is still connecting (the host hangs in
 * the SSH handshake) settles that start at once as cancelled, not when the connect times out.
 */
describe.skipIf(!canRunSshd())('the start of an attack on a hung host', () => {
  let fixture: SshdFixture;
  let proxy: HangingProxy;
  let knownHosts: string;

  beforeAll(async () => {
    fixture = await startSshd(1);
    const host = fixture.hosts[0];
    if (!host) throw new Error('no sshd');
    proxy = await hangingProxy(host.port);
    knownHosts = join(tempDir('start-cancel-'), 'known_hosts');
    copyFileSync(fixture.knownHosts, knownHosts);
    appendFileSync(knownHosts, `[127.0.0.1]:${proxy.port} ${host.hostKey}\n`);
  }, 60_000);
  afterAll(async () => {
    proxy?.release();
    await proxy?.close();
    await fixture?.stop();
  });

  it('a stop during the handshake settles it as cancelled, not when the connect times out', async () => {
    // A connect timeout far beyond the test: only the stop can settle the start in time.
    const executor = createSshExecutor({
      settings: settingsFor(fixture, { knownHosts, connectTimeout: 20_000 }),
      logger: quietLogger,
      clock: realClock,
    });
    try {
      proxy.hang();
      const id = newId();
      const stop = new AbortController();
      const starting = executor.start(
        jobFor(id, traceAttack(fixture.workDir), hostFor(fixture, 0, { port: proxy.port }), 2_000),
        stop.signal,
      );
      const settled = starting.then(
        () => 'started',
        (error: { code?: string }) => error.code,
      );
      stop.abort();
      expect(await settled).toBe(START_CANCELLED);
      // The handshake may now go on: the connection is closed unused (no command was sent).
      proxy.release();
    } finally {
      await executor.close();
    }
  }, 90_000);
});
