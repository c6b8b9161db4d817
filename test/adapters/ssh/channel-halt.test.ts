import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSshExecutor } from '../../../src/adapters/ssh/index.js';
import type { Executor } from '../../../src/ports/executor.js';
import { deferCleanup } from '../../support/cleanup.js';
import { eventually } from '../../support/eventually.js';
import { canRunSshd, type SshdFixture, startSshd } from '../../support/sshd.js';
import {
  attackProcesses,
  hostFor,
  jobFor,
  newId,
  ON_HOST,
  quietLogger,
  realClock,
  settingsFor,
  TcpProxy,
  traceAttack,
} from './helpers.js';

const rollbackRuns = (dir: string, id: string): number =>
  existsSync(`${dir}/rollback.${id}`) ? readFileSync(`${dir}/rollback.${id}`, 'utf8').trim().split('\n').length : 0;

/**
 * The trace attack whose rollback also notes who stopped it, read from the attack's directory before
 * anyone removes it: `halted` (the halt line came over the attack's own channel) and `halt` (a halt
 * session on a second channel or a new connection is at work).
 */
function witnessedAttack(dir: string) {
  const plain = traceAttack(dir);
  return traceAttack(dir, {
    rollback: `D=/tmp/chaoscat-$CHAOSCAT_ATTACK_ID
[ -e "$D/halted" ] && touch "$CHAOSCAT_PARAM_DIR/by-channel.$CHAOSCAT_ATTACK_ID"
[ -e "$D/halt" ] && touch "$CHAOSCAT_PARAM_DIR/by-session.$CHAOSCAT_ATTACK_ID"
${plain.rollback}`,
  });
}

