import type { Logger } from 'pino';
import type { ClientChannel } from 'ssh2';
import type { Clock } from '../../ports/clock.js';
import type { AbortResult, AttackJob, AttackResult, RunningAttack } from '../../ports/executor.js';
import type { Cancel, Timers } from '../../ports/timers.js';
import type { Connection } from './connection.js';
import { type HaltReading, haltedOverChannel, readAbort, readEnd, readLostConnection, signalName } from './end-of-attack.js';
import { SshError } from './errors.js';
import type { HaltSpec } from './halt-script.js';
import { LineSplitter, parseWrapperLine, type WrapperLine } from './protocol.js';
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

/**
 * One attack running on a host behind the wrapper. `started` settles when the wrapper reports the
 * attack's pgid (or fails to); `done` when the attack has ended however it ended, never rejecting.
 */
export class RemoteAttack implements RunningAttack {
  remotePgid: number | null = null;
  readonly done: Promise<AttackResult>;
  readonly started: Promise<number>;

  private resolveDone: (result: AttackResult) => void = () => {};
  private resolveStarted: (pgid: number) => void = () => {};
  private rejectStarted: (error: SshError) => void = () => {};
  private readonly tail: TailBuffer;
  private readonly stdoutLines = new LineSplitter();
  private end: Extract<WrapperLine, { kind: 'end' }> | null = null;
  private attackExit: number | null = null;
  private channelExit: { code: number | null; signal: string | null } = { code: null, signal: null };
  private expectDisconnect = false;
  private stderrWindow = '';
  /** Where its start stands: waiting for the pgid line, running, or failed (and why). */
  private start:
    | { readonly kind: 'waiting' }
    | { readonly kind: 'running' }
    | { readonly kind: 'failed'; readonly error: SshError } = {
    kind: 'waiting',
  };
  private readonly cancelStartTimer: Cancel;
  private closed = false;
  private result: AttackResult | null = null;
  private aborting: Promise<AbortResult> | null = null;
  private abortReason = '';
  private recovery: Promise<AbortResult> | null = null;
  private readonly startedAt: number;
  private readonly channelClosed: Promise<void>;
  private readonly endSeen: Promise<void>;
  private markEnd: () => void = () => {};

  constructor(
    private readonly deps: RemoteAttackDeps,
    private readonly job: AttackJob,
    private readonly conn: Connection,
    private readonly channel: ClientChannel,
    private readonly haltSpec: HaltSpec,
  ) {
    this.startedAt = deps.clock.now();
    this.tail = new TailBuffer(deps.outputLimitBytes);
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
    this.started = new Promise((resolve, reject) => {
      this.resolveStarted = resolve;
      this.rejectStarted = reject;
    });
    this.started.catch(() => {});
    this.endSeen = new Promise((resolve) => {
      this.markEnd = resolve;
    });
    let markClosed = () => {};
    this.channelClosed = new Promise((resolve) => {
      markClosed = resolve;
    });
    this.cancelStartTimer = deps.timers.after(deps.startTimeoutMs, () => {
      this.failStart(
        new SshError(
          'SSH_TIMEOUT',
          `${job.host.name}: the attack did not report running within ${Math.round(deps.startTimeoutMs / 1000)} s`,
        ),
      );
    });
    channel.on('data', (chunk: Buffer) => {
      for (const line of this.stdoutLines.push(chunk)) this.onLine(parseWrapperLine(line));
    });
    channel.stderr.on('data', (chunk: Buffer) => this.onOutput(chunk));
    channel.on('exit', (code: number | null, signal?: string) => {
      this.channelExit = { code: code ?? null, signal: signal ?? null };
    });
    const onClose = () => {
      if (this.closed) return;
      this.closed = true;
      this.cancelStartTimer();
      markClosed();
      void this.onClosed();
    };
    channel.on('close', onClose);
    void conn.closed.then(onClose);
    // A channel handed over by the pre-flight was paused until someone listened.
    channel.resume();
    channel.stderr.resume();
  }

  private onOutput(chunk: Buffer): void {
    this.tail.push(chunk);
    const window = this.stderrWindow + chunk.toString('latin1');
    if (window.includes(EXPECT_DISCONNECT)) this.expectDisconnect = true;
    this.stderrWindow = window.slice(-EXPECT_DISCONNECT.length);
  }

  private onLine(line: WrapperLine): void {
    switch (line.kind) {
      case 'pgid':
        if (this.start.kind !== 'waiting') return;
        this.start = { kind: 'running' };
        this.cancelStartTimer();
        this.remotePgid = line.pgid;
        this.resolveStarted(line.pgid);
        return;
      case 'error':
        this.tail.push(`wrapper: ${line.text}\n`);
        this.failStart(new SshError('SSH_START', `${this.job.host.name}: the wrapper refused: ${line.text}`));
        return;
      case 'attack-exit':
        this.attackExit = line.code;
        return;
      case 'end':
        this.end = line;
        this.markEnd();
        return;
      default:
        this.tail.push(`${line.text}\n`);
    }
  }

