import pino from 'pino';
import type { RevertFound } from '../../src/domain/host-end.js';
import type { HealthReport } from '../../src/domain/model.js';
import type { Announcer, Authorizer, ChatEvent, Ears, Hearing, Posted } from '../../src/ports/chat.js';
import type { Clock } from '../../src/ports/clock.js';
import {
  type AbortResult,
  type AttackJob,
  type AttackResult,
  type Executor,
  type OrphanJob,
  type PreflightResult,
  type RunningAttack,
  startCancelled,
} from '../../src/ports/executor.js';
import type { HealthCheck } from '../../src/ports/health-check.js';
import type { Random } from '../../src/ports/random.js';
import type { Cancel, Timers } from '../../src/ports/timers.js';

export const silentLogger = pino({ level: 'silent' });

/** A clock that only moves when told. */
export class FixedClock implements Clock {
  constructor(public at: number) {}
  now(): number {
    return this.at;
  }
  set(iso: string): void {
    this.at = Date.parse(iso);
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

/** Returns the scripted values in order, then repeats the last one. */
export class ScriptedRandom implements Random {
  private i = 0;
  constructor(private readonly values: number[]) {}
  next(): number {
    const v = this.values[Math.min(this.i, this.values.length - 1)] ?? 0;
    this.i++;
    return v;
  }
}

/** mulberry32: a small seeded generator for distribution tests. */
export class SeededRandom implements Random {
  constructor(private state: number) {}
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

export class ScriptedHealth implements HealthCheck {
  calls = 0;
  constructor(
    public report: Omit<HealthReport, 'checkedAt'>,
    private readonly clock: Clock,
  ) {}
  static healthy(clock: Clock): ScriptedHealth {
    return new ScriptedHealth({ healthy: true, results: [] }, clock);
  }
  static failing(clock: Clock, reason = 'HTTP 500'): ScriptedHealth {
    return new ScriptedHealth(
      { healthy: false, results: [{ name: 'api', kind: 'http', healthy: false, reason, durationMs: 1 }] },
      clock,
    );
  }
  async check(): Promise<HealthReport> {
    this.calls++;
    return { ...this.report, checkedAt: this.clock.now() };
  }
}

/** A health gate whose every check waits until the test answers it: a slow Prometheus. */
export class ControlledHealth implements HealthCheck {
  private readonly waiting: Array<(report: HealthReport) => void> = [];
  calls = 0;
  constructor(private readonly clock: Clock) {}
  check(): Promise<HealthReport> {
    this.calls++;
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  /** Checks asked and not answered yet. */
  get pending(): number {
    return this.waiting.length;
  }
  /** Answers the oldest waiting check; false when none waits. */
  answer(healthy: boolean): boolean {
    const resolve = this.waiting.shift();
    if (!resolve) return false;
    resolve(
      healthy
        ? { healthy: true, checkedAt: this.clock.now(), results: [] }
        : {
            healthy: false,
            checkedAt: this.clock.now(),
            results: [{ name: 'api', kind: 'http', healthy: false, reason: 'HTTP 500', durationMs: 1 }],
          },
    );
    return true;
  }
}

export class RecordingAnnouncer implements Announcer, Ears, Authorizer {
  readonly events: ChatEvent[] = [];
  hearingState: Hearing = { ok: true };
  admins = new Set<string>(['admin', 'console']);
  /** What announceStart answers: ok, or the chat refused. */
  startAnswer: Posted = { ok: true };
  /** When set, announceStart waits for it: a slow chat. */
  startGate: Promise<void> | null = null;
  async announce(event: ChatEvent): Promise<void> {
    this.events.push(event);
  }
  async announceStart(event: Extract<ChatEvent, { kind: 'attack-started' }>): Promise<Posted> {
    if (this.startGate) await this.startGate;
    if (this.startAnswer.ok) this.events.push(event);
    return this.startAnswer;
  }
  hearing(): Hearing {
    return this.hearingState;
  }
  async isAdmin(user: string): Promise<boolean> {
    return this.admins.has(user);
  }
  describeAdmins(): string {
    return `Admins: ${[...this.admins].join(', ')}.`;
  }
  kinds(): string[] {
    return this.events.map((e) => e.kind);
  }
}

interface ControlledRun {
  readonly job: AttackJob;
  finish(result?: Partial<AttackResult>): void;
  aborted: string | null;
  /** The attack has ended (finished or aborted). */
  ended: boolean;
}

/** An Executor whose attacks run until the test finishes or aborts them. */
export class ControlledExecutor implements Executor {
  readonly runs: ControlledRun[] = [];
  readonly recovered: OrphanJob[] = [];
  preflightAnswer: PreflightResult = { ok: true };
  abortAnswer: AbortResult['outcome'] = 'reverted';
  /** When set, start() waits for it: an attack still connecting (a stop meanwhile cancels it). */
  startGate: Promise<void> | null = null;
  /** When set, start() waits for it after the command ran on the host: too late to cancel. */
  execGate: Promise<void> | null = null;
  startCalls = 0;
  /** Starts that reached the host (not cancelled in time). */
  execs = 0;
  /** When set, every abort waits for it: a host slow to answer. */
  abortGate: Promise<void> | null = null;
  /** Called as start() is entered, before anything runs: tests check their invariants here. */
  onStart: ((job: AttackJob) => void) | null = null;
  /** Called when the start reaches the host (past the last point where it could be cancelled). */
  onExec: ((job: AttackJob) => void) | null = null;

  constructor(private readonly clock: Clock) {}

  async preflight(): Promise<PreflightResult> {
    return this.preflightAnswer;
  }

  async start(job: AttackJob, signal?: AbortSignal): Promise<RunningAttack> {
    this.startCalls++;
    this.onStart?.(job);
    if (this.startGate) await this.startGate;
    if (signal?.aborted) throw startCancelled(job.host.name);
    this.execs++;
    this.onExec?.(job);
    if (this.execGate) await this.execGate;
    let settle: (r: AttackResult) => void = () => {};
    const done = new Promise<AttackResult>((r) => {
      settle = r;
    });
    const run: ControlledRun = {
      job,
      aborted: null,
      ended: false,
      finish: (result = {}) => {
        run.ended = true;
        settle({
          outcome: 'completed',
          exitCode: 0,
          signal: null,
          outputTail: 'ok',
          rollbackOk: true,
          end: null,
          endedAt: this.clock.now(),
          ...result,
        });
      },
    };
    this.runs.push(run);
    return {
      remotePgid: 4242,
      done,
      abort: async (reason) => {
        run.aborted = reason;
        if (this.abortGate) await this.abortGate;
        const host = job.host.name;
        run.finish({ outcome: 'reverted', end: { kind: 'aborted', why: reason, found: { kind: 'gone', host } } });
        const answer = this.abortAnswer;
        if (answer === 'failed') {
          return {
            outcome: answer,
            found: { kind: 'left', host, alive: 0, rollback: 3 },
            tookMs: 80,
            rollbackOutput: 'iptables: Resource temporarily unavailable.',
            manualRollback: "ssh -p 22 chaoscat@127.0.0.1 'sh -c rollback'",
          };
        }
        const found: RevertFound =
          answer === 'reverted' ? { kind: 'gone', host } : { kind: 'unreachable', cause: 'no route to host' };
        return { outcome: answer, found, tookMs: 80 };
      },
    };
  }

  /** What recover() (orphans, the next-contact check) answers. */
  recoverAnswer: AbortResult = { outcome: 'reverted', found: { kind: 'gone', host: 'web-1' }, tookMs: 50 };

  async recover(orphan: OrphanJob): Promise<AbortResult> {
    this.recovered.push(orphan);
    return this.recoverAnswer;
  }

  async close(): Promise<void> {}
}

interface ManualTimer {
  due: number;
  readonly every: number | null;
  readonly fn: () => void;
  cancelled: boolean;
}

/**
 * Timers that fire only when the test steps time: `advance(ms)` moves the shared clock and runs
 * every timer that fell due, in order, letting promises settle between them.
 */
export class ManualTimers implements Timers {
  private readonly timers: ManualTimer[] = [];
  constructor(private readonly clock: FixedClock) {}

  after(ms: number, fn: () => void): Cancel {
    return this.add({ due: this.clock.now() + ms, every: null, fn, cancelled: false });
  }

  every(ms: number, fn: () => void): Cancel {
    return this.add({ due: this.clock.now() + ms, every: Math.max(1, ms), fn, cancelled: false });
  }

  /** Timers not yet fired or cancelled. */
  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  private add(timer: ManualTimer): Cancel {
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  async advance(ms: number): Promise<void> {
    const until = this.clock.now() + ms;
    for (;;) {
      const live = this.timers.filter((t) => !t.cancelled && t.due <= until).sort((a, b) => a.due - b.due);
      const timer = live[0];
      if (!timer) break;
      if (timer.due > this.clock.now()) this.clock.at = timer.due;
      if (timer.every === null) timer.cancelled = true;
      else timer.due += timer.every;
      timer.fn();
      await settle();
    }
    this.clock.at = until;
    await settle();
  }
}

/** Lets pending promise callbacks and I/O callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}
