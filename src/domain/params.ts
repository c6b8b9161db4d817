import type { AttackDef, ParamSpec } from './model.js';
import type { ParamProblem } from './param-problem.js';

export type { ParamProblem } from './param-problem.js';

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
  | { readonly ok: false; readonly problem: ParamProblem };

/** A value cut at 40 characters, as it is shown back. */
function shownValue(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

/** Why one value breaks its parameter's bounds, or null when it keeps them. */
export function boundProblem(name: string, value: string, spec: ParamSpec | undefined): ParamProblem | null {
  const shown = shownValue(value);
  if (value.length > MAX_PARAM_CHARS) return { kind: 'too-long', name, max: MAX_PARAM_CHARS };
  if (!PLAIN_VALUE.test(value)) return { kind: 'not-plain', name, shown };
  if (looksLikeOption(value)) return { kind: 'option-like', name, shown };
  if (!spec) return null;
  if (spec.enum && !spec.enum.includes(value)) return { kind: 'not-listed', name, shown, list: spec.enum };
  if (spec.min !== undefined || spec.max !== undefined) {
    const unit = spec.unit ? spec.unit : null;
    if (!NUMBER.test(value)) return { kind: 'not-a-number', name, shown, unit };
    const n = Number(value);
    if (spec.min !== undefined && n < spec.min) return { kind: 'below-min', name, shown, bound: spec.min, unit };
    if (spec.max !== undefined && n > spec.max) return { kind: 'above-max', name, shown, bound: spec.max, unit };
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
      return { ok: false, problem: { kind: 'unknown-param', attack: attack.name, typed: shownValue(typed), known } };
    }
    const problem = boundProblem(name, value, attack.paramSpecs?.[name]);
    if (problem) return { ok: false, problem };
    values[name] = value;
  }
  return { ok: true, values };
}
