import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  quietLogger,
  realClock,
  runPasted,
  settingsFor,
  traceAttack,
} from './helpers.js';

/**
 * Attacks with `sudo: true`, through the sudoers line of docs/operations.md. Opt-in
 * (CHAOSCAT_TEST_SUDO=1): it installs that line for a user of its own (chaoscat-sudo) in
 * /etc/sudoers.d while it runs, and removes it afterwards.
 */
describe.skipIf(!canRunSshd() || process.env.CHAOSCAT_TEST_SUDO !== '1')('attacks that need root, through sudo -n', () => {
  let fixture: SshdFixture;
  let executor: Executor;
  const sudoers = `/etc/sudoers.d/chaoscat-test-${process.pid}`;

  beforeAll(async () => {
    // A user of its own: the sudoers line must not reach the tests that check a user *without* sudo.
    fixture = await startSshd(1, { user: 'chaoscat-sudo' });
    const line = `${fixture.user} ALL=(root) NOPASSWD: /bin/sh /tmp/chaoscat-*\n`;
    writeFileSync(`${sudoers}.tmp`, line, { mode: 0o440 });
    execFileSync('visudo', ['-c', '-q', '-f', `${sudoers}.tmp`]);
    execFileSync('mv', [`${sudoers}.tmp`, sudoers]);
    executor = createSshExecutor({ settings: settingsFor(fixture), logger: quietLogger, clock: realClock });
  });
  afterAll(async () => {
    rmSync(sudoers, { force: true });
    rmSync(`${sudoers}.tmp`, { force: true });
    await executor?.close();
    await fixture?.stop();
  });

  const rootAttack = (dir: string) =>
    traceAttack(dir, {
      sudo: true,
      run: 'id -u > "$CHAOSCAT_PARAM_DIR/started.$CHAOSCAT_ATTACK_ID"; sleep 600 & sleep 600',
      rollback: 'id -u >> "$CHAOSCAT_PARAM_DIR/rollback.$CHAOSCAT_ATTACK_ID"',
    });

  it('passes pre-flight, runs as root to its deadline and rolls back as root', async () => {
    const id = newId();
    const job = jobFor(id, rootAttack(fixture.workDir), hostFor(fixture, 0), 2_000);
    expect(await executor.preflight(job)).toEqual({ ok: true });
    const running = await executor.start(job);
    const result = await running.done;
    expect(result).toMatchObject({ outcome: 'completed', rollbackOk: true });
    expect(readFileSync(`${fixture.workDir}/started.${id}`, 'utf8').trim()).toBe('0');
    expect(readFileSync(`${fixture.workDir}/rollback.${id}`, 'utf8').trim()).toBe('0');
    expect(attackProcesses(id, running.remotePgid)).toEqual([]);
  });

  it('a failed root rollback comes with a manual command that runs it through sudo -n, as root', async () => {
    const id = newId();
    const blocked = traceAttack(fixture.workDir, {
      sudo: true,
      run: 'id -u > "$CHAOSCAT_PARAM_DIR/started.$CHAOSCAT_ATTACK_ID"; sleep 600 & sleep 600',
      rollback: [
        'if [ -e "$CHAOSCAT_PARAM_DIR/block.$CHAOSCAT_ATTACK_ID" ]; then echo "blocked as $(id -u)" >&2; exit 3; fi',
        'id -u >> "$CHAOSCAT_PARAM_DIR/rollback.$CHAOSCAT_ATTACK_ID"',
      ].join('\n'),
    });
    writeFileSync(`${fixture.workDir}/block.${id}`, '');
    const running = await executor.start(jobFor(id, blocked, hostFor(fixture, 0), 5_000));
    await eventually(() => existsSync(`${fixture.workDir}/started.${id}`), 'the attack to start', ON_HOST);
    const result = await running.abort('stop');
    expect(result).toMatchObject({ outcome: 'failed', rollbackOutput: 'blocked as 0' });
    expect(result.manualRollback).toBeDefined();
    rmSync(`${fixture.workDir}/block.${id}`);
    const pasted = await runPasted(fixture, result.manualRollback ?? '');
    expect(pasted.stderr).toContain('exited with status 0');
    expect(pasted.status).toBe(0);
    expect(readFileSync(`${fixture.workDir}/rollback.${id}`, 'utf8').trim()).toBe('0');
  });

  it("abort kills the root processes (in sudo's own session) and rolls back", async () => {
    const id = newId();
    const running = await executor.start(jobFor(id, rootAttack(fixture.workDir), hostFor(fixture, 0), 5_000));
    await eventually(() => existsSync(`${fixture.workDir}/started.${id}`), 'the attack to start', ON_HOST);
    // A process may end between the listing and its stat (the wrapper's short helpers): skip those.
    const ownerOf = (pid: number): number[] => {
      try {
        return [statSync(`/proc/${pid}`).uid];
      } catch {
        return [];
      }
    };
    await eventually(() => attackProcesses(id).flatMap(ownerOf).includes(0), 'a root process of the attack', ON_HOST);
    const result = await running.abort('stop');
    expect(result.outcome).toBe('reverted');
    expect(attackProcesses(id, running.remotePgid)).toEqual([]);
    expect(readFileSync(`${fixture.workDir}/rollback.${id}`, 'utf8')).toContain('0');
    expect((await running.done).outcome).toBe('reverted');
  });
});
