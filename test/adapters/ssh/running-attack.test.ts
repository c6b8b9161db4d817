import { EventEmitter } from 'node:events';
import type { ClientChannel } from 'ssh2';
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/adapters/ssh/connection.js';
import { RemoteAttack, type RemoteAttackDeps } from '../../../src/adapters/ssh/running-attack.js';
import type { AbortResult } from '../../../src/ports/executor.js';
import { hostFor, jobFor, quietLogger, traceAttack } from './helpers.js';

/** A channel as ssh2 shapes it, driven by the test: what the wrapper would print, then close. */
class FakeChannel extends EventEmitter {
  readonly stderr = new EventEmitter();
  ended = false;
  end(): void {
    this.ended = true;
  }
  out(text: string): void {
    this.emit('data', Buffer.from(text));
  }
  err(text: string): void {
    this.stderr.emit('data', Buffer.from(text));
  }
  finish(code: number): void {
    this.emit('exit', code);
    this.emit('close');
  }
}

function fakeConnection(): Connection & { closedByUs: boolean } {
  let open = true;
  const conn = {
    host: 'host-0',
    closedByUs: false,
    exec: async () => {
      throw new Error('not used');
    },
    isOpen: () => open,
    closed: new Promise<void>(() => {}),
    close: () => {
      open = false;
      conn.closedByUs = true;
    },
  };
  return conn;
}

const MANUAL = "ssh -p 22 chaoscat-test@127.0.0.1 'exec /bin/sh -c ...'";
const fixtureLike = { hosts: [{ port: 22 }] } as unknown as Parameters<typeof hostFor>[0];

function setup(halt: () => Promise<AbortResult> = async () => ({ outcome: 'reverted', detail: 'ok', tookMs: 1 })) {
  const channel = new FakeChannel();
  const conn = fakeConnection();
  const halts: string[] = [];
  const deps: RemoteAttackDeps = {
    clock: { now: () => 1_000 },
    logger: quietLogger,
    outputLimitBytes: 4_096,
    startTimeoutMs: 200,
    halt: async (_spec, existing) => {
      halts.push(existing ? 'same connection' : 'new connection');
      return halt();
    },
  };
  const job = jobFor('42', traceAttack('/tmp'), hostFor(fixtureLike, 0), 2_000);
  const attack = new RemoteAttack(deps, job, conn, channel as unknown as ClientChannel, {
    id: '42',
    pgid: null,
    env: {},
    rollback: 'true',
    sudo: false,
    manualRollback: MANUAL,
  });
  return { attack, channel, conn, halts };
}

