/** `check-config --live` on the hosts: known host keys, each host's pre-flight, and every attack's targets. */
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { attackEnv } from '../domain/attack-env.js';
import type { AttackDef, HostDef } from '../domain/model.js';
import { eligibleHosts } from '../domain/picker.js';
import type { PreflightCause } from '../ports/executor.js';
import { plural } from '../words/common.js';
import { eachBounded } from './bounded.js';
import { bad, type LiveLine, note, ok, readable } from './live-lines.js';

/** Every host (and its jump host) has a key line in known_hosts: an unknown key refuses the login. */
export async function knownHostsChecks(config: Config, hosts: readonly HostDef[]): Promise<LiveLine[]> {
  if (config.dryRun || readable(config.ssh.knownHosts)) return [];
  const { hostFieldMatches, lookupName, parseKnownHosts } = await import('../adapters/ssh/known-hosts.js');
  const entries = parseKnownHosts(readFileSync(config.ssh.knownHosts, 'utf8'));
  const lines: LiveLine[] = [];
  const seen = new Set<string>();
  for (const host of hosts) {
    const jump = host.jumpHost ?? config.ssh.jumpHost;
    const hops = [
      { label: `host ${host.name}`, address: host.address, port: host.port },
      ...(jump ? [{ label: `jump host of ${host.name}`, address: jump.address, port: jump.port }] : []),
    ];
    for (const hop of hops) {
      const name = lookupName(hop.address, hop.port);
      if (seen.has(name)) continue;
      seen.add(name);
      if (!entries.some((e) => hostFieldMatches(e.hosts, name))) {
        lines.push(
          bad(
            hop.label,
            `${name} is not in ${config.ssh.knownHosts}`,
            `add its key: ssh-keyscan -p ${hop.port} ${hop.address} >> ${config.ssh.knownHosts}, then compare the fingerprint with the host's own (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub there)`,
          ),
        );
      }
    }
  }
  if (lines.length === 0 && hosts.length > 0) lines.push(ok('known_hosts', `every host's key is there (${seen.size} names)`));
  return lines;
}

/** What every attack a host may get needs there: the commands of all of them, and sudo if any needs root. */
function needsOn(host: HostDef, attacks: readonly AttackDef[]): AttackDef | null {
  const fitting = attacks.filter((a) => eligibleHosts(a, [host]).length > 0);
  if (fitting.length === 0) return null;
  const first = fitting[0] as AttackDef;
  return {
    ...first,
    name: first.name,
    requires: [...new Set(fitting.flatMap((a) => a.requires))],
    sudo: fitting.some((a) => a.sudo),
  };
}

/**
 * Logs in to every host and runs the attacks' pre-flight there (the commands they need, sudo), or,
 * with the installed runner, `hosts check`'s checks. Nothing is started: the pre-flight ends when
 * no start follows.
 */
export async function hostChecks(
  config: Config,
  all: readonly HostDef[],
  logger: Logger,
  before: readonly LiveLine[],
): Promise<LiveLine[]> {
  if (config.dryRun || all.length === 0) return [];
  // A login that cannot succeed is not tried: its cause already has its line (one line per mistake).
  const failed = new Set(before.filter((l) => l.status === 'FAIL').map((l) => l.what));
  if (['ssh', 'ssh.privateKey', 'ssh.knownHosts'].some((w) => failed.has(w))) {
    return [note('hosts', 'not dialled: fix the key and known_hosts above first')];
  }
  const hosts = all.filter((h) => !failed.has(`host ${h.name}`) && !failed.has(`jump host of ${h.name}`));
  if (config.ssh.hostRunner === 'installed') {
    const { checkHost } = await import('../adapters/ssh/host-admin.js');
    const deps = { settings: config.ssh, logger, agentSocket: process.env.SSH_AUTH_SOCK };
    const paths = { runner: config.ssh.runnerPath, state: config.ssh.runnerState };
    const rows = await eachBounded(hosts, (h) => checkHost(deps, h, paths, config.attacks));
    return rows.map((r) =>
      r.problems.length === 0
        ? ok(`host ${r.host}`, `logs in; runner ${r.runner}; attacks ${r.attacks}; cgroup ${r.cgroup}; sudo ${r.sudo}`)
        : bad(`host ${r.host}`, r.problems.join('; '), `chaoscat hosts install ${r.host} (docs/host-runner.md)`),
    );
  }
  const { createSshExecutor } = await import('../adapters/ssh/index.js');
  const { systemClock } = await import('../adapters/system/clock.js');
  const executor = createSshExecutor({ settings: config.ssh, logger, clock: systemClock });
  try {
    return await eachBounded(hosts, async (host): Promise<LiveLine> => {
      const attack = needsOn(host, config.attacks);
      if (!attack) return note(`host ${host.name}`, 'no attack targets it: not dialled');
      const job = { id: 'live-check', attack, host, durationMs: attack.durationMs };
      const pre = await executor.preflight({ ...job, env: attackEnv({ ...job, botAddresses: [] }) });
      const commands = plural(attack.requires.length, 'command');
      const what = attack.sudo ? `, ${commands}, sudo -n` : `, ${commands}`;
      if (pre.ok) return ok(`host ${host.name}`, `logs in as ${host.user ?? config.ssh.user}; pre-flight passes${what}`);
      return bad(`host ${host.name}`, pre.reason, preflightFix(pre.cause, host, config));
    });
  } finally {
    await executor.close();
  }
}

/** How to fix what the pre-flight found, from its cause (never from its words). */
function preflightFix(cause: PreflightCause, host: HostDef, config: Config): string {
  const user = host.user ?? config.ssh.user;
  switch (cause) {
    case 'host-key':
      return `check the host's key, then fix ${config.ssh.knownHosts}`;
    case 'sudo':
      return `add the sudoers line of docs/operations.md for ${user} on ${host.name}`;
    case 'missing-command':
      return `install the missing commands on ${host.name}, or drop the attacks that need them`;
    case 'missing-var':
      return `set the host vars the attack needs on ${host.name} (hosts file or inventory), or drop it from the attack's targets`;
    case 'auth':
      return `authorize the bot's public key for ${user} on ${host.name}`;
    case 'runner':
      return `install or update the attack runner with \`chaoscat hosts install ${host.name}\` (docs/host-runner.md)`;
    case 'invalid':
    case 'not-run':
      return `run \`chaoscat check-config\`, then look at ${host.name}'s SSH settings and the attack`;
    case 'unreachable':
      return `make ${host.address}:${host.port} reachable over SSH from this machine, or fix the host's address`;
  }
}

/** Each attack's targets must name a tag some host has: otherwise it can never run. */
export function targetChecks(config: Config, hosts: readonly HostDef[]): LiveLine[] {
  const tags = [...new Set(hosts.flatMap((h) => h.tags))].sort();
  const lines: LiveLine[] = [];
  for (const attack of config.attacks) {
    const fit = eligibleHosts(attack, hosts).length;
    if (fit > 0) continue;
    const unknown = attack.targets.filter((t) => !tags.includes(t));
    lines.push(
      bad(
        `attack ${attack.name}`,
        unknown.length > 0
          ? `targets ${unknown.map((t) => `[${t}]`).join(', ')}, a tag no host has`
          : `no host has every tag of [${attack.targets.join(', ')}] and the vars it needs (${attack.hostVars.join(', ') || 'none'})`,
        `fix targets: in the attack file; tags in use: ${tags.join(', ') || 'none'}`,
      ),
    );
  }
  if (lines.length === 0 && config.attacks.length > 0)
    lines.push(ok('targets', `every attack has a host (${plural(hosts.length, 'host')})`));
  return lines;
}
