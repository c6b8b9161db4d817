import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSshExecutor } from '../../../src/adapters/ssh/index.js';
import type { AttackDef } from '../../../src/domain/model.js';
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
  runPasted,
  settingsFor,
  traceAttack,
} from './helpers.js';

/**
 * An attack whose rollback fails while $DIR/block.<id> exists (as `iptables -D` fails while a chain
 * is in use) and otherwise records the host it ran for in $DIR/rollback.<id>.
 */
function blockedAttack(dir: string): AttackDef {
  return traceAttack(dir, {
    rollback: [
      'if [ -e "$CHAOSCAT_PARAM_DIR/block.$CHAOSCAT_ATTACK_ID" ]; then',
      '  echo "undoing the fault"',
      '  echo "cannot undo: block.$CHAOSCAT_ATTACK_ID is in the way" >&2',
      '  exit 3',
      'fi',
      'echo "undone on $CHAOSCAT_HOST" >> "$CHAOSCAT_PARAM_DIR/rollback.$CHAOSCAT_ATTACK_ID"',
      'echo "rollback done"',
    ].join('\n'),
  });
}

describe.skipIf(!canRunSshd() && !process.env.CI)('a rollback that fails, against a real sshd', () => {
  let fixture: SshdFixture;
  let executor: Executor;
  const block = (id: string) => `${fixture.workDir}/block.${id}`;
  const undone = (id: string) => `${fixture.workDir}/rollback.${id}`;

  beforeAll(async () => {
    fixture = await startSshd(1);
    executor = createSshExecutor({ settings: settingsFor(fixture), logger: quietLogger, clock: realClock });
  });
  afterAll(async () => {
    await executor?.close();
    await fixture?.stop();
  });

  /** Clears the cause, runs the manual command as pasted, and checks the rollback took effect. */
  async function rollBackByHand(id: string, command: string | undefined): Promise<void> {
    expect(command).toBe(`ssh -p ${fixture.hosts[0]?.port} ${fixture.user}@127.0.0.1 /bin/sh /tmp/chaoscat-${id}/manual.sh`);
    expect(existsSync(undone(id))).toBe(false);
    rmSync(block(id));
    const pasted = await runPasted(fixture, command ?? '');
    expect(pasted.stderr).toContain(`the rollback of attack ${id} exited with status 0`);
    expect(pasted.status).toBe(0);
    expect(pasted.stdout).toContain('rollback done');
    expect(readFileSync(undone(id), 'utf8')).toBe('undone on host-0\n');
  }

  it('stop: reports failed with the rollback output and a command that rolls back by hand once the cause is gone', async () => {
    const id = newId();
    writeFileSync(block(id), '');
    const running = await executor.start(jobFor(id, blockedAttack(fixture.workDir), hostFor(fixture, 0), 5_000));
    await eventually(() => existsSync(`${fixture.workDir}/started.${id}`), 'the attack to start', ON_HOST);
    const result = await running.abort('stop from test');
    expect(result.outcome).toBe('failed');
    expect(result.found).toEqual({ kind: 'left', host: 'host-0', alive: 0, rollback: 3 });
    expect(result.rollbackOutput).toBe(`undoing the fault\ncannot undo: block.${id} is in the way`);
    expect(attackProcesses(id, running.remotePgid)).toEqual([]);
    const done = await running.done;
    expect(done).toMatchObject({ outcome: 'failed', rollbackOk: false, manualRollback: result.manualRollback });
    expect(done.end).toEqual({ kind: 'aborted', why: 'stop from test', found: result.found });
    await rollBackByHand(id, result.manualRollback);
  });

  it('end of attack: the wrapper rollback fails, the result is failed and carries the manual command', async () => {
    const id = newId();
    writeFileSync(block(id), '');
    const running = await executor.start(jobFor(id, blockedAttack(fixture.workDir), hostFor(fixture, 0), 2_000));
    const result = await running.done;
    expect(result).toMatchObject({
      outcome: 'failed',
      rollbackOk: false,
      exitCode: 124,
      end: { kind: 'rollback-failed', exit: 3, survivors: false },
    });
    expect(result.outputTail).toContain('--- rollback (exit 3) ---');
    expect(result.outputTail).toContain(`cannot undo: block.${id} is in the way`);
    // The wrapper keeps what a person needs: the environment, the rollback and manual.sh.
    await eventually(() => existsSync(`/tmp/chaoscat-${id}/manual.sh`), 'the wrapper to keep manual.sh', ON_HOST);
    await rollBackByHand(id, result.manualRollback);
    expect(existsSync(`/tmp/chaoscat-${id}`)).toBe(false);
  });

  it('orphan recovery: a rollback that fails is reported with its output and the manual command', async () => {
    const id = newId();
    writeFileSync(block(id), '');
    const result = await executor.recover(orphanFor(id, blockedAttack(fixture.workDir), hostFor(fixture, 0), null));
    expect(result).toMatchObject({
      outcome: 'failed',
      found: { kind: 'left', host: 'host-0', alive: 0, rollback: 3 },
      rollbackOutput: `undoing the fault\ncannot undo: block.${id} is in the way`,
    });
    await rollBackByHand(id, result.manualRollback);
  });
});
