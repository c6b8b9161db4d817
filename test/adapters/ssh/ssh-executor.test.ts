import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSshExecutor } from '../../../src/adapters/ssh/index.js';
import type { Executor } from '../../../src/ports/executor.js';
import { eventually } from '../../support/eventually.js';
import { canRunSshd, type SshdFixture, startSshd } from '../../support/sshd.js';
import {
  attackProcesses,
  hostFor,
  jobFor,
  newId,
  ON_HOST,
  orphanFor,
  quietLogger,
  realClock,
  settingsFor,
  TcpProxy,
  traceAttack,
} from './helpers.js';

const rollbackRuns = (dir: string, id: string): number =>
  existsSync(`${dir}/rollback.${id}`) ? readFileSync(`${dir}/rollback.${id}`, 'utf8').trim().split('\n').length : 0;

describe.skipIf(!canRunSshd() && !process.env.CI)('ssh executor against a real sshd', () => {
  let fixture: SshdFixture;
  let executor: Executor;

  beforeAll(async () => {
    fixture = await startSshd(2);
    executor = createSshExecutor({ settings: settingsFor(fixture), logger: quietLogger, clock: realClock });
  });

  afterAll(async () => {
    await executor?.close();
    await fixture?.stop();
  });

  it('runs an attack to its deadline, then runs its rollback and leaves nothing behind', async () => {
    const id = newId();
    const running = await executor.start(jobFor(id, traceAttack(fixture.workDir), hostFor(fixture, 0), 2_000));
    expect(running.remotePgid).toBeGreaterThan(1);
    expect(attackProcesses(id, running.remotePgid).length).toBeGreaterThan(0);
    const result = await running.done;
    expect(result).toMatchObject({ outcome: 'completed', rollbackOk: true, exitCode: 124, end: null });
    expect(result.outputTail).toContain(`started ${id}`);
    expect(result.outputTail).toContain('rollback done');
    expect(rollbackRuns(fixture.workDir, id)).toBe(1);
    expect(attackProcesses(id, running.remotePgid)).toEqual([]);
    await eventually(() => !existsSync(`/tmp/chaoscat-${id}`), 'the wrapper to remove its directory', ON_HOST);
  });

  it('an attack that ends early with success completes, and its exit code is recorded when it fails', async () => {
    const host = hostFor(fixture, 0);
    const ok = await executor.start(jobFor(newId(), traceAttack(fixture.workDir, { run: 'echo quick' }), host, 5_000));
    expect(await ok.done).toMatchObject({ outcome: 'completed', exitCode: 0 });
    const id = newId();
    const bad = await executor.start(jobFor(id, traceAttack(fixture.workDir, { run: 'echo broken >&2; exit 3' }), host, 5_000));
    const result = await bad.done;
    expect(result).toMatchObject({ outcome: 'failed', exitCode: 3, rollbackOk: true });
    expect(result.end).toEqual({ kind: 'exited', status: 3 });
    expect(result.outputTail).toContain('broken');
    expect(rollbackRuns(fixture.workDir, id)).toBe(1);
  });

  it('reports a failed rollback as a failed attack', async () => {
    const running = await executor.start(
      jobFor(
        newId(),
        traceAttack(fixture.workDir, { run: 'true', rollback: 'echo cannot undo >&2; exit 4' }),
        hostFor(fixture, 0),
      ),
    );
    const result = await running.done;
    expect(result).toMatchObject({ outcome: 'failed', rollbackOk: false });
    expect(result.end).toEqual({ kind: 'rollback-failed', exit: 4, survivors: false });
    expect(result.outputTail).toContain('cannot undo');
  });

  it('abort mid-attack kills every process of the attack, runs the rollback and says reverted', async () => {
    const id = newId();
    const running = await executor.start(jobFor(id, traceAttack(fixture.workDir), hostFor(fixture, 1), 5_000));
    await eventually(() => existsSync(`${fixture.workDir}/started.${id}`), 'the attack to start', ON_HOST);
    const result = await running.abort('stop from test');
    expect(result).toMatchObject({ outcome: 'reverted' });
    expect(result.tookMs).toBeGreaterThanOrEqual(0);
    // Gone the moment abort answers: no polling here.
    expect(attackProcesses(id, running.remotePgid)).toEqual([]);
    expect(rollbackRuns(fixture.workDir, id)).toBeGreaterThanOrEqual(1);
    const done = await running.done;
    expect(done.outcome).toBe('reverted');
    expect(done.end).toMatchObject({ kind: 'aborted', why: 'stop from test' });
    // Idempotent: a second stop answers the same.
    expect(await running.abort('again')).toEqual(result);
    await eventually(() => !existsSync(`/tmp/chaoscat-${id}`), 'the halt to remove the directory', ON_HOST);
  });

  it('an attack that ignores SIGTERM is killed on abort all the same', async () => {
    const id = newId();
    const stubborn = traceAttack(fixture.workDir, {
      run: `trap '' TERM; touch "$CHAOSCAT_PARAM_DIR/started.$CHAOSCAT_ATTACK_ID"; sh -c "trap '' TERM; while :; do sleep 1; done" & while :; do sleep 1; done`,
    });
    const running = await executor.start(jobFor(id, stubborn, hostFor(fixture, 0), 5_000));
    await eventually(() => existsSync(`${fixture.workDir}/started.${id}`), 'the attack to start', ON_HOST);
    expect((await running.abort('stop')).outcome).toBe('reverted');
    expect(attackProcesses(id, running.remotePgid)).toEqual([]);
  });

  it('aborts attacks on several hosts at once', async () => {
    const ids = [newId(), newId(), newId(), newId()];
    const runs = await Promise.all(
      ids.map((id, i) => executor.start(jobFor(id, traceAttack(fixture.workDir), hostFor(fixture, i % 2), 5_000))),
    );
    await eventually(() => ids.every((id) => existsSync(`${fixture.workDir}/started.${id}`)), 'all attacks to start', ON_HOST);
    const results = await Promise.all(runs.map((r) => r.abort('stop all')));
    expect(results.map((r) => r.outcome)).toEqual(['reverted', 'reverted', 'reverted', 'reverted']);
    ids.forEach((id, i) => {
      expect(attackProcesses(id, runs[i]?.remotePgid ?? null)).toEqual([]);
      expect(rollbackRuns(fixture.workDir, id)).toBeGreaterThanOrEqual(1);
    });
  });

  it('when the connection drops mid-attack, the wrapper kills the attack and rolls back by itself', async () => {
    const proxy = await TcpProxy.start(fixture.hosts[0]?.port ?? 0);
    try {
      const known = `${fixture.dir}/known_hosts_proxy_${proxy.port}`;
      const { writeFileSync } = await import('node:fs');
      writeFileSync(known, `[127.0.0.1]:${proxy.port} ${fixture.hosts[0]?.hostKey}\n`);
      const viaProxy = createSshExecutor({
        settings: settingsFor(fixture, { knownHosts: known, connectTimeout: 3_000 }),
        logger: quietLogger,
        clock: realClock,
      });
      const id = newId();
      // The rollback notes whether the wrapper's stdin watch fired (rather than the 5 s deadline), before
      // it writes the line the test waits for.
      const watched = traceAttack(fixture.workDir, {
        rollback: `if [ -e "/tmp/chaoscat-$CHAOSCAT_ATTACK_ID/dropped" ]; then touch "$CHAOSCAT_PARAM_DIR/dropped.$CHAOSCAT_ATTACK_ID"; fi
${traceAttack(fixture.workDir).rollback}`,
      });
      const running = await viaProxy.start(jobFor(id, watched, hostFor(fixture, 0, { port: proxy.port }), 5_000));
      await eventually(() => existsSync(`${fixture.workDir}/started.${id}`), 'the attack to start', ON_HOST);
      // The bot's socket is destroyed and the host cannot be reached again: only the wrapper can clean up.
      await proxy.cut();
      await eventually(() => attackProcesses(id, running.remotePgid).length === 0, 'the wrapper to kill the attack', ON_HOST);
      await eventually(() => rollbackRuns(fixture.workDir, id) === 1, 'the wrapper to roll back', ON_HOST);
      expect(existsSync(`${fixture.workDir}/dropped.${id}`)).toBe(true);
      const result = await running.done;
      expect(result.outcome).toBe('failed');
      expect(result.end).toMatchObject({ kind: 'lost', host: 'host-0' });
      await viaProxy.close();
    } finally {
      await proxy.close();
    }
  });

  it('recovers an orphan left running by a bot that died (pgid and marker), and runs its rollback', async () => {
    const proxy = await TcpProxy.start(fixture.hosts[1]?.port ?? 0);
    const { writeFileSync } = await import('node:fs');
    const known = `${fixture.dir}/known_hosts_proxy_${proxy.port}`;
    writeFileSync(known, `[127.0.0.1]:${proxy.port} ${fixture.hosts[1]?.hostKey}\n`);
    const doomed = createSshExecutor({
      settings: settingsFor(fixture, { knownHosts: known, keepaliveInterval: 0 }),
      logger: quietLogger,
      clock: realClock,
    });
    const id = newId();
    const attack = traceAttack(fixture.workDir);
    try {
      const running = await doomed.start(jobFor(id, attack, hostFor(fixture, 1, { port: proxy.port }), 5_000));
      await eventually(() => existsSync(`${fixture.workDir}/started.${id}`), 'the attack to start', ON_HOST);
      // The bot hangs: its connection neither carries data nor closes, so the wrapper keeps going.
      proxy.freeze();
      expect(attackProcesses(id, running.remotePgid).length).toBeGreaterThan(0);
      const fresh = createSshExecutor({ settings: settingsFor(fixture), logger: quietLogger, clock: realClock });
      const result = await fresh.recover(orphanFor(id, attack, hostFor(fixture, 1), running.remotePgid, Date.now() + 5_000));
      expect(result.outcome).toBe('reverted');
      expect(attackProcesses(id, running.remotePgid)).toEqual([]);
      expect(rollbackRuns(fixture.workDir, id)).toBeGreaterThanOrEqual(1);
      await fresh.close();
    } finally {
      await proxy.close();
      await doomed.close();
    }
  });

  it('recovering an attack that is long gone reverts without harm (rollback is safe twice)', async () => {
    const id = newId();
    const running = await executor.start(jobFor(id, traceAttack(fixture.workDir, { run: 'true' }), hostFor(fixture, 0)));
    await running.done;
    const result = await executor.recover(orphanFor(id, traceAttack(fixture.workDir), hostFor(fixture, 0), running.remotePgid));
    expect(result.outcome).toBe('reverted');
    expect(rollbackRuns(fixture.workDir, id)).toBe(2);
  });

  it('recovery of an orphan whose attack file is gone kills what is left but says no rollback ran', async () => {
    const result = await executor.recover(orphanFor(newId(), null, hostFor(fixture, 0), 4242));
    expect(result.outcome).toBe('failed');
    // No rollback could run: the attack definition is unknown.
    expect(result.found).toMatchObject({ kind: 'left', rollback: null });
    // There is no rollback to give an operator.
    expect(result.manualRollback).toBeUndefined();
  });

  it('keeps only the tail of a large output', async () => {
    const small = createSshExecutor({
      settings: settingsFor(fixture, { outputLimitBytes: 1_024 }),
      logger: quietLogger,
      clock: realClock,
    });
    const noisy = traceAttack(fixture.workDir, {
      run: 'i=0; while [ $i -lt 3000 ]; do echo "line $i of noise"; i=$((i+1)); done; echo LAST-LINE',
    });
    const running = await small.start(jobFor(newId(), noisy, hostFor(fixture, 0), 10_000));
    const result = await running.done;
    expect(result.outcome).toBe('completed');
    expect(Buffer.byteLength(result.outputTail)).toBeLessThan(1_200);
    expect(result.outputTail).toContain('bytes cut');
    expect(result.outputTail).toContain('rollback done');
    await small.close();
  });

  it('refuses a second attack with the id of one still running, without touching the first', async () => {
    const id = newId();
    const first = await executor.start(jobFor(id, traceAttack(fixture.workDir), hostFor(fixture, 0), 5_000));
    await expect(executor.start(jobFor(id, traceAttack(fixture.workDir), hostFor(fixture, 0), 5_000))).rejects.toMatchObject({
      code: 'SSH_START',
    });
    expect(attackProcesses(id, first.remotePgid).length).toBeGreaterThan(0);
    expect((await first.abort('done')).outcome).toBe('reverted');
  });

  it('a passed pre-flight runs the wrapper it carries on the start; a start for another job runs its own', async () => {
    const host = hostFor(fixture, 1);
    const ran = (id: string) =>
      existsSync(`${fixture.workDir}/ran.${id}`) ? readFileSync(`${fixture.workDir}/ran.${id}`, 'utf8') : '';
    const run = (what: string) => `echo ${what} >> "$CHAOSCAT_PARAM_DIR/ran.$CHAOSCAT_ATTACK_ID"; sleep 30`;
    const id = newId();
    const job = jobFor(id, traceAttack(fixture.workDir, { run: run('carried') }), host, 5_000);
    expect(await executor.preflight(job)).toEqual({ ok: true });
    const running = await executor.start(job);
    await eventually(() => ran(id) !== '', 'the carried wrapper to run the attack', ON_HOST);
    expect((await running.abort('done')).outcome).toBe('reverted');
    expect(ran(id)).toBe('carried\n');

    // Same id, another attack text: the kept pre-flight's shell must not run what it carries.
    const other = newId();
    const checked = jobFor(other, traceAttack(fixture.workDir, { run: run('checked') }), host, 5_000);
    expect(await executor.preflight(checked)).toEqual({ ok: true });
    const second = await executor.start({ ...checked, attack: traceAttack(fixture.workDir, { run: run('changed') }) });
    await eventually(() => ran(other) !== '', 'the new wrapper to run the attack', ON_HOST);
    expect((await second.abort('done')).outcome).toBe('reverted');
    expect(ran(other)).toBe('changed\n');
  });
});
