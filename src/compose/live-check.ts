import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { buildProvider } from '../adapters/health/gate.js';
import { providerNames } from '../adapters/health/names.js';
import type { SlackEnv } from '../adapters/slack/env.js';
import type { Config } from '../config/config.js';
import type { HealthProviderConfig } from '../config/health-schema.js';
import { attackEnv } from '../domain/attack-env.js';
import type { AttackDef, HostDef } from '../domain/model.js';
import { eligibleHosts } from '../domain/picker.js';
import type { Announcer } from '../ports/chat.js';
import type { HostDirectory } from '../ports/host-directory.js';
import { eachBounded } from './bounded.js';
import { slackChecks } from './live-check-slack.js';
import { bad, type LiveLine, liveTable, note, ok } from './live-lines.js';

export type { LiveLine } from './live-lines.js';

function readable(path: string): string | null {
  try {
    accessSync(path, constants.R_OK);
    return statSync(path).isFile() ? null : 'is not a file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable by this user' : String(code);
  }
}

/** The key, known_hosts and the database's directory: what every attack (or the bot) needs. */
export async function fileChecks(config: Config, env: NodeJS.ProcessEnv): Promise<LiveLine[]> {
  const lines: LiveLine[] = [];
  const dbDir = dirname(config.database);
  try {
    accessSync(existsSync(dbDir) ? dbDir : dirname(dbDir), constants.W_OK);
    lines.push(ok('database', config.database));
  } catch {
    lines.push(
      bad('database', `${dbDir} is not writable by this user`, 'set database: to a path in a directory the bot may write'),
    );
  }
  if (config.dryRun) {
    lines.push(note('ssh', 'dry run: no host is touched, so keys, known_hosts and logins are not checked'));
    return lines;
  }
  const { privateKey, knownHosts, agent } = config.ssh;
  if (privateKey) {
    const why = readable(privateKey);
    if (why) {
      lines.push(
        bad('ssh.privateKey', `${privateKey} ${why}`, "point ssh.privateKey at the bot's key, or leave it out and use ssh-agent"),
      );
    } else {
      const { utils } = (await import('ssh2')).default;
      const parsed = utils.parseKey(readFileSync(privateKey));
      const key = Array.isArray(parsed) ? parsed[0] : parsed;
      if (!key || key instanceof Error || !key.isPrivateKey()) {
        const reason = key instanceof Error ? key.message : 'no private key in the file';
        lines.push(
          bad('ssh.privateKey', `${privateKey}: ${reason}`, 'use an unencrypted OpenSSH private key (ssh-keygen -t ed25519)'),
        );
      } else lines.push(ok('ssh.privateKey', `${privateKey} (${key.type})`));
    }
  } else if (agent && env.SSH_AUTH_SOCK) {
    lines.push(ok('ssh.agent', `the agent at ${env.SSH_AUTH_SOCK}`));
  } else {
    lines.push(
      bad(
        'ssh',
        'no credentials: no ssh.privateKey and no SSH_AUTH_SOCK',
        'set ssh.privateKey, or run the bot with an ssh-agent',
      ),
    );
  }
  const why = readable(knownHosts);
  lines.push(
    why
      ? bad('ssh.knownHosts', `${knownHosts} ${why}`, "point ssh.knownHosts at a known_hosts file holding every host's key")
      : ok('ssh.knownHosts', knownHosts),
  );
  return lines;
}

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
      const what = attack.sudo ? `, ${attack.requires.length} commands, sudo -n` : `, ${attack.requires.length} commands`;
      if (pre.ok) return ok(`host ${host.name}`, `logs in as ${host.user ?? config.ssh.user}; pre-flight passes${what}`);
      return bad(`host ${host.name}`, pre.reason, preflightFix(pre.reason, host, config));
    });
  } finally {
    await executor.close();
  }
}

function preflightFix(reason: string, host: HostDef, config: Config): string {
  if (/host key unknown|HOST KEY CHANGED/i.test(reason)) return `check the host's key, then fix ${config.ssh.knownHosts}`;
  if (/sudo/.test(reason))
    return `add the sudoers line of docs/operations.md for ${host.user ?? config.ssh.user} on ${host.name}`;
  if (/missing/.test(reason)) return `install the missing commands on ${host.name}, or drop the attacks that need them`;
  if (/auth|permission denied|credentials/i.test(reason))
    return `authorize the bot's public key for ${host.user ?? config.ssh.user} on ${host.name}`;
  return `make ${host.address}:${host.port} reachable over SSH from this machine, or fix the host's address`;
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
    lines.push(ok('targets', `every attack has a host (${hosts.length} hosts)`));
  return lines;
}

