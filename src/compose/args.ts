import { type ParseArgsConfig, parseArgs } from 'node:util';
import { errorMessage } from '../ports/errors.js';

/**
 * The command line, checked strictly before anything runs (issue 27): an unknown command or option,
 * or a missing value, is a usage error (exit 2), never ignored. `hosts` and `run-once` parse their
 * own options the same way (hosts-command.ts, pipeline-step.ts).
 */
export type Cli =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'command'; readonly command: string }
  | { readonly kind: 'usage-error'; readonly message: string };

const CONFIG = { config: { type: 'string' } } as const;
const COMMON = { ...CONFIG, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' } } as const;

/** Each command's options and how many positionals it takes after its name. */
const COMMANDS = {
  run: { options: { ...COMMON, console: { type: 'boolean' } }, positionals: 0 },
  'check-config': { options: { ...COMMON, live: { type: 'boolean' } }, positionals: 0 },
  export: {
    options: { ...COMMON, since: { type: 'string' }, until: { type: 'string' }, out: { type: 'string' } },
    positionals: 0,
  },
  backup: { options: { ...COMMON, force: { type: 'boolean' } }, positionals: 1 },
} as const;

/** Commands that check their own options (strictly too). */
const OWN_PARSER = new Set(['hosts', 'run-once']);

export const COMMAND_NAMES = [...Object.keys(COMMANDS), ...OWN_PARSER];

export function readCli(argv: readonly string[]): Cli {
  // The command: the first word that is neither an option nor the value of --config.
  const at = argv.findIndex((a, i) => !a.startsWith('-') && argv[i - 1] !== '--config');
  const command = at === -1 ? 'run' : (argv[at] as string);
  if (OWN_PARSER.has(command)) {
    if (argv.includes('--version') || argv.includes('-v')) return { kind: 'version' };
    return { kind: 'command', command };
  }
  const spec = COMMANDS[command as keyof typeof COMMANDS];
  if (!spec) {
    if (argv.includes('--version') || argv.includes('-v')) return { kind: 'version' };
    return { kind: 'usage-error', message: `unknown command "${command}"; commands: ${COMMAND_NAMES.join(', ')}` };
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: at === -1 ? [...argv] : [...argv.slice(0, at), ...argv.slice(at + 1)],
      options: spec.options as ParseArgsConfig['options'],
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return {
      kind: 'usage-error',
      message: `${command}: ${errorMessage(error).replace(/\. To specify a positional.*$/s, '')}`,
    };
  }
  if (parsed.values.version) return { kind: 'version' };
  if (parsed.values.help) return { kind: 'help' };
  if (parsed.positionals.length > spec.positionals) {
    return { kind: 'usage-error', message: `${command}: unexpected "${parsed.positionals[spec.positionals]}"` };
  }
  return { kind: 'command', command };
}
