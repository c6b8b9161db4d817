import type { Logger } from 'pino';
import type { ClientChannel } from 'ssh2';
import type { HostEnd } from '../../domain/host-end.js';
import type { Clock } from '../../ports/clock.js';
import { errorMessage } from '../../ports/errors.js';
import type { AbortResult, AttackJob, AttackResult, RunningAttack } from '../../ports/executor.js';
import type { Cancel, Timers } from '../../ports/timers.js';
import type { Connection } from './connection.js';
import { type HaltReading, haltedOverChannel, readAbort, readEnd, readLostConnection, signalName } from './end-of-attack.js';
import { SshError } from './errors.js';
import type { HaltSpec } from './halt-script.js';
import { LineSplitter, parseWrapperLine, type WrapperLine } from './protocol.js';
import { nextPhase, type Phase, type PhaseEvent } from './remote-attack-phase.js';
import { TailBuffer } from './tail-buffer.js';
import { HALT_LINE } from './wrapper.js';

/** An attack that cuts its own connection on purpose (host-reboot) prints this first. */
export const EXPECT_DISCONNECT = 'CHAOSCAT_EXPECT_DISCONNECT';
/** After a halt, how long the attack's channel may take to close before the connection is cut. */
const CLOSE_GRACE_MS = 5_000;
/** The wrapper's own stop (≤ 2 × 8 s) and rollback (≤ 65 s), with slack; then the halt on a second channel. */
export const END_WAIT_MS = 90_000;

export interface RemoteAttackDeps {
  /** Every duration it measures (how long the revert took, whether the attack ran its full time). */
  readonly clock: Clock;
  /** The start's deadline, the wait for the wrapper's end, the grace before the connection is cut. */
  readonly timers: Timers;
  readonly logger: Logger;
  readonly outputLimitBytes: number;
  /** How long the wrapper may take to report the attack's pgid. */
  readonly startTimeoutMs: number;
  /** Runs the halt (never rejects); `existing` is this attack's connection when still open. */
  readonly halt: (spec: HaltSpec, existing: Connection | null) => Promise<AbortResult>;
  /** How long an abort waits for the wrapper's end line before it halts on a second channel; END_WAIT_MS by default. */
  readonly endWaitMs?: number;
}

type EndLine = Extract<WrapperLine, { kind: 'end' }>;

/** One turn of the event loop (not time): 'data' events queued with a close land first. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A promise and what settles it, for what settles elsewhere (Node 20 has no Promise.withResolvers). */
function settleable<T>() {
  const s = {} as { promise: Promise<T>; resolve: (value: T) => void; reject: (error: SshError) => void };
  s.promise = new Promise<T>((resolve, reject) => Object.assign(s, { resolve, reject }));
  return s;
}

/**
 * One attack running on a host behind the wrapper. `started` settles when the wrapper reports the
 * attack's pgid (or fails to); `done` when the attack has ended however it ended, never rejecting.
 */
export class RemoteAttack implements RunningAttack {
  remotePgid: number | null = null;
  private readonly ending = settleable<AttackResult>();
  private readonly start = settleable<number>();
  private readonly endSeen = settleable<void>();
  private readonly channelClosed = settleable<void>();
  readonly done = this.ending.promise;
  readonly started = this.start.promise;

  private phase: Phase = { kind: 'starting', failed: null, channel: 'open' };
  /** What the wrapper and the channel said: the ending is read from it. */
  private readonly heard = {
    end: null as EndLine | null,
    attackExit: null as number | null,
    channelExit: { code: null as number | null, signal: null as string | null },
    /** The attack printed EXPECT_DISCONNECT: its drop is on purpose. */
    expectDisconnect: false,
  };
  private readonly tail: TailBuffer;
  private readonly stdoutLines = new LineSplitter();
  private stderrWindow = '';
  private readonly cancelStartTimer: Cancel;
  private readonly startedAt: number;

