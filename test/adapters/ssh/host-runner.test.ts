import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installScript, type RunnerPaths } from '../../../src/adapters/ssh/host-runner.js';
import { createSshExecutor } from '../../../src/adapters/ssh/index.js';
import type { AttackDef } from '../../../src/domain/model.js';
import type { Executor } from '../../../src/ports/executor.js';
import { tempDir } from '../../support/cleanup.js';
import { eventually } from '../../support/eventually.js';
import { canRunSshd, type SshdFixture, startSshd } from '../../support/sshd.js';
import {
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

/** Whether this machine gives attacks a cgroup v2 (unified, or beside v1 as here). */
function cgroupV2(): boolean {
  return ['/sys/fs/cgroup', '/sys/fs/cgroup/unified'].some((d) => existsSync(join(d, 'cgroup.subtree_control')));
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * chaoscat-host, the installed runner (docs/host-runner.md), on a real sshd host whose user's sudoers
 * line names the runner and nothing else. Opt-in like the other sudo tests (CHAOSCAT_TEST_SUDO=1): it
 * writes a sudoers file for its own user while it runs and removes it afterwards.
 */
describe.skipIf(!canRunSshd() || process.env.CHAOSCAT_TEST_SUDO !== '1')('the installed attack runner (chaoscat-host)', () => {
  let fixture: SshdFixture;
  let executor: Executor;
  let paths: RunnerPaths;
  let traces: string;
  const sudoers = `/etc/sudoers.d/chaoscat-runner-test-${process.pid}`;

  const attacks = (dir: string): AttackDef[] => [
    traceAttack(dir, { name: 'trace' }),
    traceAttack(dir, {
      name: 'trace-root',
      sudo: true,
      run: 'id -u > "$CHAOSCAT_PARAM_DIR/started.$CHAOSCAT_ATTACK_ID"; sleep 600 & sleep 600',
      rollback: 'id -u >> "$CHAOSCAT_PARAM_DIR/rollback.$CHAOSCAT_ATTACK_ID"',
    }),
    traceAttack(dir, {
      name: 'echo',
      run: 'printf "%s\\0%s\\0%s\\0%s\\0%s\\0" "$CHAOSCAT_PARAM_A" "$CHAOSCAT_PARAM_B" "$CHAOSCAT_PARAM_C" "$CHAOSCAT_SSH_CLIENT" "$CHAOSCAT_SSHD_PORT" > "$CHAOSCAT_PARAM_DIR/params.$CHAOSCAT_ATTACK_ID"',
    }),
    traceAttack(dir, {
      name: 'escape',
      // A process that leaves the session and clears its environment: no process group nor marker finds it.
      run: [
        'setsid /bin/sh -c \'echo $$ > "$CHAOSCAT_PARAM_DIR/escaped.$CHAOSCAT_ATTACK_ID"; exec env -i /bin/sleep 600\' &',
        'touch "$CHAOSCAT_PARAM_DIR/started.$CHAOSCAT_ATTACK_ID"',
        'sleep 600',
      ].join('\n'),
    }),
    traceAttack(dir, {
      name: 'blocked',
      rollback: [
        'if [ -e "$CHAOSCAT_PARAM_DIR/block.$CHAOSCAT_ATTACK_ID" ]; then echo "blocked as $(id -u)" >&2; exit 3; fi',
        'echo rolled >> "$CHAOSCAT_PARAM_DIR/rollback.$CHAOSCAT_ATTACK_ID"',
      ].join('\n'),
    }),
  ];
  const attack = (name: string) => attacks(traces).find((a) => a.name === name) as AttackDef;

  const install = (defs: AttackDef[]) => {
    execFileSync('/bin/sh', ['-c', installScript(paths, defs, fixture.user, sudoers)], { stdio: 'pipe' });
  };

  beforeAll(async () => {
    fixture = await startSshd(1, { user: 'chaoscat-runner' });
    traces = fixture.workDir;
    const root = tempDir('chaoscat-runner-');
    // The attacks that run as the bot's user must be able to read their scripts.
    chmodSync(root, 0o755);
    mkdirSync(join(root, 'libexec'), { mode: 0o755 });
    paths = { runner: join(root, 'libexec', 'chaoscat', 'chaoscat-host'), state: join(root, 'state') };
    install(attacks(traces));
    executor = createSshExecutor({
      settings: settingsFor(fixture, { hostRunner: 'installed', runnerPath: paths.runner, runnerState: paths.state }),
      logger: quietLogger,
      clock: realClock,
    });
  });
  afterAll(async () => {
    // The runner's parent cgroup, when this run made it and nothing else is in it.
    for (const root of ['/sys/fs/cgroup', '/sys/fs/cgroup/unified']) {
      try {
        execFileSync('rmdir', [join(root, 'chaoscat')], { stdio: 'ignore' });
      } catch {
        /* not there, or in use */
      }
    }
    rmSync(sudoers, { force: true });
    rmSync(`${sudoers}.tmp`, { force: true });
    await executor?.close();
    await fixture?.stop();
  });

  it('gives the bot user sudo for the runner only: sudo -n /bin/sh -c id is refused', async () => {
    const refused = await runPasted(fixture, `ssh -p ${fixture.hosts[0]?.port} ${fixture.user}@127.0.0.1 sudo -n /bin/sh -c id`);
    expect(refused.status).not.toBe(0);
    expect(refused.stdout).not.toMatch(/uid=0/);
    const listed = await runPasted(fixture, `ssh -p ${fixture.hosts[0]?.port} ${fixture.user}@127.0.0.1 sudo -n -l`);
    expect(listed.stdout).toContain(`NOPASSWD: ${paths.runner}`);
    expect(listed.stdout).not.toMatch(/\/bin\/sh/);
  });

  it('runs an attack to its deadline as the bot user, and a root attack as root, each rolled back', async () => {
    const id = newId();
    const job = jobFor(id, attack('trace'), hostFor(fixture, 0), 2_000);
    expect(await executor.preflight(job)).toEqual({ ok: true });
    const running = await executor.start(job);
    const done = await running.done;
    expect(done, JSON.stringify(done)).toMatchObject({ outcome: 'completed', rollbackOk: true });
    expect(existsSync(join(traces, `started.${id}`))).toBe(true);
    expect(readFileSync(join(traces, `rollback.${id}`), 'utf8')).toBe('rolled\n');
    const uid = execFileSync('id', ['-u', fixture.user], { encoding: 'utf8' }).trim();
    expect(execFileSync('stat', ['-c', '%u', join(traces, `started.${id}`)], { encoding: 'utf8' }).trim()).toBe(uid);
    expect(readdirSync(paths.state)).not.toContain(id);

    const rootId = newId();
    const rootJob = jobFor(rootId, attack('trace-root'), hostFor(fixture, 0), 2_000);
    expect(await executor.preflight(rootJob)).toEqual({ ok: true });
    const root = await executor.start(rootJob);
    expect(await root.done).toMatchObject({ outcome: 'completed', rollbackOk: true });
    expect(readFileSync(join(traces, `started.${rootId}`), 'utf8').trim()).toBe('0');
    expect(readFileSync(join(traces, `rollback.${rootId}`), 'utf8').trim()).toBe('0');
  });

  it('hands parameters to the attack as data (quotes, $(…), backticks, a leading dash and a line break arrive as typed), and the SSH client and port', async () => {
    const id = newId();
    const hostile = ['it\'s $(touch /tmp/chaoscat-owned) `id` "q" -u root; \\n', '--help', 'two\nlines'];
    const job = jobFor(id, attack('echo'), hostFor(fixture, 0), 2_000);
    const env = {
      ...job.env,
      CHAOSCAT_PARAM_A: hostile[0] as string,
      CHAOSCAT_PARAM_B: hostile[1] as string,
      CHAOSCAT_PARAM_C: hostile[2] as string,
    };
    expect(await executor.preflight({ ...job, env })).toEqual({ ok: true });
    const running = await executor.start({ ...job, env });
    expect((await running.done).outcome).toBe('completed');
    const seen = readFileSync(join(traces, `params.${id}`), 'utf8').split('\0');
    expect(seen.slice(0, 3)).toEqual(hostile);
    expect(existsSync('/tmp/chaoscat-owned')).toBe(false);
    // What sshd said of the bot's connection, read above sudo: the address and port network attacks spare.
    expect(seen.slice(3, 5)).toEqual(['127.0.0.1', String(fixture.hosts[0]?.port)]);
  });

  it('stops an attack on the bot’s word: processes gone and the rollback ran', async () => {
    const id = newId();
    const job = jobFor(id, attack('trace'), hostFor(fixture, 0), 60_000);
    expect(await executor.preflight(job)).toEqual({ ok: true });
    const running = await executor.start(job);
    await eventually(() => existsSync(join(traces, `started.${id}`)), 'the attack to start', ON_HOST);
    expect(await running.abort('stop')).toMatchObject({ outcome: 'reverted' });
    expect(readFileSync(join(traces, `rollback.${id}`), 'utf8')).toBe('rolled\n');
    expect((await running.done).outcome).toBe('reverted');
  });

  it.skipIf(!cgroupV2())(
    'leaves nothing behind of a double-forking attack that cleared its environment (cgroup v2)',
    async () => {
      const id = newId();
      const job = jobFor(id, attack('escape'), hostFor(fixture, 0), 60_000);
      expect(await executor.preflight(job)).toEqual({ ok: true });
      const running = await executor.start(job);
      await eventually(() => existsSync(join(traces, `escaped.${id}`)), 'the escaped process', ON_HOST);
      const escaped = Number(readFileSync(join(traces, `escaped.${id}`), 'utf8'));
      expect(alive(escaped)).toBe(true);
      expect(await running.abort('stop')).toMatchObject({ outcome: 'reverted' });
      await eventually(() => !alive(escaped), 'the escaped process to be gone', { ...ON_HOST, timeoutMs: 5_000 });
    },
  );

  it('ends the attack and rolls back on the host when the bot’s connection drops (dead man’s switch)', async () => {
    const id = newId();
    const job = jobFor(id, attack('trace'), hostFor(fixture, 0), 60_000);
    const own = createSshExecutor({
      settings: settingsFor(fixture, { hostRunner: 'installed', runnerPath: paths.runner, runnerState: paths.state }),
      logger: quietLogger,
      clock: realClock,
    });
    expect(await own.preflight(job)).toEqual({ ok: true });
    await own.start(job);
    await eventually(() => existsSync(join(traces, `started.${id}`)), 'the attack to start', ON_HOST);
    await own.close();
    await eventually(() => existsSync(join(traces, `rollback.${id}`)), 'the rollback on the host', ON_HOST);
    await eventually(() => !readdirSync(paths.state).includes(id), 'the state to be removed', ON_HOST);
  });

  it('after a failed rollback, the one-line manual command finishes the job', async () => {
    const id = newId();
    writeFileSync(join(traces, `block.${id}`), '');
    const job = jobFor(id, attack('blocked'), hostFor(fixture, 0), 60_000);
    expect(await executor.preflight(job)).toEqual({ ok: true });
    const running = await executor.start(job);
    await eventually(() => existsSync(join(traces, `started.${id}`)), 'the attack to start', ON_HOST);
    const result = await running.abort('stop');
    expect(result).toMatchObject({ outcome: 'failed' });
    expect(result.rollbackOutput).toContain('blocked as');
    const port = fixture.hosts[0]?.port;
    expect(result.manualRollback).toBe(`ssh -t -p ${port} ${fixture.user}@127.0.0.1 sudo ${paths.runner} rollback ${id}`);
    expect(readdirSync(paths.state)).toContain(id);
    rmSync(join(traces, `block.${id}`));
    const pasted = await runPasted(fixture, result.manualRollback as string);
    expect(pasted.status, pasted.stderr).toBe(0);
    expect(pasted.stdout).toContain(`attack ${id}: 0 processes left, rollback exit 0`);
    expect(readFileSync(join(traces, `rollback.${id}`), 'utf8')).toBe('rolled\n');
    expect(readdirSync(paths.state)).not.toContain(id);
  });

  it('recovers an orphan by id through the runner (halt)', async () => {
    const id = newId();
    const job = jobFor(id, attack('trace'), hostFor(fixture, 0), 60_000);
    const own = createSshExecutor({
      settings: settingsFor(fixture, { hostRunner: 'installed', runnerPath: paths.runner, runnerState: paths.state }),
      logger: quietLogger,
      clock: realClock,
    });
    expect(await own.preflight(job)).toEqual({ ok: true });
    const running = await own.start(job);
    await eventually(() => existsSync(join(traces, `started.${id}`)), 'the attack to start', ON_HOST);
    const result = await executor.recover(orphanFor(id, attack('trace'), hostFor(fixture, 0), running.remotePgid));
    expect(result).toMatchObject({ outcome: 'reverted' });
    expect(readFileSync(join(traces, `rollback.${id}`), 'utf8')).toContain('rolled');
    await own.close();
  });

  it('refuses at pre-flight an attack whose script was changed on the host, naming the fix', async () => {
    const script = join(paths.runner, '..', 'attacks', 'trace', 'run');
    const before = readFileSync(script, 'utf8');
    appendFileSync(script, 'touch /tmp/owned\n');
    try {
      const job = jobFor(newId(), attack('trace'), hostFor(fixture, 0), 2_000);
      const result = await executor.preflight(job);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.reason).toMatch(/trace changed since it was installed/);
      expect(!result.ok && result.reason).toContain('chaoscat hosts install');
    } finally {
      writeFileSync(script, before);
    }
  });

  it('refuses an attack whose installed copy differs from the bot’s', async () => {
    install([...attacks(traces).filter((a) => a.name !== 'trace'), traceAttack(traces, { name: 'trace', rollback: 'true' })]);
    try {
      const result = await executor.preflight(jobFor(newId(), attack('trace'), hostFor(fixture, 0), 2_000));
      expect(result.ok).toBe(false);
      expect(!result.ok && result.reason).toMatch(/its copy of trace \(sha256 [0-9a-f]{12}…\) is not this bot's/);
    } finally {
      install(attacks(traces));
    }
  });
});
