import { SshError } from './errors.js';

/** POSIX single-quoting: the value reaches the shell as one literal word, whatever it holds. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * One shell word for a line a person reads: left bare when every shell (sh, bash, zsh, fish) reads it
 * literally as it stands, single-quoted otherwise.
 */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_@+,./:][A-Za-z0-9_@+,./:-]*$/.test(value) ? value : shellQuote(value);
}

/** Attack ids become file names and markers on the host: keep them plain. */
const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const ENV_KEY = /^CHAOSCAT_[A-Z0-9_]+$/;
/** `sh -c` takes one argument, and Linux caps one argument at 128 KiB. */
const MAX_SCRIPT_BYTES = 96 * 1024;

export function checkAttackId(id: string): string {
  if (!ID.test(id)) throw new SshError('SSH_INVALID_JOB', `attack id "${id}" is not a plain name`);
  return id;
}

/** `export K='v'` lines; keys must be CHAOSCAT_* (the bot builds them), values are quoted, never parsed. */
export function exportLines(env: Readonly<Record<string, string>>): string {
  return Object.entries(env)
    .map(([key, value]) => {
      if (!ENV_KEY.test(key)) throw new SshError('SSH_INVALID_JOB', `environment name "${key}" is not CHAOSCAT_*`);
      if (value.includes('\0')) throw new SshError('SSH_INVALID_JOB', `environment value of ${key} holds a NUL byte`);
      return `export ${key}=${shellQuote(value)}`;
    })
    .join('\n');
}

export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** Linux takes at most 128 KiB in one argument: the login shell gets the whole command as one. */
const MAX_COMMAND_BYTES = 127 * 1024;

/**
 * The exec command that runs `script` under /bin/sh whatever the login shell is (POSIX: sh, bash,
 * dash, zsh, ksh): the script travels single-quoted on the command line, where a POSIX shell takes
 * every byte literally (a quote is written '\''), so the host starts no process to decode it (each
 * one counts when fifty hosts start at once). `marker` is exported first and so lands in the
 * script's initial environment, where /proc/PID/environ shows it. The script's stdin is the
 * channel. Returned with no input: nothing needs to be written before the script runs.
 */
export function scriptCommand(script: string, marker?: string): { readonly command: string; readonly input: string } {
  if (script.includes('\0')) throw new SshError('SSH_INVALID_JOB', 'the remote script holds a NUL byte');
  const bytes = Buffer.byteLength(script);
  const command = `${marker ? `export ${shellQuote(marker)}; ` : ''}exec /bin/sh -c ${shellQuote(script)}`;
  if (bytes > MAX_SCRIPT_BYTES) {
    throw new SshError('SSH_INVALID_JOB', `the remote script is ${bytes} bytes; at most ${MAX_SCRIPT_BYTES} fit in one command`);
  }
  const commandBytes = Buffer.byteLength(command);
  if (commandBytes > MAX_COMMAND_BYTES) {
    // Quoting grows a script: every ' takes four bytes, and a script carried inside another is quoted twice.
    throw new SshError(
      'SSH_INVALID_JOB',
      `the remote script (${bytes} bytes) makes a command of ${commandBytes} bytes once quoted; at most ${MAX_COMMAND_BYTES} fit in one command (fewer single quotes in the attack's files and scripts make it smaller)`,
    );
  }
  return { command, input: '' };
}

/** A shell line that writes `text` to `path` exactly (base64 keeps any bytes safe). */
export function writeFileLine(path: string, text: string): string {
  return `printf %s ${shellQuote(base64(text))} | base64 -d > ${path} || exit 96`;
}

/**
 * A shell line that writes `text` to `path` exactly, with the shell's own printf (no process per
 * file, which counts when fifty hosts start at once). It is only ever part of a script that travels
 * single-quoted (scriptCommand), where single quotes keep every byte but NUL literal; text with a NUL goes base64.
 */
export function writeFileBuiltin(path: string, text: string): string {
  if (text.includes('\0')) return writeFileLine(path, text);
  return `printf %s ${shellQuote(text)} > ${path} || exit 96`;
}
