/**
 * Secrets come from environment variables named in config, never from the file. They are read at
 * each check and scrubbed from every reason and log line.
 */

export type Secret = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly reason: string };

export function readSecret(env: NodeJS.ProcessEnv, name: string): Secret {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    return { ok: false, reason: `no token: set the environment variable ${name}` };
  }
  return { ok: true, value: value.trim() };
}

/** Replaces every occurrence of a secret value with `***`. Very short values are left alone (too many false hits). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}

/** The values of the named variables that are set, for redaction. */
export function secretValues(env: NodeJS.ProcessEnv, names: readonly string[]): string[] {
  const values: string[] = [];
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) values.push(value);
  }
  return values;
}
