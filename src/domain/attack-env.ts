import type { AttackDef, HostDef } from './model.js';

function envName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/**
 * The environment an attack script sees, built only from validated config: the attack id, the
 * duration, the attack's params (CHAOSCAT_PARAM_*), the host's vars (CHAOSCAT_VAR_*), the SSH port
 * and the bot's addresses (which network attacks must spare). Parameter values may come from
 * run-once, but only after checkParams() held them to the attack's bounds and to plain characters;
 * the executor quotes every value (ssh/shell.ts exportLines), so none is parsed as shell text.
 */
export function attackEnv(input: {
  readonly id: string;
  /** Null for an orphan whose attack definition is gone: no params then. */
  readonly attack: AttackDef | null;
  readonly host: HostDef;
  readonly durationMs: number;
  readonly botAddresses: readonly string[];
  /** The values it runs with (checked against the attack's bounds); absent = the attack's defaults. */
  readonly params?: Readonly<Record<string, string>> | undefined;
}): Record<string, string> {
  const env: Record<string, string> = {
    CHAOSCAT_ATTACK_ID: input.id,
    CHAOSCAT_ATTACK: input.attack?.name ?? '',
    CHAOSCAT_HOST: input.host.name,
    CHAOSCAT_DURATION_S: String(Math.max(1, Math.round(input.durationMs / 1000))),
    CHAOSCAT_SSH_PORT: String(input.host.port),
    CHAOSCAT_BOT_ADDRS: input.botAddresses.join(','),
  };
  const params = { ...(input.attack?.params ?? {}), ...(input.params ?? {}) };
  for (const [k, v] of Object.entries(params)) env[`CHAOSCAT_PARAM_${envName(k)}`] = v;
  for (const [k, v] of Object.entries(input.host.vars)) env[`CHAOSCAT_VAR_${envName(k)}`] = v;
  return env;
}
