import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkHost, type HostCheck, installOnHost } from '../adapters/ssh/host-admin.js';
import { hostBundle, installScript, type RunnerPaths, sudoersLine } from '../adapters/ssh/host-runner.js';
import { runnerHome } from '../adapters/ssh/runner-paths.js';
import { createLogger } from '../adapters/system/logger.js';
import type { Config } from '../config/config.js';
import type { HostDef } from '../domain/model.js';
import { escapeText } from '../domain/visible-text.js';
import { errorMessage } from '../ports/errors.js';
import { eachBounded } from './bounded.js';
import { fail, readConfig } from './cli.js';
import { hostDirectory } from './parts.js';

export const HOSTS_USAGE = `Usage: chaoscat hosts check [HOST…|all]
       chaoscat hosts install [HOST…|all] [--print] [--sudoers FILE]
       chaoscat hosts bundle DIR [--sudoers FILE]
  check     per host: the runner's version and checksum, the attacks' checksums, cgroup v2 or not, and
            whether sudo lets the bot's user run the runner and nothing else; exit 2 on any problem
  install   install or update chaoscat-host and the attacks over SSH, through "sudo -n /bin/sh -s" once
            (a host whose sudo is already limited refuses: run the --print script there as root)
  --print   write the install script to stdout instead, for a person with root to run on each host
  bundle    write the runner, the attacks, vars.yml and the sudoers line to DIR, for the Ansible playbook
            deploy/ansible/chaoscat-host.yml
  --sudoers the sudoers file to write (default /etc/sudoers.d/chaoscat)
Docs: docs/host-runner.md`;

function runnerPaths(config: Config): RunnerPaths {
  return { runner: config.ssh.runnerPath, state: config.ssh.runnerState };
}

async function pickHosts(config: Config, names: readonly string[]): Promise<HostDef[]> {
  const directory = hostDirectory(config, createLogger({ level: 'warn' }));
  await directory.refreshAll();
  const all = directory.all();
  if (names.length === 0 || (names.length === 1 && names[0] === 'all')) return [...all];
  const unknown = names.filter((n) => !all.some((h) => h.name === n));
  if (unknown.length > 0) {
    fail(
      `unknown host ${unknown.map((n) => `"${escapeText(n)}"`).join(', ')}; known: ${all.map((h) => h.name).join(', ') || 'none'}`,
      2,
    );
  }
  return all.filter((h) => names.includes(h.name));
}

function table(rows: readonly HostCheck[]): string {
  const head = ['host', 'runner', 'attacks', 'cgroup', 'sudo'];
  const cells = rows.map((r) => [r.host, r.runner, r.attacks, r.cgroup, r.sudo].map((c) => escapeText(c)));
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [line(head), ...cells.map(line)];
  for (const r of rows) for (const p of r.problems) out.push(`  ${escapeText(r.host)}: ${escapeText(p)}`);
  return out.join('\n');
}

