import type { Logger } from 'pino';
import type { ClientChannel } from 'ssh2';
import type { SshSettings } from '../../config/config.js';
import type { AttackDef, HostDef } from '../../domain/model.js';
import type { Clock } from '../../ports/clock.js';
import { errorMessage } from '../../ports/errors.js';
import {
  type AbortResult,
  type AttackJob,
  type Executor,
  type OrphanJob,
  type PreflightCause,
  type PreflightResult,
  type RunningAttack,
  startCancelled,
} from '../../ports/executor.js';
import { type Timers, within } from '../../ports/timers.js';
import { noun } from '../../words/common.js';
import { systemTimers } from '../system/timers.js';
import { connectUnlessCancelled } from './connect-unless-cancelled.js';
import { type Connection, openConnection } from './connection.js';
import { ConnectionPool, IDLE_MS, lease } from './connection-pool.js';
import { SshError } from './errors.js';
import { type HaltDeps, performHalt } from './halt.js';
import { type HaltSpec, PREFLIGHT_GO, preflightScript } from './halt-script.js';
import { HandoverShelf } from './handover.js';
import { type RunnerPaths, runnerCommand, runnerStart } from './host-runner.js';
import { manualRollbackCommand, manualRunnerRollback } from './manual-rollback.js';
import { checkEnv, missingHostVars, readPreflight } from './preflight-answer.js';
import { runPreflight } from './preflight-channel.js';
import { routeTo } from './route.js';
import { RemoteAttack } from './running-attack.js';
import { checkAttackId, scriptCommand } from './shell.js';
import { wrapperScript } from './wrapper.js';

const PREFLIGHT_TIMEOUT_MS = 20_000;
/** How long a passed pre-flight keeps its connection and waiting channel for the start that usually follows at once. */
const HANDOVER_MS = 30_000;

export interface SshExecutorOptions {
  readonly settings: SshSettings;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Each attack's timers (its start deadline, the wait for its end); real, unref'd timers by default. */
  readonly timers?: Timers;
  /** The ssh-agent socket; defaults to SSH_AUTH_SOCK. */
  readonly agentSocket?: string;
}

/**
 * The Executor for real hosts: each attack runs behind the wrapper (docs/wrapper-protocol.md) on its
 * own SSH connection, the one its pre-flight opened. A stop goes over the attack's own channel (the
 * halt line on its stdin); when that channel cannot confirm, and for orphan recovery, the halt runs
 * on a second channel or a new connection.
 */
export function createSshExecutor(opts: SshExecutorOptions): Executor {
  return new SshExecutor(opts);
}

class SshExecutor implements Executor {
  private readonly logger: Logger;
  /** Attacks run through the installed chaoscat-host (docs/host-runner.md), or the wrapper is pushed with each. */
  private readonly runner: RunnerPaths | null;
  private readonly connections = new Set<Connection>();
  private readonly deps: { settings: SshSettings; logger: Logger; agentSocket: string | undefined };
  private readonly timers: Timers;
  private readonly handover: HandoverShelf;
  private readonly pool: ConnectionPool;
  private closing = false;

  constructor(private readonly opts: SshExecutorOptions) {
    this.logger = opts.logger.child({ component: 'ssh' });
    this.runner =
      opts.settings.hostRunner === 'installed' ? { runner: opts.settings.runnerPath, state: opts.settings.runnerState } : null;
    this.deps = { settings: opts.settings, logger: this.logger, agentSocket: opts.agentSocket ?? process.env.SSH_AUTH_SOCK };
    this.timers = opts.timers ?? systemTimers;
    this.handover = new HandoverShelf(this.timers, HANDOVER_MS);
    this.pool = new ConnectionPool(IDLE_MS, this.timers);
  }

  private routeKey(host: HostDef): string {
    return JSON.stringify(routeTo(host, this.opts.settings));
  }

  /**
   * A connection to the host: an idle one from the pool when there is one (no handshake), else a new
   * one. Its close() hands it back to the pool once its channels are closed.
   */
  private readonly connect = async (host: HostDef, fresh = false): Promise<Connection> => {
    if (this.closing) throw new SshError('SSH_CONNECT', `${host.name}: the executor is closed`, { host: host.name });
    const route = this.routeKey(host);
    const kept = fresh ? null : this.pool.take(route);
    const conn = kept ?? (await openConnection(this.deps, host));
    if (!kept) {
      this.connections.add(conn);
      void conn.closed.then(() => this.connections.delete(conn));
    }
    return lease(conn, (c, open) => (this.closing ? c.close() : this.pool.give(route, c, open)));
  };

