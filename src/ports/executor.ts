import type { HostEnd, RevertFound } from '../domain/host-end.js';
import type { AttackDef, HostDef } from '../domain/model.js';
import { CodedError } from './errors.js';

export interface AttackJob {
  readonly id: string;
  readonly attack: AttackDef;
  readonly host: HostDef;
  readonly durationMs: number;
  /** Environment built by the bot from validated config; the only way parameters reach a script. */
  readonly env: Readonly<Record<string, string>>;
}

/** How an attack ended on the host. */
export interface AttackResult {
  /** completed: ran its duration and rolled back; failed: the attack or its rollback failed; reverted: aborted and rolled back. */
  readonly outcome: 'completed' | 'failed' | 'reverted';
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** Bounded tail of stdout+stderr. */
  readonly outputTail: string;
  readonly rollbackOk: boolean;
  /** What more the host said of the end, as data (words: src/words/host-ends.ts); null: it ran its course. */
  readonly end: HostEnd | null;
  readonly endedAt: number;
  /** When the rollback failed: the exact command an operator can run to roll back by hand. */
  readonly manualRollback?: string;
  /**
   * The host could not be reached to see how it ended (a lost connection): the on-host timer ends
   * the processes and runs the rollback, but nobody saw whether it succeeded. `rollbackOk` is then
   * not a finding; the next contact with the host checks.
   */
  readonly unconfirmed?: boolean;
}

export interface AbortResult {
  /** reverted: processes gone and rollback ran; unreachable: host could not be reached (the host-side timer ends it at deadlineAt). */
  readonly outcome: 'reverted' | 'unreachable' | 'failed';
  /** What the revert found on the host, as data (words: src/words/host-ends.ts `foundText`). */
  readonly found: RevertFound;
  /** Time from the abort call to processes gone and rollback finished. */
  readonly tookMs: number;
  /** When the rollback ran and failed: the last lines of its output. */
  readonly rollbackOutput?: string;
  /** When the rollback failed or could not run: the exact command an operator can run to roll back by hand. */
  readonly manualRollback?: string;
}

export interface RunningAttack {
  /** Remote process group id, when the executor knows it. */
  readonly remotePgid: number | null;
  /** Settles when the attack has ended however it ended (never rejects). */
  readonly done: Promise<AttackResult>;
  /** Kill the attack's process group on the host, run rollback, confirm. Idempotent. Never rejects. */
  abort(reason: string): Promise<AbortResult>;
}

/** The code of the error `start` rejects with when its signal was aborted before anything ran. */
export const START_CANCELLED = 'START_CANCELLED';

/** The error `start` rejects with when it was cancelled in time. */
export function startCancelled(host: string): CodedError<typeof START_CANCELLED> {
  return new CodedError(START_CANCELLED, `${host}: cancelled before anything ran on the host`);
}

/**
 * Why a host refused the pre-flight, for whoever says how to fix it: its host key, the bot's
 * credentials, no connection, sudo, a missing command or host var, the installed runner, a job the
 * executor refused as given, or a check that did not run.
 */
export type PreflightCause =
  | 'host-key'
  | 'auth'
  | 'unreachable'
  | 'sudo'
  | 'missing-command'
  | 'missing-var'
  | 'runner'
  | 'invalid'
  | 'not-run';

export type PreflightResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly cause: PreflightCause; readonly reason: string };

/** A record of an attack that was in flight when the bot died. */
export interface OrphanJob {
  readonly id: string;
  readonly attack: AttackDef | null;
  readonly host: HostDef;
  readonly remotePgid: number | null;
  readonly deadlineAt: number;
  /** The same environment the attack ran with (domain attackEnv): rollbacks see what they saw. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Runs attacks on hosts. Side effects: connects to hosts and runs commands there (none in dry run).
 * Throws an error with a stable `code` only for a bug; host trouble comes back as values.
 */
export interface Executor {
  /** Checks the host can run the attack (reachable, host key known, required commands, sudo). */
  preflight(job: AttackJob): Promise<PreflightResult>;
  /**
   * Starts the attack; resolves once it runs on the host, or rejects with a coded error if it could
   * not start. `signal` is checked after connecting and right before anything runs on the host: if
   * it was aborted, nothing runs and the promise rejects with an error whose code is START_CANCELLED.
   */
  start(job: AttackJob, signal?: AbortSignal): Promise<RunningAttack>;
  /** Kills what is left of an orphaned attack and runs its rollback. Never rejects. */
  recover(orphan: OrphanJob): Promise<AbortResult>;
  /** Closes connections. */
  close(): Promise<void>;
}