/** `chaoscat hosts …`: the installed runner on every host (docs/host-runner.md). */
export async function hostsCommand(argv: readonly string[]): Promise<void> {
  const at = argv.indexOf('hosts');
  let parsed: ReturnType<typeof parse>;
  const parse = () =>
    parseArgs({
      args: argv.slice(at + 1),
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string' },
        print: { type: 'boolean' },
        sudoers: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  try {
    parsed = parse();
  } catch (error) {
    fail(`${errorMessage(error)}\n${HOSTS_USAGE}`, 2);
  }
  const [verb, ...names] = parsed.positionals;
  if (parsed.values.help || verb === undefined) {
    if (verb === undefined && !parsed.values.help) fail(`hosts: which? check, install or bundle\n${HOSTS_USAGE}`, 2);
    process.stdout.write(`${HOSTS_USAGE}\n`);
    return;
  }
  const config = readConfig(argv);
  const paths = runnerPaths(config);
  const sudoers = parsed.values.sudoers ?? '/etc/sudoers.d/chaoscat';
  const deps = { settings: config.ssh, logger: createLogger({ level: 'warn' }), agentSocket: process.env.SSH_AUTH_SOCK };
  const ctx: HostsContext = { config, paths, sudoers, deps, names, print: parsed.values.print === true };
  switch (verb) {
    case 'check':
      return hostsCheck(ctx);
    case 'install':
      return hostsInstall(ctx);
    case 'bundle':
      return hostsBundle(ctx);
    default:
      fail(`hosts: unknown "${escapeText(verb)}"\n${HOSTS_USAGE}`, 2);
  }
}

interface HostsContext {
  readonly config: Config;
  readonly paths: RunnerPaths;
  readonly sudoers: string;
  readonly deps: Parameters<typeof checkHost>[0];
  /** The hosts named on the command line (a directory for bundle). */
  readonly names: readonly string[];
  readonly print: boolean;
}

/** `hosts check [HOST…]`: each host's runner, attacks, cgroup and sudo; exit 2 when one is not ready. */
async function hostsCheck({ config, paths, deps, names }: HostsContext): Promise<void> {
  const hosts = await pickHosts(config, names);
  const rows = await eachBounded(hosts, (h) => checkHost(deps, h, paths, config.attacks));
  process.stdout.write(`${table(rows)}\n`);
  const bad = rows.filter((r) => r.problems.length > 0);
  if (bad.length > 0) fail(`${bad.length} of ${rows.length} hosts not ready for ssh.hostRunner: installed`, 2);
  return;
}

/** `hosts install [HOST…|--print]`: installs over SSH with sudo once, or prints the script for a person. */
async function hostsInstall({ config, paths, sudoers, deps, names, print }: HostsContext): Promise<void> {
  if (print) {
    if (names.length > 0) fail('hosts install --print takes no host: the script is the same for every host', 2);
    process.stdout.write(installScript(paths, config.attacks, config.ssh.user, sudoers));
    return;
  }
  const hosts = await pickHosts(config, names);
  const results = await eachBounded(hosts, (h) =>
    installOnHost(deps, h, installScript(paths, config.attacks, h.user ?? config.ssh.user, sudoers)),
  );
  for (const r of results) {
    const lines = r.output.split('\n').filter((l) => l.startsWith('chaoscat install:') || !r.ok);
    process.stdout.write(
      `${escapeText(r.host)}: ${r.ok ? 'installed' : 'NOT installed'}\n${lines.map((l) => `  ${escapeText(l)}`).join('\n')}\n`,
    );
  }
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0) {
    fail(
      `${failed.length} of ${results.length} hosts not installed. Where the bot's user may not run "sudo -n /bin/sh" (as it should not, once limited), run the install as root there:\n  chaoscat hosts install --print > chaoscat-install.sh\n  scp chaoscat-install.sh HOST: && ssh -t HOST sudo sh chaoscat-install.sh\nor use the playbook deploy/ansible/chaoscat-host.yml (docs/host-runner.md)`,
      1,
    );
  }
  return;
}

/** `hosts bundle DIR`: the files for the shipped Ansible playbook. */
function hostsBundle({ config, paths, sudoers, names }: HostsContext): void {
  const dir = names[0];
  if (dir === undefined || names.length > 1) fail(`hosts bundle takes one directory\n${HOSTS_USAGE}`, 2);
  const out = resolve(dir);
  for (const f of hostBundle(paths, config.attacks)) {
    const path = join(out, 'home', f.path);
    mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
    writeFileSync(path, f.text);
    chmodSync(path, f.mode);
  }
  writeFileSync(join(out, 'sudoers'), sudoersLine(paths, config.ssh.user), { mode: 0o440 });
  writeFileSync(
    join(out, 'vars.yml'),
    `# Written by chaoscat hosts bundle: where the playbook puts things (from ssh.runnerPath, ssh.runnerState).\nchaoscat_home: ${JSON.stringify(runnerHome(paths))}\nchaoscat_state: ${JSON.stringify(paths.state)}\nchaoscat_sudoers: ${JSON.stringify(sudoers)}\n`,
  );
  writeFileSync(join(out, 'install.sh'), installScript(paths, config.attacks, config.ssh.user, sudoers), { mode: 0o644 });
  process.stdout.write(
    `chaoscat: wrote the runner, ${config.attacks.length} attacks, vars.yml, sudoers and install.sh to ${out}\n`,
  );
  return;
}