  constructor(
    private readonly deps: RemoteAttackDeps,
    private readonly job: AttackJob,
    private readonly conn: Connection,
    private readonly channel: ClientChannel,
    private readonly haltSpec: HaltSpec,
  ) {
    this.startedAt = deps.clock.now();
    this.tail = new TailBuffer(deps.outputLimitBytes);
    this.started.catch(() => {});
    const late = `${job.host.name}: the attack did not report running within ${Math.round(deps.startTimeoutMs / 1000)} s`;
    this.cancelStartTimer = deps.timers.after(deps.startTimeoutMs, () => this.failStart(new SshError('SSH_TIMEOUT', late)));
    channel.on('data', (chunk: Buffer) => {
      for (const line of this.stdoutLines.push(chunk)) this.onLine(parseWrapperLine(line));
    });
    channel.stderr.on('data', (chunk: Buffer) => this.onOutput(chunk));
    channel.on('exit', (code: number | null, signal?: string) => {
      this.heard.channelExit = { code: code ?? null, signal: signal ?? null };
    });
    const onClose = () => {
      if (!this.move({ kind: 'closed' })) return;
      this.cancelStartTimer();
      this.channelClosed.resolve();
      void this.onClosed();
    };
    channel.on('close', onClose);
    void conn.closed.then(onClose);
    // A channel handed over by the pre-flight was paused until someone listened.
    channel.resume();
    channel.stderr.resume();
  }

  /** Moves to the phase after `event`; false (staying put) when the event changes nothing there. */
  private move(event: PhaseEvent): boolean {
    const next = nextPhase(this.phase, event);
    if (next) this.phase = next;
    return next !== null;
  }

  private onOutput(chunk: Buffer): void {
    this.tail.push(chunk);
    const window = this.stderrWindow + chunk.toString('latin1');
    if (window.includes(EXPECT_DISCONNECT)) this.heard.expectDisconnect = true;
    this.stderrWindow = window.slice(-EXPECT_DISCONNECT.length);
  }

  private onLine(line: WrapperLine): void {
    switch (line.kind) {
      case 'pgid':
        if (!this.move({ kind: 'pgid' })) return;
        this.cancelStartTimer();
        this.remotePgid = line.pgid;
        this.start.resolve(line.pgid);
        return;
      case 'error':
        this.tail.push(`wrapper: ${line.text}\n`);
        this.failStart(new SshError('SSH_START', `${this.job.host.name}: the wrapper refused: ${line.text}`));
        return;
      case 'attack-exit':
        this.heard.attackExit = line.code;
        return;
      case 'end':
        this.heard.end = line;
        this.endSeen.resolve();
        return;
      default:
        this.tail.push(`${line.text}\n`);
    }
  }

  private failStart(error: SshError): void {
    if (!this.move({ kind: 'start-failed', error })) return;
    this.cancelStartTimer();
    this.start.reject(error);
    // Closing stdin makes the wrapper stop and roll back whatever it may have started.
    this.endStdin();
    this.conn.close();
  }

  private endStdin(): void {
    try {
      this.channel.end();
    } catch {
      /* already closed */
    }
  }

  private async onClosed(): Promise<void> {
    await nextTurn();
    if (this.phase.kind === 'starting' && !this.phase.failed) {
      const why = this.tail.text().trim().split('\n').pop() ?? '';
      const ended = `${this.job.host.name}: the wrapper ended before the attack ran${why ? `: ${why}` : ''}`;
      this.failStart(new SshError('SSH_START', ended));
    }
    const p = this.phase;
    if (p.kind === 'starting' && p.failed) {
      // Never halt here: a refusing wrapper may share its id with a live attack it protected.
      this.finish(this.make({ outcome: 'failed', rollbackOk: false, end: { kind: 'not-started', cause: p.failed.message } }));
      return;
    }
    try {
      this.finish(await this.outcome());
    } catch (error) {
      this.finish(this.make({ outcome: 'failed', rollbackOk: false, end: { kind: 'error', cause: errorMessage(error) } }));
    }
  }

  /** The result of an ending as read (by end-of-attack.ts, or here), with what the channel said. */
  private make(r: Omit<HaltReading, 'end'> & { readonly end: HostEnd | null }): AttackResult {
    const { end, attackExit, channelExit } = this.heard;
    const exitCode = end?.attack ?? attackExit ?? channelExit.code;
    return {
      outcome: r.outcome,
      exitCode,
      signal: channelExit.signal ?? (exitCode === 124 ? null : signalName(exitCode)),
      outputTail: this.tail.text(),
      rollbackOk: r.rollbackOk,
      end: r.end,
      endedAt: this.deps.clock.now(),
      ...(r.manualRollback === undefined ? {} : { manualRollback: r.manualRollback }),
      ...(r.unconfirmed ? { unconfirmed: true } : {}),
    };
  }

