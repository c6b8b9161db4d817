import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostSchema } from '../../../src/config/field-schemas.js';
import { loadAttacks } from '../../../src/config/load.js';
import { checkHost } from '../../../src/domain/inventory-host.js';
import type { AttackDef } from '../../../src/domain/model.js';
import { checkParams } from '../../../src/domain/params.js';
import { tempDir } from '../../support/cleanup.js';

/**
 * Issue 22, case 4: a host var `process: "-uroot"` reached `pgrep -x`/`pkill -x` as an option. Every
 * shipped attack, with every parameter and host var set to a hostile value: the validators refuse
 * the value, and the attack's own scripts, run with it forced into the environment anyway, never
 * hand it to a command as an option nor run it. The scripts run under /bin/sh (as the wrapper runs
 * them) with a PATH of recording stubs only: nothing touches this machine.
 */
const library = loadAttacks(resolve(import.meta.dirname, '../../../attacks'));
const work = tempDir('chaoscat-hostile-');
const PWNED = join(work, 'pwned');
const HOSTILE = ['-u root', '-uroot', '--help', '-rf', `$(/usr/bin/touch ${PWNED})`, '$(id)', '`id`', 'x\n;id', ';id'];

/** Every command the shipped scripts call (and `id`/`touch`, which only an injection would call). */
const COMMANDS = [
  'awk',
  'cat',
  'dd',
  'df',
  'grep',
  'head',
  'id',
  'ip',
  'iptables',
  'ls',
  'nproc',
  'pgrep',
  'pkill',
  'rm',
  'sleep',
  'sudo',
  'systemctl',
  'tail',
  'tc',
  'touch',
  'tr',
];
const STUBS = join(work, 'bin');
spawnSync('/bin/mkdir', ['-p', STUBS]);
// Each call is recorded as its name and arguments (unit separators, record separator at the end).
// Enough plausible output that the scripts get as far as they would on a real host.
const STUB = `#!/bin/sh
name=\${0##*/}
{ printf '%s' "$name"; for a in "$@"; do printf '\\037%s' "$a"; done; printf '\\036'; } >> "$CC_LOG"
case "$name" in
  df) printf 'Filesystem 1024-blocks Used Available Capacity Mounted\\n/dev/x 900000000 0 900000000 0%% /\\n' ;;
  nproc) echo 2 ;;
  pgrep) echo 4242 ;;
  ip) echo 'default via 10.0.0.1 dev lo' ;;
  awk) exec /usr/bin/awk "$@" ;;
  tr) exec /usr/bin/tr "$@" ;;
  id|touch) echo "$name ran" >> "$CC_LOG.executed" ;;
  # As on a host where none of our chains exist yet: listing, checking or deleting one fails. So the
  # run scripts get past their "already running?" check, and the rollbacks' delete loops end.
  iptables) case " $* " in *" -L "*|*" -C "*|*" -D "*) exit 1 ;; esac ;;
esac
exit 0
`;
for (const c of COMMANDS) {
  writeFileSync(join(STUBS, c), STUB);
  chmodSync(join(STUBS, c), 0o755);
}

interface Call {
  readonly command: string;
  readonly args: readonly string[];
}

function runScript(script: string, env: Record<string, string>): { calls: Call[]; executed: string } {
  const log = join(work, 'calls.log');
  rmSync(log, { force: true });
  rmSync(`${log}.executed`, { force: true });
  spawnSync('/bin/sh', ['-c', script], { env: { ...env, PATH: STUBS, CC_LOG: log }, encoding: 'utf8', timeout: 10_000 });
  const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
  const calls = text
    .split('\x1e')
    .filter((r) => r !== '')
    .map((r) => {
      const [command = '', ...args] = r.split('\x1f');
      return { command, args };
    });
  return { calls, executed: existsSync(`${log}.executed`) ? readFileSync(`${log}.executed`, 'utf8') : '' };
}

/** Arguments that carry the hostile value where a command reads options: before its first `--`. */
function asOption(call: Call, value: string): string[] {
  const end = call.args.indexOf('--');
  const options = end === -1 ? call.args : call.args.slice(0, end);
  // dd's operands look like if=… / of=…: they are never options.
  if (call.command === 'dd') return [];
  return options.filter((a) => a.startsWith('-') && a.includes(value));
}

/** The keys an attack reads from outside: its parameters and the host vars it needs. */
function inputsOf(attack: AttackDef): { kind: 'param' | 'var'; name: string }[] {
  return [
    ...Object.keys(attack.params).map((name) => ({ kind: 'param' as const, name })),
    ...attack.hostVars.map((name) => ({ kind: 'var' as const, name })),
  ];
}

const cases = library.flatMap((attack) =>
  inputsOf(attack).flatMap((input) => HOSTILE.map((value) => [attack.name, input.kind, input.name, value, attack] as const)),
);

describe('hostile var and parameter values against every shipped attack', () => {
  it('covers every attack that reads a parameter or a host var', () => {
    const reading = library.filter((a) => inputsOf(a).length > 0).map((a) => a.name);
    expect(new Set(cases.map((c) => c[0]))).toEqual(new Set(reading));
    expect(reading).toEqual(expect.arrayContaining(['process-kill', 'service-restart', 'disk-fill', 'io-stress']));
  });

  it.each(cases)('%s %s %s=%j: refused by every validator', (_attack, kind, name, value, attack) => {
    if (kind === 'param') {
      const check = checkParams(attack, { [name]: value });
      expect(check.ok).toBe(false);
      expect(check).toMatchObject({ ok: false, problem: { name } });
      return;
    }
    const parsed = hostSchema.safeParse({ name: 'web-1', address: '10.0.0.1', vars: { [name]: value } });
    expect(parsed.success).toBe(false);
    const read = checkHost({ name: 'web-1', address: '10.0.0.1', port: 22, tags: ['web'], vars: { [name]: value } }, 'ansible');
    // From an inventory: the host is skipped (an option-like value) or the var is left out, never used.
    if (read.ok) expect(read.host.vars[name]).toBeUndefined();
    else expect(read.reason).toMatch(new RegExp(`web-1.*${name}`));
  });

  it.each(cases)('%s %s %s=%j: forced into the scripts, never an option, never run', (_attack, kind, name, value, attack) => {
    const env: Record<string, string> = {
      CHAOSCAT_ATTACK_ID: '7',
      CHAOSCAT_ATTACK: attack.name,
      CHAOSCAT_HOST: 'web-1',
      CHAOSCAT_DURATION_S: '1',
      CHAOSCAT_SSH_PORT: '22',
      CHAOSCAT_BOT_ADDRS: '10.9.9.9',
    };
    for (const [k, v] of Object.entries(attack.params)) env[`CHAOSCAT_PARAM_${k}`] = v;
    for (const v of attack.hostVars) env[`CHAOSCAT_VAR_${v.toUpperCase()}`] = 'nginx';
    env[kind === 'param' ? `CHAOSCAT_PARAM_${name}` : `CHAOSCAT_VAR_${name.toUpperCase()}`] = value;
    for (const script of [attack.run, attack.rollback]) {
      const { calls, executed } = runScript(script, env);
      for (const call of calls) expect(asOption(call, value), `${call.command} ${call.args.join(' ')}`).toEqual([]);
      expect(executed).toBe('');
      expect(existsSync(PWNED)).toBe(false);
    }
  });
});
