import { CodedError } from '../ports/errors.js';
/** A configuration problem: names the file, the field and what was expected. Exit code 2. */
export class ConfigError extends CodedError<'CONFIG_INVALID'> {
  constructor(
    readonly problems: readonly string[],
    options: { readonly cause?: unknown } = {},
  ) {
    super('CONFIG_INVALID', problems.join('\n'), options);
  }
}

export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(top level)';
}
