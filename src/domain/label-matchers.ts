/**
 * Alertmanager label matchers: `label="v"`, `label!="v"`, `label=~"re"`, `label!~"re"`.
 * Pure; used by the config schema (to reject a typo at start-up) and by the alertmanager provider
 * (to build the `filter=` query and to verify the answer on our side as well).
 */

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  readonly name: string;
  readonly op: MatchOp;
  readonly value: string;
  /** Anchored like Alertmanager's: `^(?:value)$`. Only for `=~` and `!~`. */
  readonly regex?: RegExp;
}

export type ParsedMatcher = { readonly ok: true; readonly matcher: Matcher } | { readonly ok: false; readonly error: string };

const LABEL = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SHAPE = /^\s*([^\s!=~]+)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;

/** Parses one matcher. The value may be double-quoted (with `\"`, `\\`, `\n` escapes) or bare. */
export function parseMatcher(text: string): ParsedMatcher {
  let body = text.trim();
  // Alertmanager also accepts a single matcher wrapped in braces: `{severity="critical"}`.
  if (body.startsWith('{') && body.endsWith('}')) body = body.slice(1, -1);
  const shape = SHAPE.exec(body);
  if (!shape) return fail(text, 'expected label="value", label!="value", label=~"regex" or label!~"regex"');
  const [, name = '', op = '=', rawValue = ''] = shape;
  if (!LABEL.test(name)) return fail(text, `"${name}" is not a valid label name`);
  const value = unquote(rawValue);
  if (value === undefined) return fail(text, 'the value has an unbalanced quote or a bad escape');
  const matchOp = op as MatchOp;
  if (matchOp === '=~' || matchOp === '!~') {
    const regex = anchored(value);
    if (!regex) return fail(text, `"${value}" is not a valid regular expression`);
    return { ok: true, matcher: { name, op: matchOp, value, regex } };
  }
  return { ok: true, matcher: { name, op: matchOp, value } };
}

/** Whether a label set satisfies one matcher; a missing label counts as the empty string, as in Alertmanager. */
export function matches(matcher: Matcher, labels: Readonly<Record<string, string>>): boolean {
  const actual = labels[matcher.name] ?? '';
  switch (matcher.op) {
    case '=':
      return actual === matcher.value;
    case '!=':
      return actual !== matcher.value;
    case '=~':
      return matcher.regex?.test(actual) ?? false;
    case '!~':
      return !(matcher.regex?.test(actual) ?? true);
  }
}

export function matchesAll(matchers: readonly Matcher[], labels: Readonly<Record<string, string>>): boolean {
  return matchers.every((m) => matches(m, labels));
}

/** The canonical text Alertmanager's `filter=` parameter accepts: `name op "escaped value"`. */
export function formatMatcher(matcher: Matcher): string {
  const escaped = matcher.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return `${matcher.name}${matcher.op}"${escaped}"`;
}

/**
 * Alertmanager anchors as `^(?:re)$` and speaks RE2, whose leading inline flags (`(?i)critical`)
 * JavaScript lacks: those few are turned into RegExp flags. Anything else RE2-only fails here.
 */
function anchored(value: string): RegExp | undefined {
  const flags = /^\(\?([ims]+)\)/.exec(value);
  const body = flags ? value.slice(flags[0].length) : value;
  try {
    return new RegExp(`^(?:${body})$`, [...new Set(flags?.[1] ?? '')].join(''));
  } catch {
    return undefined;
  }
}

function unquote(raw: string): string | undefined {
  if (!raw.startsWith('"')) return raw.includes('"') ? undefined : raw;
  if (raw.length < 2 || !raw.endsWith('"')) return undefined;
  const inner = raw.slice(1, -1);
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '"') return undefined;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = inner[++i];
    if (next === '\\' || next === '"') out += next;
    else if (next === 'n') out += '\n';
    else return undefined;
  }
  return out;
}

function fail(text: string, why: string): ParsedMatcher {
  return { ok: false, error: `invalid matcher '${text}': ${why}` };
}