  /** How the attack ended, read once its channel closed (and the turn after): from a revert, the end line, or a halt. */
  private async outcome(): Promise<AttackResult> {
    const name = this.job.host.name;
    if (this.phase.kind === 'aborting') {
      const { reason, done } = this.phase.revert;
      return this.make(readAbort(reason, await done));
    }
    const { end, expectDisconnect } = this.heard;
    if (!end) {
      const intended: HostEnd = { kind: 'went-down', host: name, heardEnd: false };
      if (expectDisconnect) return this.make({ outcome: 'completed', rollbackOk: true, end: intended });
      const halt = this.deps.halt(this.haltSpec, null);
      this.move({ kind: 'lost', halt });
      return this.make(readLostConnection(name, await halt));
    }
    const ranFull = this.deps.clock.now() - this.startedAt >= this.job.durationMs;
    const v = readEnd(end, name, expectDisconnect, ranFull);
    return this.make({ ...v, manualRollback: v.rollbackFailed ? this.haltSpec.manualRollback : undefined });
  }

  private finish(result: AttackResult): void {
    const was = this.phase;
    if (!this.move({ kind: 'ended', result })) return;
    this.deps.logger.info(
      { id: this.job.id, host: this.job.host.name, outcome: result.outcome, end: result.end },
      'attack ended',
    );
    // Keep the connection while an abort still uses it.
    if (was.kind === 'aborting') void was.revert.done.then(() => this.conn.close());
    else this.conn.close();
    this.ending.resolve(result);
  }

  abort(reason: string): Promise<AbortResult> {
    const p = this.phase;
    if (p.kind === 'aborting') return p.revert.done;
    if (p.kind === 'ended') {
      if (p.revert) return p.revert.done;
      const { outcome, rollbackOk, end } = p.result;
      const already = (): Promise<AbortResult> =>
        Promise.resolve({ outcome: 'reverted', found: { kind: 'already', outcome, end }, tookMs: 0 });
      if (outcome !== 'failed' || rollbackOk) return already();
    }
    if (p.kind === 'starting') {
      // Never through the executor, which hands an attack out once it runs: wait for the start to settle.
      const again = () => this.abort(reason);
      return this.started.then(again, () => this.done.then(again));
    }
    const done = this.runAbort(reason, p.kind === 'recovering' ? p.halt : null, p.kind === 'running').catch(
      (error): AbortResult => ({
        outcome: 'failed',
        found: { kind: 'error', during: 'abort', cause: errorMessage(error) },
        tookMs: 0,
      }),
    );
    this.move({ kind: 'abort', revert: { reason, done } });
    return done;
  }

  /** `recovery`: the halt a lost connection already runs; `channelOpen`: whether the halt line can still go out. */
  private async runAbort(reason: string, recovery: Promise<AbortResult> | null, channelOpen: boolean): Promise<AbortResult> {
    const started = this.deps.clock.now();
    this.deps.logger.info({ id: this.job.id, host: this.job.host.name, reason }, 'aborting attack');
    // First over the attack's own channel: the wrapper stops the attack, rolls back and says so.
    const end = channelOpen && this.conn.isOpen() ? await this.haltOverChannel() : null;
    let result = end ? haltedOverChannel(end, this.job.host.name) : null;
    if (!result) {
      // No confirmed end (channel or connection gone, no answer, survivors, a failed rollback): the
      // halt on a second channel, or a new connection, kills what is left and rolls back again.
      const spec: HaltSpec = { ...this.haltSpec, pgid: this.remotePgid };
      const halt = recovery ? await recovery : await this.deps.halt(spec, this.conn.isOpen() ? this.conn : null);
      result = recovery && halt.outcome !== 'reverted' ? await this.deps.halt(spec, null) : halt;
    }
    const tookMs = Math.max(0, Math.round(this.deps.clock.now() - started));
    // The wrapper exits once its rollback ran; closing stdin covers a wrapper that did not notice.
    this.endStdin();
    const cancelClose = this.deps.timers.after(CLOSE_GRACE_MS, () => this.conn.close());
    void this.channelClosed.promise.then(cancelClose);
    return { ...result, tookMs };
  }

  /** Writes the halt line on the attack's stdin and closes it; the wrapper's end line, or null when none came. */
  private async haltOverChannel(): Promise<EndLine | null> {
    if (this.heard.end) return this.heard.end;
    try {
      this.channel.write(`${HALT_LINE}\n`);
    } catch {
      /* closed meanwhile: the end of stdin (or the drop) stops the attack all the same */
    }
    this.endStdin();
    let cancelWait: Cancel = () => {};
    const waited = new Promise<void>((resolve) => {
      cancelWait = this.deps.timers.after(this.deps.endWaitMs ?? END_WAIT_MS, resolve);
    });
    await Promise.race([this.endSeen.promise, this.channelClosed.promise, waited]);
    cancelWait();
    // The end line may still be queued behind the close.
    if (!this.heard.end) await nextTurn();
    return this.heard.end;
  }
}