describe.skipIf(!canRunSshd() && !process.env.CI)('a stop over the attack’s own channel, against a real sshd', () => {
  let fixture: SshdFixture;
  let executor: Executor;

  beforeAll(async () => {
    fixture = await startSshd(1);
    executor = createSshExecutor({ settings: settingsFor(fixture), logger: quietLogger, clock: realClock });
  });

  afterAll(async () => {
    await executor?.close();
    await fixture?.stop();
  });

  it('kills the attack’s group and runs its rollback in the wrapper, with no halt session', async () => {
    const id = newId();
    const running = await executor.start(jobFor(id, witnessedAttack(fixture.workDir), hostFor(fixture, 0), 60_000));
    await eventually(() => existsSync(`${fixture.workDir}/started.${id}`), 'the attack to start', ON_HOST);
    expect(attackProcesses(id, running.remotePgid).length).toBeGreaterThan(0);
    const result = await running.abort('stop from test');
    expect(result).toMatchObject({ outcome: 'reverted', found: { kind: 'gone', host: 'host-0' } });
    // Gone and rolled back the moment abort answers.
    expect(attackProcesses(id, running.remotePgid)).toEqual([]);
    expect(rollbackRuns(fixture.workDir, id)).toBe(1);
    expect(existsSync(`${fixture.workDir}/by-channel.${id}`)).toBe(true);
    expect(existsSync(`${fixture.workDir}/by-session.${id}`)).toBe(false);
    const done = await running.done;
    expect(done.outcome).toBe('reverted');
    expect(done.outputTail).toContain('rollback done');
    await eventually(() => !existsSync(`/tmp/chaoscat-${id}`), 'the wrapper to remove its directory', ON_HOST);
  });

  it('the start after a passed pre-flight goes out on the pre-flight’s connection', async () => {
    const proxy = await TcpProxy.start(fixture.hosts[0]?.port ?? 0);
    deferCleanup(() => proxy.close());
    const known = `${fixture.dir}/known_hosts_share_${proxy.port}`;
    writeFileSync(known, `[127.0.0.1]:${proxy.port} ${fixture.hosts[0]?.hostKey}\n`);
    const viaProxy = createSshExecutor({
      settings: settingsFor(fixture, { knownHosts: known }),
      logger: quietLogger,
      clock: realClock,
    });
    deferCleanup(() => viaProxy.close());
    const id = newId();
    const job = jobFor(id, traceAttack(fixture.workDir), hostFor(fixture, 0, { port: proxy.port }), 60_000);
    expect(await viaProxy.preflight(job)).toEqual({ ok: true });
    const running = await viaProxy.start(job);
    expect(proxy.accepted).toBe(1);
    expect((await running.abort('test')).outcome).toBe('reverted');
    expect(proxy.accepted).toBe(1);
    await viaProxy.close();
  });

  it('a start cancelled after its pre-flight passed runs nothing on the host and says START_CANCELLED', async () => {
    const id = newId();
    const job = jobFor(id, traceAttack(fixture.workDir), hostFor(fixture, 0), 60_000);
    expect(await executor.preflight(job)).toEqual({ ok: true });
    const cancel = new AbortController();
    cancel.abort();
    await expect(executor.start(job, cancel.signal)).rejects.toMatchObject({ code: 'START_CANCELLED' });
    // The pre-flight's waiting shell ends with its connection; nothing of the attack ever existed.
    await eventually(() => attackProcesses(id).length === 0, 'no process of the attack', ON_HOST);
    expect(existsSync(`${fixture.workDir}/started.${id}`)).toBe(false);
    expect(existsSync(`/tmp/chaoscat-${id}`)).toBe(false);
  });

  it('a pre-flight whose start never comes leaves nothing running once the executor closes', async () => {
    const own = createSshExecutor({ settings: settingsFor(fixture), logger: quietLogger, clock: realClock });
    const id = newId();
    expect(await own.preflight(jobFor(id, traceAttack(fixture.workDir), hostFor(fixture, 0), 60_000))).toEqual({
      ok: true,
    });
    await own.close();
    await expect(own.start(jobFor(id, traceAttack(fixture.workDir), hostFor(fixture, 0), 60_000))).rejects.toMatchObject({
      code: 'SSH_CONNECT',
    });
    expect(existsSync(`/tmp/chaoscat-${id}`)).toBe(false);
  });

  it('a stop whose connection went dead falls back to a halt over a new connection, which kills and rolls back', async () => {
    const proxy = await TcpProxy.start(fixture.hosts[0]?.port ?? 0);
    deferCleanup(() => proxy.close());
    const known = `${fixture.dir}/known_hosts_dead_${proxy.port}`;
    writeFileSync(known, `[127.0.0.1]:${proxy.port} ${fixture.hosts[0]?.hostKey}\n`);
    // Keepalives every 300 ms: a link that stops answering is given up after about a second.
    const viaProxy = createSshExecutor({
      settings: settingsFor(fixture, { knownHosts: known, keepaliveInterval: 300, connectTimeout: 5_000 }),
      logger: quietLogger,
      clock: realClock,
    });
    deferCleanup(() => viaProxy.close());
    const id = newId();
    const running = await viaProxy.start(
      jobFor(id, witnessedAttack(fixture.workDir), hostFor(fixture, 0, { port: proxy.port }), 60_000),
    );
    await eventually(() => existsSync(`${fixture.workDir}/started.${id}`), 'the attack to start', ON_HOST);
    // The halt line goes nowhere, and the host keeps its side open: the wrapper never hears of the stop.
    proxy.freeze({ holdHostSide: true });
    const result = await running.abort('stop over a dead link');
    expect(result).toMatchObject({ outcome: 'reverted' });
    expect(proxy.accepted).toBe(2);
    expect(attackProcesses(id, running.remotePgid)).toEqual([]);
    expect(rollbackRuns(fixture.workDir, id)).toBeGreaterThanOrEqual(1);
    expect(existsSync(`${fixture.workDir}/by-channel.${id}`)).toBe(false);
    expect(existsSync(`${fixture.workDir}/by-session.${id}`)).toBe(true);
    expect((await running.done).outcome).toBe('reverted');
    await viaProxy.close();
    await proxy.close();
  });
});
