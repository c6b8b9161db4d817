import type { AttackDef, HostDef } from '../../domain/model.js';
import type { AttackJob, PreflightResult } from '../../ports/executor.js';
import { noun } from '../../words/common.js';
import { SshError } from './errors.js';
import { type RunnerPaths, readRunnerPreflight, runnerMismatch } from './host-runner.js';
import { PREFLIGHT_DONE, type runPreflight } from './preflight-channel.js';
import { exportLines } from './shell.js';

/**
 * What the bot checks of a job before a host is touched (its environment, the host vars its attack
 * needs), and what the host's answer to the pre-flight says.
 */

function envName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/** The environment comes whole from the app (domain attackEnv); it must be for this attack and exportable. */
export function checkEnv(id: string, env: Readonly<Record<string, string>>): void {
  if (env.CHAOSCAT_ATTACK_ID !== id) {
    throw new SshError('SSH_INVALID_JOB', `the environment is for attack "${env.CHAOSCAT_ATTACK_ID ?? ''}", not "${id}"`);
  }
  exportLines(env);
}

export function missingHostVars(attack: AttackDef, host: HostDef, env: Readonly<Record<string, string>>): string[] {
  return attack.hostVars.filter((v) => host.vars[v] === undefined && env[`CHAOSCAT_VAR_${envName(v)}`] === undefined);
}

/** How to fix a runner that is missing or out of date on a host. */
const fix = (host: HostDef) => `install or update it with \`chaoscat hosts install ${host.name}\` (docs/host-runner.md)`;

/** What the host's answer to the pre-flight says: ready, or why not (the runner, a command, sudo). */
export function readPreflight(
  result: Awaited<ReturnType<typeof runPreflight>>,
  job: AttackJob,
  runner: RunnerPaths | null,
  user: string,
): PreflightResult {
  const name = job.host.name;
  const lines = result.lines;
  if (!lines.includes(PREFLIGHT_DONE)) {
    const why = result.stderr.trim().split('\n').pop() ?? '';
    const exit = `exit ${result.code ?? result.signal}`;
    return runner
      ? {
          ok: false,
          cause: 'runner',
          reason: `${name}: the attack runner ${runner.runner} did not answer through "sudo -n" (${exit})${why ? `: ${why}` : ''}; ${fix(job.host)}`,
        }
      : { ok: false, cause: 'not-run', reason: `${name}: the pre-flight check did not run (${exit})${why ? `: ${why}` : ''}` };
  }
  if (runner) {
    const mismatch = runnerMismatch(runner, job.attack, readRunnerPreflight(lines));
    if (mismatch) return { ok: false, cause: 'runner', reason: `${name}: ${mismatch}; ${fix(job.host)}` };
  }
  const missing = lines.filter((l) => l.startsWith('CHAOSCAT_MISSING=')).map((l) => l.slice('CHAOSCAT_MISSING='.length));
  if (missing.length > 0)
    return {
      ok: false,
      cause: 'missing-command',
      reason: `${name}: missing ${noun(missing.length, 'command')} ${missing.join(', ')}`,
    };
  if (lines.includes('CHAOSCAT_NOSUDO')) {
    return {
      ok: false,
      cause: 'sudo',
      reason: `${name}: ${job.attack.name} needs root, but ${user} may not run it through "sudo -n" (see the sudoers line in docs/operations.md)`,
    };
  }
  return { ok: true };
}
