import type { HostDef } from '../../domain/model.js';
import type { Clock } from '../../ports/clock.js';
import { errorMessage } from '../../ports/errors.js';
import type { AbortResult } from '../../ports/executor.js';
import type { Timers } from '../../ports/timers.js';
import { type CommandResult, runCommand } from './command.js';
import type { Connection } from './connection.js';
import { SshError } from './errors.js';
import { type HaltSpec, haltScript } from './halt-script.js';
import { type HaltReport, parseHaltOutput } from './protocol.js';
import { scriptCommand } from './shell.js';

/** Kill (≤ 8 s) + wait for the wrapper's rollback (≤ 75 s) + our own rollback (≤ 65 s), with slack. */
export const HALT_TIMEOUT_MS = 170_000;

export interface HaltDeps {
  /** Opens a fresh connection to the host (rejects with a coded SshError). */
  readonly connect: (host: HostDef) => Promise<Connection>;
  /** How long the halt took is measured on it. */
  readonly clock: Clock;
  /** The halt's own deadline (HALT_TIMEOUT_MS); real timers by default. */
  readonly timers?: Timers;
}

function lastLine(text: string): string {
  const lines = text
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '');
  return (lines[lines.length - 1] ?? '').slice(0, 300);
}

function manual(spec: HaltSpec): Pick<AbortResult, 'manualRollback'> {
  return spec.manualRollback === undefined ? {} : { manualRollback: spec.manualRollback };
}

/**
 * What a halt's report means, as data (words: src/words/host-ends.ts). A failed rollback is never
 * told as harmless: the processes are gone, but whatever the attack changed (an iptables rule, a
 * qdisc) may still be in place, so the result carries the rollback's last output and the command to
 * run it by hand.
 */
export function haltVerdict(host: string, report: HaltReport, manualRollback?: string): Omit<AbortResult, 'tookMs'> {
  const stuck = report.wrapper === 'stuck' ? { stuck: true } : {};
  if (report.remaining === 0 && report.rollback === 0) return { outcome: 'reverted', found: { kind: 'gone', host, ...stuck } };
  const failed = report.rollback !== null && report.rollback !== 0;
  const evidence = failed
    ? { rollbackOutput: report.rollbackOutput ?? '', ...(manualRollback === undefined ? {} : { manualRollback }) }
    : {};
  return {
    outcome: 'failed',
    found: { kind: 'left', host, alive: report.remaining, rollback: report.rollback, ...stuck },
    ...evidence,
  };
}

/**
 * Runs the halt on the host and says what it found. Uses `existing` while it is open (a second
 * channel next to the attack's), else a fresh connection. Never rejects: a host it cannot reach is
 * `unreachable`, anything else that goes wrong is `failed`, each with a one-line detail; a failed
 * halt carries `spec.manualRollback` unless the report shows no rollback was needed.
 */
export async function performHalt(
  deps: HaltDeps,
  host: HostDef,
  spec: HaltSpec,
  existing: Connection | null,
): Promise<AbortResult> {
  const started = deps.clock.now();
  const took = () => Math.max(0, Math.round(deps.clock.now() - started));
  let command: string;
  let input = '';
  try {
    if (spec.command) command = spec.command;
    else ({ command, input } = scriptCommand(haltScript(spec)));
  } catch (error) {
    return { outcome: 'failed', found: { kind: 'unbuilt', cause: errorMessage(error) }, tookMs: took() };
  }
  const opened: Connection[] = [];
  let connected = false;
  try {
    let conn = existing?.isOpen() ? existing : null;
    let result: CommandResult | null = null;
    let report: HaltReport | null = null;
    for (let attempt = 0; attempt < 2; attempt++) {
      if (!conn) {
        connected = false;
        conn = await deps.connect(host);
        opened.push(conn);
      }
      connected = true;
      try {
        result = await runCommand(conn, command, HALT_TIMEOUT_MS, input, deps.timers);
      } catch (error) {
        // The attack's own connection may have just died: one fresh try.
        if (!(error instanceof SshError) || error.code !== 'SSH_CHANNEL' || attempt > 0) throw error;
        conn = null;
        continue;
      }
      report = parseHaltOutput(result.stdout);
      // A connection that died under the halt gets one fresh try too (the halt is safe twice).
      if (report || conn.isOpen() || attempt > 0) break;
      conn = null;
    }
    if (!result) throw new SshError('SSH_CHANNEL', `${host.name}: no channel for the halt`);
    if (!report) {
      const why = lastLine(result.stderr) || lastLine(result.stdout) || `exit ${result.code ?? result.signal}`;
      return {
        outcome: 'failed',
        found: { kind: 'no-report', host: host.name, said: why },
        tookMs: took(),
        ...manual(spec),
      };
    }
    return { ...haltVerdict(host.name, report, spec.manualRollback), tookMs: took() };
  } catch (error) {
    const code = error instanceof SshError ? error.code : undefined;
    if (code === 'SSH_TIMEOUT' && connected) {
      return {
        outcome: 'failed',
        found: { kind: 'unfinished', host: host.name, cause: errorMessage(error) },
        tookMs: took(),
        ...manual(spec),
      };
    }
    return { outcome: 'unreachable', found: { kind: 'unreachable', cause: errorMessage(error) }, tookMs: took() };
  } finally {
    for (const c of opened) c.close();
  }
}
