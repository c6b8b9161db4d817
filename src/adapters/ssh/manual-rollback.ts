import { SshError } from './errors.js';
import type { RunnerPaths } from './host-runner.js';
import type { Hop, Route } from './route.js';
import { checkAttackId, shellWord } from './shell.js';

export interface ManualRollbackSpec {
  readonly id: string;
  /** The environment the attack ran with (domain attackEnv), validated by exportLines. */
  readonly env: Readonly<Record<string, string>>;
  readonly rollback: string;
  readonly sudo: boolean;
}

/** A login name ssh cannot read as an option or as part of the address. */
const USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
/** A host name or IPv4 address. */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}$/;
/** An IPv6 address, with an optional zone. */
const IPV6 = /^[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?$/;

function checkHop(hop: Hop, what: string): void {
  if (!USER.test(hop.user)) throw new SshError('SSH_CONFIG', `${what}: user "${hop.user}" cannot be put on an ssh command line`);
  if (!NAME.test(hop.address) && !IPV6.test(hop.address)) {
    throw new SshError('SSH_CONFIG', `${what}: address "${hop.address}" is not a host name or IP address`);
  }
  if (!Number.isInteger(hop.port) || hop.port < 1 || hop.port > 65535) {
    throw new SshError('SSH_CONFIG', `${what}: port ${hop.port} is not a TCP port`);
  }
}

/** `-J` takes `user@host:port`; an IPv6 address needs its brackets there. */
function jumpSpec(hop: Hop): string {
  const address = hop.address.includes(':') ? `[${hop.address}]` : hop.address;
  return `${hop.user}@${address}:${hop.port}`;
}

/**
 * One short line a person can read before pasting it: an `ssh` command that reaches the host as
 * the bot does (user, port, jump host) and runs the rollback file the wrapper kept on the host, as
 * the bot would (`sudo -n` for an attack that needs root, the command the push sudoers line allows).
 * Every value comes from validated config; a user or address that ssh could misread is refused
 * (SSH_CONFIG) rather than printed. Example:
 * `ssh -p 22 -J ops@bastion:22 chaoscat@10.0.0.5 sudo -n /bin/sh /tmp/chaoscat-7a1c-17/manual.sh`
 */
export function manualRollbackCommand(route: Route, spec: ManualRollbackSpec): string {
  checkHop(route, 'host');
  if (route.jump) checkHop(route.jump, 'jump host');
  const jump = route.jump ? ` -J ${shellWord(jumpSpec(route.jump))}` : '';
  const run = `${spec.sudo ? 'sudo -n ' : ''}/bin/sh /tmp/chaoscat-${checkAttackId(spec.id)}/manual.sh`;
  return `ssh -p ${route.port}${jump} ${shellWord(`${route.user}@${route.address}`)} ${run}`;
}

/**
 * The manual rollback on a host with the installed runner: one short line a person can read before
 * running it, `ssh -p 22 chaoscat@10.0.0.5 sudo /usr/local/libexec/chaoscat/chaoscat-host rollback ID`.
 * The runner kept the attack's environment and state under its state directory.
 */
export function manualRunnerRollback(route: Route, paths: RunnerPaths, id: string): string {
  checkHop(route, 'host');
  if (route.jump) checkHop(route.jump, 'jump host');
  const jump = route.jump ? ` -J ${shellWord(jumpSpec(route.jump))}` : '';
  return `ssh -t -p ${route.port}${jump} ${shellWord(`${route.user}@${route.address}`)} sudo ${shellWord(paths.runner)} rollback ${checkAttackId(id)}`;
}
