import { EventEmitter } from 'node:events';
import type { ClientChannel } from 'ssh2';
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/adapters/ssh/connection.js';
import { SshError } from '../../../src/adapters/ssh/errors.js';
import { nextPhase, type Phase, type PhaseEvent, type Revert } from '../../../src/adapters/ssh/remote-attack-phase.js';
import { RemoteAttack, type RemoteAttackDeps } from '../../../src/adapters/ssh/running-attack.js';
import { systemTimers } from '../../../src/adapters/system/timers.js';
import type { AbortResult, AttackResult } from '../../../src/ports/executor.js';
import { hostFor, jobFor, quietLogger, traceAttack } from './helpers.js';

/** A channel as ssh2 shapes it, driven by the test: what the wrapper would print, then close. */
class FakeChannel extends EventEmitter {
  readonly stderr = Object.assign(new EventEmitter(), { resume: () => {} });
  resume(): void {}
  ended = false;
  /** What the bot wrote on the attack's stdin. */
  written = '';
  write(text: string): boolean {
    if (this.ended) throw new Error('write after end');
    this.written += text;
    return true;
  }
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

function fakeConnection(): Connection & { closedByUs: boolean; drop(): void } {
  let open = true;
  const conn = {
    host: 'host-0',
    closedByUs: false,
    drop: () => {
      open = false;
    },
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

function setup(
  halt: () => Promise<AbortResult> = async () => ({ outcome: 'reverted', found: { kind: 'gone', host: 'host-0' }, tookMs: 1 }),
  endWaitMs?: number,
) {
  const channel = new FakeChannel();
  const conn = fakeConnection();
  const halts: string[] = [];
  const deps: RemoteAttackDeps = {
    clock: { now: () => 1_000 },
    timers: systemTimers,
    logger: quietLogger,
    outputLimitBytes: 4_096,
    startTimeoutMs: 200,
    ...(endWaitMs === undefined ? {} : { endWaitMs }),
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
    expect(result.end).toEqual({ kind: 'lost', host: 'host-0', found: { kind: 'gone', host: 'host-0' } });
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

  it("abort halts over the attack's own channel: the halt line, stdin closed, the wrapper's end line confirms", async () => {
    const { attack, channel, halts } = setup();
    channel.out('CHAOSCAT_PGID=77\n');
    await attack.started;
    const first = attack.abort('stop');
    const second = attack.abort('stop again');
    expect(channel.written).toBe('CHAOSCAT_HALT\n');
    expect(channel.ended).toBe(true);
    channel.out('CHAOSCAT_ATTACK_EXIT=143\nCHAOSCAT_END attack=143 rollback=0 stopped=0 dropped=1\n');
    const result = await first;
    expect(await second).toEqual(result);
    expect(result).toMatchObject({ outcome: 'reverted', found: { kind: 'gone', host: 'host-0' } });
    // No second channel and no new connection.
    expect(halts).toEqual([]);
    channel.finish(143);
    const done = await attack.done;
    expect(done).toMatchObject({ outcome: 'reverted', exitCode: 143, signal: 'TERM' });
    expect(done.end).toMatchObject({ kind: 'aborted', why: 'stop' });
  });

  it('abort whose channel closes without an end line halts over a new connection when the connection is gone', async () => {
    const { attack, channel, conn, halts } = setup(async () => ({
      outcome: 'unreachable',
      found: { kind: 'unreachable', cause: 'ECONNREFUSED' },
      tookMs: 3,
    }));
    channel.out('CHAOSCAT_PGID=77\n');
    await attack.started;
    const aborting = attack.abort('stop');
    conn.drop();
    channel.emit('close');
    expect((await aborting).outcome).toBe('unreachable');
    expect(halts).toEqual(['new connection']);
    expect((await attack.done).outcome).toBe('failed');
  });

  it('abort on a connection already gone does not wait for the channel: it halts over a new connection', async () => {
    const { attack, channel, conn, halts } = setup();
    channel.out('CHAOSCAT_PGID=77\n');
    await attack.started;
    conn.drop();
    expect((await attack.abort('stop')).outcome).toBe('reverted');
    expect(halts).toEqual(['new connection']);
    expect(channel.written).toBe('');
  });

  it('abort that hears no end line in time halts on a second channel of the same connection', async () => {
    const { attack, channel, halts } = setup(undefined, 20);
    channel.out('CHAOSCAT_PGID=77\n');
    await attack.started;
    expect((await attack.abort('stop')).outcome).toBe('reverted');
    expect(halts).toEqual(['same connection']);
  });

  it('an end line that reports survivors is not taken as a confirmation: the halt runs on a second channel', async () => {
    const { attack, channel, halts } = setup(async () => ({
      outcome: 'failed',
      found: { kind: 'left', host: 'host-0', alive: 1, rollback: 0 },
      tookMs: 3,
    }));
    channel.out('CHAOSCAT_PGID=77\n');
    await attack.started;
    const aborting = attack.abort('stop');
    channel.out('CHAOSCAT_END attack=137 rollback=0 stopped=1 dropped=1\n');
    expect(await aborting).toMatchObject({ outcome: 'failed', found: { kind: 'left', host: 'host-0', alive: 1, rollback: 0 } });
    expect(halts).toEqual(['same connection']);
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
      end: { kind: 'rollback-failed', exit: 3, survivors: false },
      manualRollback: MANUAL,
    });
    expect(result.outputTail).toContain('cannot undo');
  });

  it("a stop that finds the rollback failing hands the halt's output and command on, to abort and to done", async () => {
    const failed: AbortResult = {
      outcome: 'failed',
      found: { kind: 'left', host: 'host-0', alive: 0, rollback: 3 },
      tookMs: 5,
      rollbackOutput: 'cannot undo',
      manualRollback: MANUAL,
    };
    const { attack, channel, halts } = setup(async () => failed);
    channel.out('CHAOSCAT_PGID=77\n');
    await attack.started;
    const aborting = attack.abort('stop');
    // The wrapper's own rollback failed: the halt on a second channel runs it again and reports.
    channel.out('CHAOSCAT_END attack=143 rollback=3 stopped=0 dropped=1\n');
    const result = await aborting;
    expect(halts).toEqual(['same connection']);
    expect(result).toMatchObject({ outcome: 'failed', rollbackOutput: 'cannot undo', manualRollback: MANUAL });
    channel.finish(143);
    const done = await attack.done;
    expect(done).toMatchObject({ outcome: 'failed', rollbackOk: false, manualRollback: MANUAL });
    expect(done.end).toEqual({ kind: 'aborted', why: 'stop', found: { kind: 'left', host: 'host-0', alive: 0, rollback: 3 } });
  });

  it('a lost connection to a host that cannot be reached again does not claim the rollback ran', async () => {
    const { attack, channel } = setup(async () => ({
      outcome: 'unreachable',
      found: { kind: 'unreachable', cause: 'ECONNREFUSED' },
      tookMs: 3,
    }));
    channel.out('CHAOSCAT_PGID=77\n');
    await attack.started;
    channel.emit('close');
    const result = await attack.done;
    expect(result).toMatchObject({ outcome: 'failed', rollbackOk: false });
    // Unconfirmed, with what the clean-up found (the words for it: test/words/host-ends.test.ts).
    expect(result).toMatchObject({ unconfirmed: true });
    expect(result.end).toEqual({ kind: 'lost', host: 'host-0', found: { kind: 'unreachable', cause: 'ECONNREFUSED' } });
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

describe("a running attack's phase moves only on the events that mean something there", () => {
  const error = new SshError('SSH_START', 'refused');
  const revert: Revert = { reason: 'stop', done: new Promise(() => {}) };
  const other: Revert = { reason: 'again', done: new Promise(() => {}) };
  const halt = new Promise<AbortResult>(() => {});
  const result = { outcome: 'failed' } as AttackResult;
  const starting: Phase = { kind: 'starting', failed: null, channel: 'open' };
  const startClosed: Phase = { kind: 'starting', failed: null, channel: 'closed' };
  const refused: Phase = { kind: 'starting', failed: error, channel: 'open' };
  const aborting: Phase = { kind: 'aborting', revert, channel: 'open' };
  const ended: Phase = { kind: 'ended', result, revert: null };
  const rows: [string, Phase, PhaseEvent, Phase | null][] = [
    ['the pgid runs the attack', starting, { kind: 'pgid' }, { kind: 'running' }],
    ['a pgid queued behind the close is read', startClosed, { kind: 'pgid' }, { kind: 'closing' }],
    ['a pgid after a refusal changes nothing', refused, { kind: 'pgid' }, null],
    ['a second pgid changes nothing', { kind: 'running' }, { kind: 'pgid' }, null],
    ['a refusal fails the start', starting, { kind: 'start-failed', error }, refused],
    ['a refusal after the pgid changes nothing', { kind: 'running' }, { kind: 'start-failed', error }, null],
    ['a close while starting waits a turn', starting, { kind: 'closed' }, startClosed],
    ['a close after a refusal keeps it', refused, { kind: 'closed' }, { ...refused, channel: 'closed' }],
    ['a close of a running attack', { kind: 'running' }, { kind: 'closed' }, { kind: 'closing' }],
    ['a close while aborting', aborting, { kind: 'closed' }, { ...aborting, channel: 'closed' }],
    ['the second close (channel, then connection) changes nothing', { kind: 'closing' }, { kind: 'closed' }, null],
    ['a stop of a running attack', { kind: 'running' }, { kind: 'abort', revert }, aborting],
    ['a stop in the turn after the close', { kind: 'closing' }, { kind: 'abort', revert }, { ...aborting, channel: 'closed' }],
    ['a stop during the clean-up', { kind: 'recovering', halt }, { kind: 'abort', revert }, { ...aborting, channel: 'closed' }],
    ['a stop before the start is not taken', starting, { kind: 'abort', revert }, null],
    ['a stop after the end keeps the end', ended, { kind: 'abort', revert }, { ...ended, revert }],
    ['a second stop after the end changes nothing', { ...ended, revert }, { kind: 'abort', revert: other }, null],
    ['no end line: the clean-up', { kind: 'closing' }, { kind: 'lost', halt }, { kind: 'recovering', halt }],
    ['the end', { kind: 'recovering', halt }, { kind: 'ended', result }, ended],
    ['the end keeps the revert under way', aborting, { kind: 'ended', result }, { ...ended, revert }],
    ['a second end changes nothing', ended, { kind: 'ended', result }, null],
  ];
  it.each(rows)('%s', (_rule, from, event, to) => {
    expect(nextPhase(from, event)).toEqual(to);
  });
});

describe('a stop during the clean-up after a lost connection', () => {
  it('waits for that clean-up, and halts again over a new connection when it did not revert', async () => {
    let answer: (result: AbortResult) => void = () => {};
    const answers = [
      new Promise<AbortResult>((resolve) => {
        answer = resolve;
      }),
      Promise.resolve<AbortResult>({ outcome: 'reverted', found: { kind: 'gone', host: 'host-0' }, tookMs: 1 }),
    ];
    const { attack, channel, conn, halts } = setup(() => answers.shift() ?? Promise.reject(new Error('a third halt')));
    channel.out('CHAOSCAT_PGID=77\n');
    await attack.started;
    conn.drop();
    channel.emit('close');
    await new Promise((resolve) => setImmediate(resolve));
    expect(halts).toEqual(['new connection']);
    const aborting = attack.abort('stop');
    expect(attack.abort('stop again')).toBe(aborting);
    answer({ outcome: 'unreachable', found: { kind: 'unreachable', cause: 'ECONNREFUSED' }, tookMs: 3 });
    expect(await aborting).toMatchObject({ outcome: 'reverted', found: { kind: 'gone', host: 'host-0' } });
    expect(halts).toEqual(['new connection', 'new connection']);
    const done = await attack.done;
    expect(done).toMatchObject({ outcome: 'failed', rollbackOk: false, unconfirmed: true });
    expect(done.end).toMatchObject({ kind: 'lost', found: { kind: 'unreachable' } });
  });

  it('after a lost connection whose clean-up failed, a stop halts again over a new connection', async () => {
    const answers: AbortResult[] = [
      { outcome: 'unreachable', found: { kind: 'unreachable', cause: 'ECONNREFUSED' }, tookMs: 3 },
      { outcome: 'reverted', found: { kind: 'gone', host: 'host-0' }, tookMs: 1 },
    ];
    const { attack, channel, halts } = setup(
      async () =>
        answers.shift() ?? { outcome: 'failed', found: { kind: 'error', during: 'abort', cause: 'a third' }, tookMs: 0 },
    );
    channel.out('CHAOSCAT_PGID=77\n');
    await attack.started;
    channel.emit('close');
    expect(await attack.done).toMatchObject({ outcome: 'failed', rollbackOk: false });
    const aborting = attack.abort('stop');
    expect(attack.abort('stop again')).toBe(aborting);
    expect(await aborting).toMatchObject({ outcome: 'reverted', found: { kind: 'gone', host: 'host-0' } });
    expect(halts).toEqual(['new connection', 'new connection']);
  });
});