  /** The command to give an operator when the rollback fails; none when there is no rollback or no safe line. */
  private manualRollback(host: HostDef, id: string, attack: AttackDef | null, env: Readonly<Record<string, string>>) {
    try {
      // The installed runner keeps what the rollback needs under its state directory, by id.
      if (this.runner) return manualRunnerRollback(routeTo(host, this.opts.settings), this.runner, id);
      if (!attack) return undefined;
      return manualRollbackCommand(routeTo(host, this.opts.settings), { id, env, rollback: attack.rollback, sudo: attack.sudo });
    } catch (error) {
      this.logger.warn({ id, host: host.name, err: errorMessage(error) }, 'no manual rollback command for this attack');
      return undefined;
    }
  }

  private haltDeps(): HaltDeps {
    return { connect: this.connect, clock: this.opts.clock, timers: this.timers };
  }

  /** The wrapper that runs `job` on its host (push). */
  private wrapper(job: AttackJob): string {
    return wrapperScript({
      id: job.id,
      env: job.env,
      run: job.attack.run,
      rollback: job.attack.rollback,
      sudo: job.attack.sudo,
      durationS: job.durationMs / 1000,
    });
  }

  private haltSpec(
    id: string,
    attack: AttackDef | null,
    host: HostDef,
    pgid: number | null,
    env: Readonly<Record<string, string>>,
  ): HaltSpec {
    return {
      id,
      pgid,
      env,
      rollback: attack ? attack.rollback : null,
      sudo: attack?.sudo ?? false,
      manualRollback: this.manualRollback(host, id, attack, env),
      command: this.runner ? runnerCommand(this.runner, 'halt', id) : undefined,
    };
  }

  async preflight(job: AttackJob): Promise<PreflightResult> {
    const name = job.host.name;
    try {
      checkAttackId(job.id);
      checkEnv(job.id, job.env);
    } catch (error) {
      return { ok: false, cause: 'invalid', reason: `${name}: ${errorMessage(error)}` };
    }
    const missingVars = missingHostVars(job.attack, job.host, job.env);
    if (missingVars.length > 0) {
      return {
        ok: false,
        cause: 'missing-var',
        reason: `${name}: host ${noun(missingVars.length, 'var')} ${missingVars.join(', ')} not set (${job.attack.name} needs ${missingVars.length === 1 ? 'it' : 'them'})`,
      };
    }
    let conn: Connection;
    let waiting: ClientChannel | null = null;
    let result: Awaited<ReturnType<typeof runPreflight>>;
    // Push: the pre-flight carries the wrapper, which it becomes on the start's go line (one process,
    // one round trip). Installed: the runner's own pre-flight, which waits for the environment.
    let carries = '';
    let sent: { readonly command: string; readonly input: string };
    try {
      if (this.runner) sent = { command: runnerCommand(this.runner, 'run', job.attack.name, job.id), input: '' };
      else {
        carries = this.wrapper(job);
        const script = preflightScript({ id: job.id, requires: job.attack.requires, sudo: job.attack.sudo, wrapper: carries });
        sent = scriptCommand(script, `CHAOSCAT_WRAPPER=${job.id}`);
      }
    } catch (error) {
      return { ok: false, cause: 'invalid', reason: `${name}: ${errorMessage(error)}` };
    }
    try {
      conn = await this.connect(job.host);
    } catch (error) {
      return { ok: false, cause: connectCause(error), reason: errorMessage(error) };
    }
    try {
      try {
        result = await runPreflight(conn, sent.command, PREFLIGHT_TIMEOUT_MS, this.timers);
      } catch (error) {
        // A kept connection that died while idle: once more on a new one.
        if (!(error instanceof SshError) || error.code !== 'SSH_CHANNEL') throw error;
        conn.close();
        conn = await this.connect(job.host, true);
        result = await runPreflight(conn, sent.command, PREFLIGHT_TIMEOUT_MS, this.timers);
      }
      const answer = readPreflight(result, job, this.runner, job.host.user ?? this.opts.settings.user);
      // The start usually follows at once: it goes out on this channel, whose shell waits for it.
      if (answer.ok) waiting = result.channel;
      return answer;
    } catch (error) {
      return { ok: false, cause: connectCause(error), reason: `${name}: ${errorMessage(error)}` };
    } finally {
      if (waiting) this.handover.keep(job.id, this.routeKey(job.host), conn, waiting, carries);
      else conn.close();
    }
  }

