import type { Logger } from 'pino';
import type { SshSettings } from '../../config/config.js';
import type { AttackDef, HostDef } from '../../domain/model.js';
import type { Clock } from '../../ports/clock.js';
import type { AbortResult, AttackJob, Executor, OrphanJob, PreflightResult, RunningAttack } from '../../ports/executor.js';
import { runCommand } from './command.js';
import { type Connection, openConnection } from './connection.js';
import { describeError, SshError } from './errors.js';
import { performHalt } from './halt.js';
import { type HaltSpec, preflightScript } from './halt-script.js';
import { RemoteAttack } from './running-attack.js';
import { checkAttackId, exportLines, remoteCommand } from './shell.js';
import { wrapperScript } from './wrapper.js';

const PREFLIGHT_TIMEOUT_MS = 20_000;

export interface SshExecutorOptions {
  readonly settings: SshSettings;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Addresses of the bot, which network attacks must spare (CHAOSCAT_BOT_ADDRS when job.env lacks it). */
  readonly botAddresses?: readonly string[];
  /** The ssh-agent socket; defaults to SSH_AUTH_SOCK. */
  readonly agentSocket?: string;
}

function envName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/** job.env completed with what the wrapper relies on; job.env wins where it already says. */
function completeEnv(
  base: Readonly<Record<string, string>>,
  input: { id: string; attack: AttackDef | null; host: HostDef; durationMs: number | null; botAddresses: readonly string[] },
): Record<string, string> {
  const env: Record<string, string> = {};
  if (input.attack) for (const [k, v] of Object.entries(input.attack.params)) env[`CHAOSCAT_PARAM_${envName(k)}`] = v;
  for (const [k, v] of Object.entries(input.host.vars)) env[`CHAOSCAT_VAR_${envName(k)}`] = v;
  if (input.attack) env.CHAOSCAT_ATTACK = input.attack.name;
  env.CHAOSCAT_HOST = input.host.name;
  env.CHAOSCAT_SSH_PORT = String(input.host.port);
  if (input.durationMs !== null) env.CHAOSCAT_DURATION_S = String(Math.max(1, Math.round(input.durationMs / 1000)));
  if (input.botAddresses.length > 0) env.CHAOSCAT_BOT_ADDRS = input.botAddresses.join(',');
  Object.assign(env, base);
  env.CHAOSCAT_ATTACK_ID = input.id;
  return env;
}

