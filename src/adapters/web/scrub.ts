/** Secrets never reach a page: the values of the configured token variables, and anything token-shaped. */
import type { HealthProviderConfig } from '../../config/health-schema.js';
import { type NameOf, plainText } from '../../words/tokens.js';
import { redact, secretValues } from '../health/secrets.js';

/** Slack tokens, bearer credentials and `password=…` pairs, as they might appear in output or reasons. */
const TOKEN_SHAPES: readonly (readonly [RegExp, string])[] = [
  [/\bx(?:ox[abposr]|app)-[A-Za-z0-9-]{8,}/g, '[redacted]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  [/\b(password|passwd|secret|token|api[_-]?key)(\s*[=:]\s*)[^\s;,]+/gi, '$1$2[redacted]'],
];

const SLACK_VARIABLES = ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET'];

/** A scrubber for the configured providers and this environment; the values are read once, at start. */
export function createScrubber(
  providers: readonly HealthProviderConfig[],
  env: NodeJS.ProcessEnv,
  nameOf?: NameOf,
): (text: string) => string {
  const names = [...SLACK_VARIABLES, ...providers.flatMap((p) => ('tokenEnv' in p && p.tokenEnv ? [p.tokenEnv] : []))];
  const secrets = secretValues(env, names);
  return (text) =>
    plainMentions(
      TOKEN_SHAPES.reduce((out, [shape, by]) => out.replace(shape, by), redact(text, secrets)),
      nameOf,
    );
}

/**
 * The app's marks as a page shows them: a person `@name` (the id while the name is unknown), a group
 * `@oncall`, a channel `#chaos`, `@here`, a time in the config's zone; never the raw `<@…>`.
 */
export function plainMentions(text: string, nameOf?: NameOf): string {
  return plainText(text, nameOf);
}
