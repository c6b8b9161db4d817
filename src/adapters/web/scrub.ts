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
  return (text) => TOKEN_SHAPES.reduce((out, [shape, by]) => out.replace(shape, by), redact(text, secrets));
}
