/** Secrets never reach a page: the values of the configured token variables, and anything token-shaped. */
import type { HealthProviderConfig } from '../../config/health-schema.js';
import { redact, secretValues } from '../health/secrets.js';

/** Slack tokens, bearer credentials and `password=…` pairs, as they might appear in output or reasons. */
const TOKEN_SHAPES: readonly (readonly [RegExp, string])[] = [
  [/\bx(?:ox[abposr]|app)-[A-Za-z0-9-]{8,}/g, '[redacted]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  [/\b(password|passwd|secret|token|api[_-]?key)(\s*[=:]\s*)[^\s;,]+/gi, '$1$2[redacted]'],
];

const SLACK_VARIABLES = ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET'];

/** A scrubber for the configured providers and this environment; the values are read once, at start. */
export function createScrubber(providers: readonly HealthProviderConfig[], env: NodeJS.ProcessEnv): (text: string) => string {
  const names = [...SLACK_VARIABLES, ...providers.flatMap((p) => ('tokenEnv' in p && p.tokenEnv ? [p.tokenEnv] : []))];
  const secrets = secretValues(env, names);
  return (text) => plainMentions(TOKEN_SHAPES.reduce((out, [shape, by]) => out.replace(shape, by), redact(text, secrets)));
}

/**
 * Slack's markup as a page shows it: `<@U0ADMIN>` → `@U0ADMIN`, `<!subteam^S0ONCALL>` → `@S0ONCALL`,
 * `<!here>` → `@here`, `<#C0CHAOS>` → `#C0CHAOS`; never the raw `<@…>`. (Display names would need a
 * Slack lookup the archive does not make: the ID stays.)
 */
export function plainMentions(text: string): string {
  return text
    .replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<!(here|channel|everyone)>/g, '@$1')
    .replace(/<#([CGD][A-Z0-9]+)(?:\|[^>]*)?>/g, '#$1');
}
