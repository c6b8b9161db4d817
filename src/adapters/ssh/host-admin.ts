import type { Logger } from 'pino';
import type { SshSettings } from '../../config/config.js';
import type { AttackDef, HostDef } from '../../domain/model.js';
import { errorMessage } from '../../ports/errors.js';
import { runCommand } from './command.js';
import { openConnection } from './connection.js';
import { attackChecksum, RUNNER_VERSION, type RunnerPaths, runnerChecksum, runnerCommand } from './host-runner.js';

export interface HostAdminDeps {
  readonly settings: SshSettings;
  readonly logger: Logger;
  readonly agentSocket: string | undefined;
}

/** What `chaoscat hosts check` found on one host; `problems` empty means ready for `hostRunner: installed`. */
export interface HostCheck {
  readonly host: string;
  /** `1 (sha256 8dc5e51d0b26…)`, or why none answered. */
  readonly runner: string;
  /** `11 of 11 match`, or which differ. */
  readonly attacks: string;
  readonly cgroup: 'v2' | 'none' | 'unknown';
  /** `runner only`, or what else the bot's user may run as root. */
  readonly sudo: string;
  readonly problems: readonly string[];
}

const TIMEOUT_MS = 20_000;

function fields(line: string): Map<string, string> {
  return new Map(
    line
      .trim()
      .split(/\s+/)
      .filter((p) => p.indexOf('=') > 0)
      .map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as const),
  );
}

/**
 * The commands `sudo -n -l` says the user may run, one entry per command: the lines under "may run
 * the following commands", each `(runas) [TAGS:] cmd[, cmd…]`.
 */
export function sudoCommands(listing: string): string[] {
  const at = listing.indexOf('may run the following commands');
  if (at < 0) return [];
  const commands: string[] = [];
  for (const raw of listing.slice(at).split('\n').slice(1)) {
    const line = raw.trim();
    if (!line.startsWith('(')) continue;
    const rest = line
      .replace(/^\([^)]*\)\s*/, '')
      .replace(/^([A-Z_]+:\s*)+/, '')
      .trim();
    for (const cmd of rest.split(/,\s*/)) if (cmd) commands.push(cmd.trim());
  }
  return commands;
}

/** Asks the host's runner who it is and what it holds, and sudo what the bot's user may do (read only). */
export async function checkHost(
  deps: HostAdminDeps,
  host: HostDef,
  paths: RunnerPaths,
  attacks: readonly AttackDef[],
): Promise<HostCheck> {
  const problems: string[] = [];
  let runner = '';
  let attackText = '';
  let cgroup: HostCheck['cgroup'] = 'unknown';
  let sudo = '';
  let conn: Awaited<ReturnType<typeof openConnection>>;
  try {
    conn = await openConnection(deps, host);
  } catch (error) {
    const why = errorMessage(error);
    return { host: host.name, runner: 'unreachable', attacks: '-', cgroup, sudo: '-', problems: [why] };
  }
  try {
    const version = await runCommand(conn, runnerCommand(paths, 'version'), TIMEOUT_MS);
    const lines = version.stdout.split('\n');
    const head = lines.find((l) => l.startsWith('chaoscat-host '));
    if (!head) {
      const why = version.stderr.trim().split('\n').pop() ?? `exit ${version.code}`;
      runner = 'none';
      problems.push(
        `no runner answered at ${paths.runner} through sudo -n (${why}): run \`chaoscat hosts install ${host.name}\``,
      );
    } else {
      const f = fields(head);
      const sha = f.get('sha256') ?? '';
      cgroup = f.get('cgroup') === 'v2' ? 'v2' : 'none';
      runner = `${f.get('version') ?? '?'} (sha256 ${sha.slice(0, 12)}…)`;
      if (sha !== runnerChecksum(paths)) {
        problems.push(`the runner is not this bot's (version ${RUNNER_VERSION}): run \`chaoscat hosts install ${host.name}\``);
      }
      if (f.get('installed') !== sha) problems.push('the runner changed since it was installed (it does not match its MANIFEST)');
      const seen = new Map(
        lines
          .filter((l) => l.startsWith('attack '))
          .map((l) => {
            const a = fields(l);
            return [a.get('name') ?? '', { sha: a.get('sha256') ?? '', installed: a.get('installed') ?? '' }] as const;
          }),
      );
      const differ = attacks.filter((a) => seen.get(a.name)?.sha !== attackChecksum(a)).map((a) => a.name);
      const changed = [...seen].filter(([, v]) => v.sha !== v.installed).map(([name]) => name);
      attackText = differ.length === 0 ? `${attacks.length} of ${attacks.length} match` : `differ: ${differ.join(', ')}`;
      if (differ.length > 0)
        problems.push(`attacks not as this bot has them: ${differ.join(', ')}: run \`chaoscat hosts install ${host.name}\``);
      if (changed.length > 0) problems.push(`attacks changed on the host since they were installed: ${changed.join(', ')}`);
    }
    const listing = await runCommand(conn, 'exec sudo -n -l', TIMEOUT_MS);
    const commands = sudoCommands(listing.stdout);
    const others = commands.filter((c) => c !== paths.runner);
    if (commands.length === 0) sudo = 'none';
    else if (others.length === 0) sudo = 'runner only';
    else {
      sudo = `also: ${others.join(', ')}`;
      problems.push(
        `the bot's user may also run as root: ${others.join(', ')}; limit its sudoers line to ${paths.runner} (docs/host-runner.md)`,
      );
    }
    if (!commands.includes(paths.runner)) problems.push(`sudo does not let the bot's user run ${paths.runner}`);
  } catch (error) {
    problems.push(errorMessage(error));
  } finally {
    conn.close();
  }
  return { host: host.name, runner: runner || '-', attacks: attackText || '-', cgroup, sudo: sudo || '-', problems };
}

export interface InstallResult {
  readonly host: string;
  readonly ok: boolean;
  /** The install's own lines, or why it could not run. */
  readonly output: string;
}

/**
 * Runs the install script on the host through `sudo -n /bin/sh -s` (the script on stdin): the one
 * use of broad sudo, for a host not yet limited to the runner. Refused there: the caller prints the
 * script for a person with root to run.
 */
export async function installOnHost(deps: HostAdminDeps, host: HostDef, script: string): Promise<InstallResult> {
  try {
    const conn = await openConnection(deps, host);
    try {
      const result = await runCommand(conn, 'exec sudo -n /bin/sh -s', 120_000, script);
      const output = `${result.stdout}${result.stderr}`.trim();
      return { host: host.name, ok: result.code === 0 && result.stdout.includes('CHAOSCAT_INSTALLED '), output };
    } finally {
      conn.close();
    }
  } catch (error) {
    return { host: host.name, ok: false, output: errorMessage(error) };
  }
}
