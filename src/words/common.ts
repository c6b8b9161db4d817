/** "1 attack", "2 attacks", "0 hosts": a count with its noun, singular only for exactly one. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${noun(n, one, many)}`;
}

/** The noun alone for a count: "command" for one, "commands" otherwise ("missing commands x, y"). */
export function noun(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}

/** Exit statuses people recognise: `timeout`'s 124, a shell's 126/127, and 128+N for a signal. */
const SIGNAL_NUMBERS: Readonly<Record<number, string>> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  6: 'SIGABRT',
  9: 'SIGKILL',
  13: 'SIGPIPE',
  14: 'SIGALRM',
  15: 'SIGTERM',
};

/** How an attack's run ended, for its ending line: a completed attack that `timeout` ended at its deadline ran as planned. */
export function endWords(state: string, code: number | null, signal: string | null): string {
  return state === 'completed' && code === 124 && !signal ? 'ran to its deadline' : exitWords(code, signal);
}

/**
 * How a process ended, in words: "exit 0", "timed out (exit 124)", "killed by SIGKILL",
 * "failed (exit 2)". The status stays in brackets for whoever greps a log for it.
 */
export function exitWords(code: number | null, signal: string | null): string {
  if (signal) return `killed by ${signal}`;
  if (code === null) return 'ended without a status';
  if (code === 0) return 'exit 0';
  if (code === 124) return 'timed out (exit 124)';
  if (code === 126) return 'could not run: not executable (exit 126)';
  if (code === 127) return 'could not run: command not found (exit 127)';
  const sig = code > 128 ? SIGNAL_NUMBERS[code - 128] : undefined;
  if (sig) return `killed by ${sig} (exit ${code})`;
  return `failed (exit ${code})`;
}

/** Why the bot shut down, in a few words: "received SIGTERM", or that the console's input ended. */
export function shutdownText(signal: string | null): string {
  return signal ? `received ${signal}` : 'console input ended';
}
