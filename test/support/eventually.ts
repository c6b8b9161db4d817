/** How long `eventually` keeps asking, and how often. */
export interface EventuallyOptions {
  /** Gives up after this long (default 20 s): a bound for a broken test, never a measurement. */
  readonly timeoutMs?: number;
  /** Asks again this long after the last answer (default 10 ms); a check that starts a process asks less often. */
  readonly everyMs?: number;
  /** Gives up at once when this names a reason: the process that was to make the check true has exited. */
  readonly giveUp?: () => string | undefined;
}

/** What a check answers while its condition does not hold yet. */
type NotYet = false | null | undefined;

/**
 * The one way a test waits (no fixed sleeps): asks `check` until it answers something other than
 * `false`, `null` or `undefined`, and resolves with that answer, so a check that finds something
 * (a process, a message, a probe's result) hands it back. A check that throws is asked again too,
 * so a check may throw to say what it last saw. On timeout the error says what was waited for
 * (`what`) and, when the check threw, its last error (kept as the cause).
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  what: string,
  { timeoutMs = 20_000, everyMs = 10, giveUp }: EventuallyOptions = {},
): Promise<Exclude<T, NotYet>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let threw = false;
  for (;;) {
    try {
      const answer = await check();
      threw = false;
      if (answer !== false && answer !== null && answer !== undefined) return answer as Exclude<T, NotYet>;
    } catch (error) {
      lastError = error;
      threw = true;
    }
    const reason = giveUp?.();
    if (reason !== undefined || Date.now() > deadline) {
      const why = reason === undefined ? `timed out after ${timeoutMs} ms` : `gave up (${reason})`;
      const last = threw ? `; the check last threw: ${lastError instanceof Error ? lastError.message : String(lastError)}` : '';
      throw new Error(`${why} waiting for ${what}${last}`, threw ? { cause: lastError } : undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