  private failStart(error: SshError): void {
    if (this.start.kind !== 'waiting') return;
    this.start = { kind: 'failed', error };
    this.cancelStartTimer();
    this.rejectStarted(error);
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
    // Output that arrived with the close may still be queued as 'data' events: let it land first.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.start.kind === 'waiting') {
      const why = this.tail.text().trim().split('\n').pop() ?? '';
      this.failStart(
        new SshError('SSH_START', `${this.job.host.name}: the wrapper ended before the attack ran${why ? `: ${why}` : ''}`),
      );
    }
    if (this.start.kind === 'failed') {
      // Never halt here: a refusing wrapper may share its id with a live attack it protected.
      this.finish(this.make('failed', false, `did not start: ${this.start.error.message}`));
      return;
    }
    try {
      this.finish(await this.outcome());
    } catch (error) {
      this.finish(this.result ?? this.make('failed', false, `executor error: ${String(error)}`));
    }
  }

  private make(
    outcome: AttackResult['outcome'],
    rollbackOk: boolean,
    reason: string | null,
    manualRollback?: string,
  ): AttackResult {
    const exitCode = this.end?.attack ?? this.attackExit ?? this.channelExit.code;
    return {
      outcome,
      exitCode,
      signal: this.channelExit.signal ?? (exitCode === 124 ? null : signalName(exitCode)),
      outputTail: this.tail.text(),
      rollbackOk,
      reason,
      endedAt: this.deps.clock.now(),
      ...(manualRollback === undefined ? {} : { manualRollback }),
    };
  }

  private async outcome(): Promise<AttackResult> {
    const name = this.job.host.name;
    if (this.aborting) return this.fromHalt(readAbort(this.abortReason, await this.aborting));
    const end = this.end;
    if (!end) {
      if (this.expectDisconnect) {
        return this.make('completed', true, `${name} cut the connection, as the attack intended`);
      }
      this.recovery ??= this.deps.halt(this.haltSpec, null);
      return this.fromHalt(readLostConnection(name, await this.recovery));
    }
    const ranFull = this.deps.clock.now() - this.startedAt >= this.job.durationMs;
    const v = readEnd(end, name, this.expectDisconnect, ranFull);
    return this.make(v.outcome, v.rollbackOk, v.reason, v.rollbackFailed ? this.haltSpec.manualRollback : undefined);
  }

  private fromHalt(h: HaltReading): AttackResult {
    const result = this.make(h.outcome, h.rollbackOk, h.reason, h.manualRollback);
    return h.unconfirmed ? { ...result, unconfirmed: true } : result;
  }

  private finish(result: AttackResult): void {
    if (this.result) return;
    this.result = result;
    this.deps.logger.info(
      { id: this.job.id, host: this.job.host.name, outcome: result.outcome, reason: result.reason },
      'attack ended',
    );
    // Keep the connection while an abort still uses it.
    if (this.aborting) void this.aborting.then(() => this.conn.close());
    else this.conn.close();
    this.resolveDone(result);
  }

  abort(reason: string): Promise<AbortResult> {
    if (this.aborting) return this.aborting;
    const result = this.result;
    if (result && result.outcome !== 'failed') {
      return Promise.resolve({ outcome: 'reverted', detail: `already ended (${result.outcome})`, tookMs: 0 });
    }
    if (result?.rollbackOk) {
      return Promise.resolve({ outcome: 'reverted', detail: `already ended and rolled back: ${result.reason ?? ''}`, tookMs: 0 });
    }
    this.abortReason = reason;
    this.aborting = this.runAbort(reason).catch(
      (error): AbortResult => ({ outcome: 'failed', detail: `abort error: ${String(error)}`, tookMs: 0 }),
    );
    return this.aborting;
  }

  private async runAbort(reason: string): Promise<AbortResult> {
    const started = this.deps.clock.now();
    this.deps.logger.info({ id: this.job.id, host: this.job.host.name, reason }, 'aborting attack');
    // First over the attack's own channel: the wrapper stops the attack, rolls back and says so.
    const end = this.recovery || this.closed || !this.conn.isOpen() ? null : await this.haltOverChannel();
    let result = end ? haltedOverChannel(end, this.job.host.name) : null;
    if (!result) {
      // No confirmed end (channel or connection gone, no answer, survivors, a failed rollback): the
      // halt on a second channel, or a new connection, kills what is left and rolls back again.
      const spec: HaltSpec = { ...this.haltSpec, pgid: this.remotePgid };
      const halt = this.recovery ? await this.recovery : await this.deps.halt(spec, this.conn.isOpen() ? this.conn : null);
      result = this.recovery && halt.outcome !== 'reverted' ? await this.deps.halt(spec, null) : halt;
    }
    const tookMs = Math.max(0, Math.round(this.deps.clock.now() - started));
    // The wrapper exits once its rollback ran; closing stdin covers a wrapper that did not notice.
    this.endStdin();
    const cancelClose = this.deps.timers.after(CLOSE_GRACE_MS, () => this.conn.close());
    void this.channelClosed.then(cancelClose);
    return { ...result, tookMs };
  }

  /** Writes the halt line on the attack's stdin and closes it; the wrapper's end line, or null when none came. */
  private async haltOverChannel(): Promise<Extract<WrapperLine, { kind: 'end' }> | null> {
    if (this.end) return this.end;
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
    await Promise.race([this.endSeen, this.channelClosed, waited]);
    cancelWait();
    // The end line may still be queued behind the close.
    if (!this.end) await new Promise((resolve) => setImmediate(resolve));
    return this.end;
  }
}
