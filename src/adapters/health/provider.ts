/** What one health provider is, as the gate sees it. */

/** A provider's own answer; the gate adds name, kind and duration. */
export interface Verdict {
  readonly healthy: boolean;
  readonly reason: string;
  /**
   * Set when the source itself could not be read (unreachable, refused, a token missing, an answer
   * that is not what it should be): unhealthy all the same, and `check-config --live` names it a
   * failure, where an unhealthy answer is only the world as it is now.
   */
  readonly unread?: true;
}

export interface ProbeContext {
  /** Aborted when the provider's timeout or the whole-gate timeout passes: stop work, kill children. */
  readonly signal: AbortSignal;
  /** Where tokenEnv secrets are read from, at each check. */
  readonly env: NodeJS.ProcessEnv;
}

export interface Provider {
  readonly name: string;
  readonly kind: string;
  /** Its own time budget; the gate enforces it (and the whole-gate budget) and aborts the signal. */
  readonly timeoutMs: number;
  /** Environment variables holding secrets this provider uses; their values are scrubbed from reasons. */
  readonly secretEnv: readonly string[];
  /** Read-only probe. May throw or hang: the gate turns both into an unhealthy result. */
  probe(ctx: ProbeContext): Promise<Verdict>;
}

export function healthy(reason: string): Verdict {
  return { healthy: true, reason };
}

export function unhealthy(reason: string): Verdict {
  return { healthy: false, reason };
}

/** The source did not answer (or not readably): unhealthy, and marked so (Verdict.unread). */
export function unreadable(reason: string): Verdict {
  return { healthy: false, reason, unread: true };
}
