import type { AttackDef, HostDef } from './model.js';

function envName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/**
 * The environment an attack script sees, built only from validated config: the attack id, the
 * duration, the attack's params (CHAOSCAT_PARAM_*), the host's vars (CHAOSCAT_VAR_*), the SSH port
 * and the bot's addresses (which network attacks must spare). Never anything typed in chat.
 */
export function attackEnv(input: {
  readonly id: string;
  /** Null for an orphan whose attack definition is gone: no params then. */
  readonly attack: AttackDef | null;
  readonly host: HostDef;
  readonly durationMs: number;
  readonly botAddresses: readonly string[];
}): Record<string, string> {
  const env: Record<string, string> = {
    CHAOSCAT_ATTACK_ID: input.id,
    CHAOSCAT_ATTACK: input.attack?.name ?? '',
    CHAOSCAT_HOST: input.host.name,
    CHAOSCAT_DURATION_S: String(Math.max(1, Math.round(input.durationMs / 1000))),
    CHAOSCAT_SSH_PORT: String(input.host.port),
    CHAOSCAT_BOT_ADDRS: input.botAddresses.join(','),
  };
  for (const [k, v] of Object.entries(input.attack?.params ?? {})) env[`CHAOSCAT_PARAM_${envName(k)}`] = v;
  for (const [k, v] of Object.entries(input.host.vars)) env[`CHAOSCAT_VAR_${envName(k)}`] = v;
  return env;
}