/** Every health and steady-state source answers once (healthy or not): a source that cannot be read holds every attack. */
export async function sourceChecks(config: Config, env: NodeJS.ProcessEnv): Promise<LiveLine[]> {
  const configs: { where: string; c: HealthProviderConfig }[] = [
    ...config.health.map((c) => ({ where: 'health', c })),
    ...Object.entries(config.steadyState).flatMap(([attack, list]) =>
      list.map((c) => ({ where: `steady state of ${attack}`, c })),
    ),
  ];
  const names = providerNames(configs.map((x) => x.c));
  return Promise.all(
    configs.map(async ({ where, c }, i): Promise<LiveLine> => {
      const provider = buildProvider(c, names[i] ?? c.kind);
      const what = `${where}: ${provider.name}`;
      try {
        const verdict = await provider.probe({ signal: AbortSignal.timeout(provider.timeoutMs), env });
        if (verdict.healthy) return ok(what, `answers: ${verdict.reason}`);
        if (!verdict.unread) return note(what, `answers, unhealthy now (${verdict.reason}): attacks wait until it is healthy`);
        return bad(what, verdict.reason, `fix the ${c.kind} source's address, query or token in the config`);
      } catch (error) {
        return bad(what, (error as Error).message, `fix the ${c.kind} source in the config`);
      }
    }),
  );
}

export function inventoryChecks(directory: HostDirectory): LiveLine[] {
  return directory
    .sources()
    .map((s) =>
      s.error === null
        ? ok(`inventory ${s.id}`, `${s.hosts} hosts`)
        : bad(`inventory ${s.id}`, s.error, 'fix the inventory source (run the same command by hand to see why)'),
    );
}

/**
 * At start, before anything opens: what makes every attack fail (no usable key, no known_hosts)
 * refuses the start; null when the bot may start. Dry run touches no host: nothing to refuse.
 */
export async function fatalAtStart(config: Config, env: NodeJS.ProcessEnv): Promise<string | null> {
  if (config.dryRun) return null;
  const failed = (await fileChecks(config, env)).filter((l) => l.status === 'FAIL' && l.what.startsWith('ssh'));
  if (failed.length === 0) return null;
  return `every attack would fail: ${failed.map((l) => `${l.what}: ${l.detail} (fix: ${l.fix})`).join('; ')}`;
}

/** The checks of the world the bot can make by itself: files, known_hosts, targets, sources, each host's login. */
async function worldChecks(config: Config, hosts: readonly HostDef[], logger: Logger): Promise<LiveLine[]> {
  const files = [...(await fileChecks(config, process.env)), ...(await knownHostsChecks(config, hosts))];
  return [
    ...files,
    ...targetChecks(config, hosts),
    ...(await sourceChecks(config, process.env)),
    ...(await hostChecks(config, hosts, logger, files)),
  ];
}

/** `check-config --live`: prints the table of every check (Slack's too, when set); returns how many failed. */
export async function runLiveCheck(
  config: Config,
  directory: HostDirectory,
  logger: Logger,
  slack: SlackEnv | null,
): Promise<number> {
  const lines = [
    ...(await worldChecks(config, directory.all(), logger)),
    ...inventoryChecks(directory),
    ...(await slackChecks(config, slack)),
  ];
  process.stdout.write(`\nLive check:\n${liveTable(lines)}\n`);
  return lines.filter((l) => l.status === 'FAIL').length;
}

/**
 * After start, in the background: the same checks without Slack's (the transport already spoke to
 * it) and the inventory's (said at start). The failures only: the bot reports them and runs on,
 * since each concerns some attacks or hosts, not all.
 */
export async function problemsAfterStart(config: Config, hosts: readonly HostDef[], logger: Logger): Promise<LiveLine[]> {
  if (config.dryRun) return [];
  return (await worldChecks(config, hosts, logger)).filter((l) => l.status === 'FAIL');
}

/**
 * The rest of `check-config --live` at start, once, in the background: logged and told in the channel,
 * never refusing (each problem concerns some hosts, attacks or sources; the gates and the pre-flight
 * refuse what they must). Nothing is told once the bot is shutting down.
 */
export async function tellProblemsAfterStart(
  config: Config,
  hosts: readonly HostDef[],
  logger: Logger,
  announcer: Announcer,
  shuttingDown: () => boolean,
): Promise<void> {
  try {
    const problems = await problemsAfterStart(config, hosts, logger);
    if (problems.length === 0 || shuttingDown()) return;
    for (const p of problems) logger.warn({ check: p.what, problem: p.detail, fix: p.fix }, 'live check at start');
    const listed = problems.map((p) => ({ what: p.what, detail: p.detail }));
    await announcer.announce({ kind: 'notice', notice: { kind: 'live-check', problems: listed } });
  } catch (error) {
    logger.warn({ err: error }, 'live check at start failed');
  }
}