  async start(job: AttackJob, signal?: AbortSignal): Promise<RunningAttack> {
    checkAttackId(job.id);
    checkEnv(job.id, job.env);
    // Installed: the runner's own pre-flight waits for the environment and the go line (runnerStart).
    // Push: a passed pre-flight's shell carries this same wrapper and runs it on the go line.
    const script = this.runner ? runnerStart(job.id, job.env) : this.wrapper(job);
    const sent = this.runner
      ? { command: runnerCommand(this.runner, 'run', job.attack.name, job.id), input: script }
      : scriptCommand(script, `CHAOSCAT_WRAPPER=${job.id}`);
    const kept = this.handover.take(job.id, this.routeKey(job.host), this.runner ? undefined : script);
    let conn: Connection;
    let channel: ClientChannel;
    if (kept) {
      // The pre-flight's shell waits on this channel: one line and the wrapper runs there.
      conn = kept.conn;
      if (signal?.aborted) {
        conn.close();
        throw startCancelled(job.host.name);
      }
      channel = kept.channel;
      channel.write(this.runner ? script : `${PREFLIGHT_GO}\n`);
    } else {
      conn = await connectUnlessCancelled(this.connect(job.host), job.host.name, signal);
      try {
        // Connecting can take seconds: a stop meanwhile means nothing may run on the host.
        if (signal?.aborted) throw startCancelled(job.host.name);
        channel = await conn.exec(sent.command);
        if (sent.input !== '') channel.write(sent.input);
      } catch (error) {
        conn.close();
        throw error;
      }
    }
    const attack = new RemoteAttack(
      {
        clock: this.opts.clock,
        timers: this.timers,
        logger: this.logger,
        outputLimitBytes: this.opts.settings.outputLimitBytes,
        startTimeoutMs: this.opts.settings.connectTimeout + 10_000,
        halt: (spec, existing) => performHalt(this.haltDeps(), job.host, spec, existing),
      },
      job,
      conn,
      channel,
      this.haltSpec(job.id, job.attack, job.host, null, job.env),
    );
    await attack.started;
    this.logger.info({ id: job.id, host: job.host.name, attack: job.attack.name, pgid: attack.remotePgid }, 'attack running');
    return attack;
  }

  async recover(orphan: OrphanJob): Promise<AbortResult> {
    try {
      checkAttackId(orphan.id);
      checkEnv(orphan.id, orphan.env);
      const result = await performHalt(
        this.haltDeps(),
        orphan.host,
        this.haltSpec(orphan.id, orphan.attack, orphan.host, orphan.remotePgid, orphan.env),
        null,
      );
      this.logger.info({ id: orphan.id, host: orphan.host.name, result }, 'orphan recovered');
      return result;
    } catch (error) {
      return { outcome: 'failed', found: { kind: 'error', during: 'recover', cause: errorMessage(error) }, tookMs: 0 };
    }
  }

  async close(): Promise<void> {
    // An attack still running when its connection closes is stopped and rolled back by its wrapper.
    this.closing = true;
    this.handover.clear();
    this.pool.closeAll();
    const open = [...this.connections];
    for (const conn of open) conn.close();
    await within(this.timers, 3_000, Promise.all(open.map((c) => c.closed)), undefined);
  }
}

/** What a failed connection or channel says of the pre-flight: the host key, the credentials, or no connection. */
function connectCause(error: unknown): PreflightCause {
  const code = error instanceof SshError ? error.code : null;
  if (code === 'SSH_HOST_KEY_UNKNOWN' || code === 'SSH_HOST_KEY_CHANGED' || code === 'SSH_HOST_KEY_REVOKED') return 'host-key';
  if (code === 'SSH_AUTH') return 'auth';
  if (code === 'SSH_CONFIG' || code === 'SSH_INVALID_JOB') return 'invalid';
  return 'unreachable';
}
