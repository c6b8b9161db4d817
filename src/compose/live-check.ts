import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { buildProvider } from '../adapters/health/gate.js';
import { providerNames } from '../adapters/health/names.js';
import type { SlackEnv } from '../adapters/slack/env.js';
import type { Config } from '../config/config.js';
import type { HealthProviderConfig } from '../config/health-schema.js';
import type { HostDef } from '../domain/model.js';
import type { Announcer } from '../ports/chat.js';
import { errorMessage } from '../ports/errors.js';
import type { HostDirectory } from '../ports/host-directory.js';
import { plural } from '../words/common.js';
import { slackChecks } from './live-check-slack.js';
import { hostChecks, knownHostsChecks, targetChecks } from './live-host-checks.js';
import { bad, type LiveLine, liveTable, note, ok, readable } from './live-lines.js';

export type { LiveLine } from './live-lines.js';

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
        return bad(what, errorMessage(error), `fix the ${c.kind} source in the config`);
      }
    }),
  );
}

export function inventoryChecks(directory: HostDirectory): LiveLine[] {
  return directory
    .sources()
    .map((s) =>
      s.error === null
        ? ok(`inventory ${s.id}`, plural(s.hosts, 'host'))
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