function missingHostVars(attack: AttackDef, host: HostDef, env: Readonly<Record<string, string>>): string[] {
  return attack.hostVars.filter((v) => host.vars[v] === undefined && env[`CHAOSCAT_VAR_${envName(v)}`] === undefined);
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

/**
 * The Executor for real hosts: each attack runs behind the wrapper (docs/wrapper-protocol.md) on its
 * own SSH connection; stop and orphan recovery run the halt on a second channel or a new connection.
 */
export function createSshExecutor(opts: SshExecutorOptions): Executor {
  const logger = opts.logger.child({ component: 'ssh' });
  const botAddresses = opts.botAddresses ?? [];
  const connections = new Set<Connection>();
  const deps = {
    settings: opts.settings,
    logger,
    agentSocket: opts.agentSocket ?? process.env.SSH_AUTH_SOCK,
  };

  let closing = false;
  const connect = async (host: HostDef): Promise<Connection> => {
    if (closing) throw new SshError('SSH_CONNECT', `${host.name}: the executor is closed`, { host: host.name });
    const conn = await openConnection(deps, host);
    connections.add(conn);
    void conn.closed.then(() => connections.delete(conn));
    return conn;
  };

  const haltSpec = (id: string, attack: AttackDef | null, pgid: number | null, env: Record<string, string>): HaltSpec => ({
    id,
    pgid,
    env,
    rollback: attack ? attack.rollback : null,
    sudo: attack?.sudo ?? false,
  });

  const jobEnv = (job: AttackJob) =>
    completeEnv(job.env, { id: job.id, attack: job.attack, host: job.host, durationMs: job.durationMs, botAddresses });

  return {
    async preflight(job: AttackJob): Promise<PreflightResult> {
      const name = job.host.name;
      let env: Record<string, string>;
      try {
        checkAttackId(job.id);
        env = jobEnv(job);
        exportLines(env);
      } catch (error) {
        return { ok: false, reason: `${name}: ${describeError(error)}` };
      }
      const missingVars = missingHostVars(job.attack, job.host, env);
      if (missingVars.length > 0) {
        return {
          ok: false,
          reason: `${name}: host ${plural(missingVars.length, 'var')} ${missingVars.join(', ')} not set (${job.attack.name} needs ${missingVars.length === 1 ? 'it' : 'them'})`,
        };
      }
      let conn: Connection;
      try {
        conn = await connect(job.host);
      } catch (error) {
        return { ok: false, reason: describeError(error) };
      }
      try {
        const script = preflightScript({ id: job.id, requires: job.attack.requires, sudo: job.attack.sudo });
        const result = await runCommand(conn, remoteCommand(script), PREFLIGHT_TIMEOUT_MS);
        const lines = result.stdout.split('\n');
        if (!lines.includes('CHAOSCAT_PREFLIGHT=done')) {
          const why = result.stderr.trim().split('\n').pop() ?? '';
          return {
            ok: false,
            reason: `${name}: the pre-flight check did not run (exit ${result.code ?? result.signal})${why ? `: ${why}` : ''}`,
          };
        }
        const missing = lines.filter((l) => l.startsWith('CHAOSCAT_MISSING=')).map((l) => l.slice('CHAOSCAT_MISSING='.length));
        if (missing.length > 0)
          return { ok: false, reason: `${name}: missing ${plural(missing.length, 'command')} ${missing.join(', ')}` };
        if (lines.includes('CHAOSCAT_NOSUDO')) {
          const user = job.host.user ?? opts.settings.user;
          return {
            ok: false,
            reason: `${name}: ${job.attack.name} needs root, but ${user} may not run it through "sudo -n" (see the sudoers line in docs/operations.md)`,
          };
        }
        return { ok: true };
      } catch (error) {
        return { ok: false, reason: `${name}: ${describeError(error)}` };
      } finally {
        conn.close();
      }
    },

    async start(job: AttackJob): Promise<RunningAttack> {
      checkAttackId(job.id);
      const env = jobEnv(job);
      const command = remoteCommand(
        wrapperScript({
          id: job.id,
          env,
          run: job.attack.run,
          rollback: job.attack.rollback,
          sudo: job.attack.sudo,
          durationS: job.durationMs / 1000,
        }),
        `CHAOSCAT_WRAPPER=${job.id}`,
      );
      const conn = await connect(job.host);
      let channel: Awaited<ReturnType<Connection['exec']>>;
      try {
        channel = await conn.exec(command);
      } catch (error) {
        conn.close();
        throw error;
      }
      const attack = new RemoteAttack(
        {
          clock: opts.clock,
          logger,
          outputLimitBytes: opts.settings.outputLimitBytes,
          startTimeoutMs: opts.settings.connectTimeout + 10_000,
          halt: (spec, existing) => performHalt({ connect }, job.host, spec, existing),
        },
        job,
        conn,
        channel,
        haltSpec(job.id, job.attack, null, env),
      );
      await attack.started;
      logger.info({ id: job.id, host: job.host.name, attack: job.attack.name, pgid: attack.remotePgid }, 'attack running');
      return attack;
    },

    async recover(orphan: OrphanJob): Promise<AbortResult> {
      try {
        checkAttackId(orphan.id);
        const env = completeEnv(
          {},
          {
            id: orphan.id,
            attack: orphan.attack,
            host: orphan.host,
            durationMs: orphan.attack?.durationMs ?? null,
            botAddresses,
          },
        );
        const result = await performHalt(
          { connect },
          orphan.host,
          haltSpec(orphan.id, orphan.attack, orphan.remotePgid, env),
          null,
        );
        logger.info({ id: orphan.id, host: orphan.host.name, result }, 'orphan recovered');
        return result;
      } catch (error) {
        const detail = error instanceof SshError ? error.message : `recover error: ${describeError(error)}`;
        return { outcome: 'failed', detail, tookMs: 0 };
      }
    },

    async close(): Promise<void> {
      // An attack still running when its connection closes is stopped and rolled back by its wrapper.
      closing = true;
      const open = [...connections];
      for (const conn of open) conn.close();
      await Promise.race([Promise.all(open.map((c) => c.closed)), new Promise((resolve) => setTimeout(resolve, 3_000).unref())]);
    },
  };
}
