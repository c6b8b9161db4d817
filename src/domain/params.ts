import type { AttackDef, ParamSpec } from './model.js';

/**
 * Parameter values reach a script only as environment variables, quoted; still, a value must be
 * plain (no spaces, no shell characters) so that no script has to be careful with it.
 */
export const PLAIN_VALUE = /^[A-Za-z0-9@._:/,+=-]*$/;

/**
 * A value that begins with `-` is refused everywhere a var or parameter is set (config, inventory,
 * chat): a command it reaches could read it as an option (`pgrep -x "$P"` with P=-uroot matches
 * every root process). The shipped attacks also pass values after `--`; this rule is the second wall.
 */
export function looksLikeOption(value: string): boolean {
  return value.startsWith('-');
}
export const OPTION_LIKE = 'starts with "-", which a command could read as an option';
export const MAX_PARAM_CHARS = 100;
const NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;

export type ParamCheck =
  | { readonly ok: true; readonly values: Record<string, string> }
  | { readonly ok: false; readonly reason: string };

function unitOf(spec: ParamSpec): string {
  return spec.unit ? ` ${spec.unit}` : '';
}

/** Why one value breaks its parameter's bounds, or null when it keeps them. */
export function boundProblem(name: string, value: string, spec: ParamSpec | undefined): string | null {
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  if (value.length > MAX_PARAM_CHARS) return `${name} is longer than ${MAX_PARAM_CHARS} characters`;
  if (!PLAIN_VALUE.test(value)) {
    return `${name}=${shown} is not a plain value (letters, digits and @._:/,+=- only, no spaces or shell characters)`;
  }
  if (looksLikeOption(value)) return `${name}=${shown} ${OPTION_LIKE}`;
  if (!spec) return null;
  if (spec.enum && !spec.enum.includes(value)) return `${name}=${shown} is not one of ${spec.enum.join(', ')}`;
  if (spec.min !== undefined || spec.max !== undefined) {
    if (!NUMBER.test(value)) return `${name}=${shown} is not a number${unitOf(spec) ? ` of${unitOf(spec)}` : ''}`;
    const n = Number(value);
    if (spec.min !== undefined && n < spec.min) return `${name}=${shown} is below its min ${spec.min}${unitOf(spec)}`;
    if (spec.max !== undefined && n > spec.max) return `${name}=${shown} is above its max ${spec.max}${unitOf(spec)}`;
  }
  return null;
}

/**
 * The values an attack runs with: its defaults, with the overrides applied. An unknown name, a
 * value outside its bounds or not in its list is refused, naming the bound; nothing is guessed.
 * Names match case-insensitively (`delay_ms=800` sets DELAY_MS).
 */
export function checkParams(attack: AttackDef, overrides: Readonly<Record<string, string>>): ParamCheck {
  const values: Record<string, string> = { ...attack.params };
  const known = Object.keys(attack.params);
  for (const [typed, value] of Object.entries(overrides)) {
    const name = known.find((k) => k.toUpperCase() === typed.toUpperCase());
    if (name === undefined) {
      const shown = typed.length > 40 ? `${typed.slice(0, 40)}…` : typed;
      const has = known.length ? `its parameters: ${known.join(', ')}` : 'it takes no parameters';
      return { ok: false, reason: `${attack.name} has no parameter ${shown} (${has})` };
    }
    const problem = boundProblem(name, value, attack.paramSpecs?.[name]);
    if (problem) return { ok: false, reason: problem };
    values[name] = value;
  }
  return { ok: true, values };
}

/** "DELAY_MS: 200 ms (1–10000), SIGNAL: KILL (KILL, TERM)": what `attacks` and `help` show. */
export function paramSummary(attack: AttackDef): string {
  const parts = Object.entries(attack.params).map(([name, value]) => {
    const spec = attack.paramSpecs?.[name];
    if (!spec) return `${name}=${value}`;
    if (spec.enum) return `${name}=${value} (${spec.enum.join('|')})`;
    if (spec.min !== undefined || spec.max !== undefined) {
      return `${name}=${value} (${spec.min ?? ''}..${spec.max ?? ''}${unitOf(spec)})`;
    }
    return `${name}=${value}`;
  });
  return parts.join(', ');
}