describe('a running attack as the bot sees it', () => {
  it('starts on the pgid line and completes on the end line, keeping attack output and the exit status', async () => {
    const { attack, channel, conn } = setup();
    channel.out('CHAOSCAT_PG');
    channel.out('ID=4321\n');
    expect(await attack.started).toBe(4321);
    expect(attack.remotePgid).toBe(4321);
    channel.err('working\n');
    channel.out('CHAOSCAT_ATTACK_EXIT=124\nCHAOSCAT_END attack=124 rollback=0 stopped=0 dropped=0\n');
    channel.finish(124);
    const result = await attack.done;
    expect(result).toMatchObject({ outcome: 'completed', exitCode: 124, signal: null, rollbackOk: true, endedAt: 1_000 });
    expect(result.outputTail).toBe('working\n');
    expect(conn.closedByUs).toBe(true);
  });

  it('rejects the start with SSH_TIMEOUT when no pgid comes, and closes stdin so the wrapper stops', async () => {
    const { attack, channel } = setup();
    await expect(attack.started).rejects.toMatchObject({ code: 'SSH_TIMEOUT' });
    expect(channel.ended).toBe(true);
  });

  it('rejects the start with the wrapper refusal, and never halts (the id may belong to a live attack)', async () => {
    const { attack, channel, halts } = setup();
    channel.out('CHAOSCAT_ERROR=/tmp/chaoscat-42 exists and is in use\n');
    await expect(attack.started).rejects.toMatchObject({ code: 'SSH_START' });
    channel.finish(90);
    expect((await attack.done).outcome).toBe('failed');
    expect(halts).toEqual([]);
  });

  it('a lost connection is confirmed with a halt over a new connection', async () => {
    const { attack, channel, halts } = setup();
    channel.out('CHAOSCAT_PGID=77\n');
    await attack.started;
    channel.emit('close');
    const result = await attack.done;
    expect(halts).toEqual(['new connection']);
    expect(result).toMatchObject({ outcome: 'failed', rollbackOk: true });
    expect(result.reason).toContain('lost');
  });

  it('an attack that announced the disconnect (host-reboot) completes when the connection drops', async () => {
    const { attack, channel, halts } = setup();
    channel.out('CHAOSCAT_PGID=77\n');
    await attack.started;
    channel.err('CHAOSCAT_EXPECT_');
    channel.err('DISCONNECT\nrebooting\n');
    channel.emit('close');
    expect((await attack.done).outcome).toBe('completed');
    expect(halts).toEqual([]);
  });

  it('abort halts on the same connection, settles done as reverted, and answers the same twice', async () => {
    const { attack, channel, halts } = setup();
    channel.out('CHAOSCAT_PGID=77\n');
    await attack.started;
    const first = attack.abort('stop');
    const second = attack.abort('stop again');
    const result = await first;
    expect(await second).toEqual(result);
    expect(result.outcome).toBe('reverted');
    expect(halts).toEqual(['same connection']);
    expect(channel.ended).toBe(true);
    channel.out('CHAOSCAT_END attack=143 rollback=0 stopped=0 dropped=0\n');
    channel.finish(143);
    const done = await attack.done;
    expect(done).toMatchObject({ outcome: 'reverted', exitCode: 143, signal: 'TERM' });
    expect(done.reason).toContain('stop');
  });

  it('abort of an unreachable host says unreachable and done says failed', async () => {
    const { attack, channel } = setup(async () => ({ outcome: 'unreachable', detail: 'ECONNREFUSED', tookMs: 3 }));
    channel.out('CHAOSCAT_PGID=77\n');
    await attack.started;
    expect((await attack.abort('stop')).outcome).toBe('unreachable');
    channel.emit('close');
    expect((await attack.done).outcome).toBe('failed');
  });

  it('abort after the attack completed answers at once without touching the host', async () => {
    const { attack, channel, halts } = setup();
    channel.out('CHAOSCAT_PGID=77\nCHAOSCAT_END attack=0 rollback=0 stopped=0 dropped=0\n');
    channel.finish(0);
    await attack.done;
    expect(await attack.abort('late')).toMatchObject({ outcome: 'reverted', tookMs: 0 });
    expect(halts).toEqual([]);
  });

  it('a rollback that fails at the end of the attack is failed, says the fault may remain and carries the manual command', async () => {
    const { attack, channel } = setup();
    channel.out('CHAOSCAT_PGID=7\n');
    channel.err('--- rollback (exit 3) ---\ncannot undo\n');
    channel.out('CHAOSCAT_END attack=124 rollback=3 stopped=0 dropped=0\n');
    channel.finish(124);
    const result = await attack.done;
    expect(result).toMatchObject({
      outcome: 'failed',
      rollbackOk: false,
      reason: 'the rollback failed (exit 3): the fault may still be in place on host-0',
      manualRollback: MANUAL,
    });
    expect(result.outputTail).toContain('cannot undo');
  });

  it("a stop that finds the rollback failing hands the halt's output and command on, to abort and to done", async () => {
    const failed: AbortResult = {
      outcome: 'failed',
      detail: 'processes gone on host-0, but the rollback failed (exit 3): the fault may still be in place',
      tookMs: 5,
      rollbackOutput: 'cannot undo',
      manualRollback: MANUAL,
    };
    const { attack, channel } = setup(async () => failed);
    channel.out('CHAOSCAT_PGID=77\n');
    await attack.started;
    const result = await attack.abort('stop');
    expect(result).toMatchObject({ outcome: 'failed', rollbackOutput: 'cannot undo', manualRollback: MANUAL });
    channel.out('CHAOSCAT_END attack=143 rollback=3 stopped=0 dropped=0\n');
    channel.finish(143);
    const done = await attack.done;
    expect(done).toMatchObject({ outcome: 'failed', rollbackOk: false, manualRollback: MANUAL });
    expect(done.reason).toContain('the fault may still be in place');
  });

  it('a lost connection to a host that cannot be reached again does not claim the rollback ran', async () => {
    const { attack, channel } = setup(async () => ({ outcome: 'unreachable', detail: 'ECONNREFUSED', tookMs: 3 }));
    channel.out('CHAOSCAT_PGID=77\n');
    await attack.started;
    channel.emit('close');
    const result = await attack.done;
    expect(result).toMatchObject({ outcome: 'failed', rollbackOk: false });
    expect(result.reason).toContain('whether that rollback succeeded is unknown');
    expect(result.reason).not.toMatch(/ends (it )?by itself|will clear/);
  });

  it('a completed attack carries no manual command', async () => {
    const { attack, channel } = setup();
    channel.out('CHAOSCAT_PGID=7\nCHAOSCAT_END attack=124 rollback=0 stopped=0 dropped=0\n');
    channel.finish(124);
    expect(await attack.done).not.toHaveProperty('manualRollback');
  });

  it('reports a rollback failure and a non-zero attack exit as failed', async () => {
    const a = setup();
    a.channel.out('CHAOSCAT_PGID=7\nCHAOSCAT_END attack=0 rollback=2 stopped=0 dropped=0\n');
    a.channel.finish(0);
    expect(await a.attack.done).toMatchObject({ outcome: 'failed', rollbackOk: false });
    const b = setup();
    b.channel.out('CHAOSCAT_PGID=7\nCHAOSCAT_END attack=5 rollback=0 stopped=0 dropped=0\n');
    b.channel.finish(5);
    expect(await b.attack.done).toMatchObject({ outcome: 'failed', rollbackOk: true, exitCode: 5 });
  });
});
