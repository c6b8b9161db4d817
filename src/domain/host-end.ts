/**
 * What a host said of an attack's end, as data (issue 23): the executor reports these, the words
 * module tells them (src/words/host-ends.ts), and an `Ending` stores them. No sentence is built where
 * the facts are found.
 */

/** What a revert (a halt, a recovery, the check at the next contact) found on the host. */
export type RevertFound =
  /** Nothing of the attack was left and its rollback ran; `stuck`: the wrapper itself still runs. */
  | { readonly kind: 'gone'; readonly host: string; readonly stuck?: boolean | undefined }
  /**
   * Processes of the attack survived SIGKILL (`alive` of them), or none did but the rollback failed
   * (`alive` 0). `rollback`: its exit status (0: it ran), null: none could run (the attack is unknown).
   */
  | {
      readonly kind: 'left';
      readonly host: string;
      readonly alive: number;
      readonly rollback: number | null;
      readonly stuck?: boolean | undefined;
    }
  /** The halt ran but did not report (its last words, or its exit): the attack may still run. */
  | { readonly kind: 'no-report'; readonly host: string; readonly said: string }
  /** The halt did not finish in time: the attack may still run. */
  | { readonly kind: 'unfinished'; readonly host: string; readonly cause: string }
  /** The host could not be reached: the connection's error. */
  | { readonly kind: 'unreachable'; readonly cause: string }
  /** The halt could not be built (a bug, or a config the shell cannot carry). */
  | { readonly kind: 'unbuilt'; readonly cause: string }
  /** The attack had already ended by itself before the abort (and, if it failed, rolled back). */
  | { readonly kind: 'already'; readonly outcome: 'completed' | 'failed' | 'reverted'; readonly end: HostEnd | null }
  /** Dry run: nothing was touched, so nothing was undone. */
  | { readonly kind: 'dry-run' }
  /** The host is no longer configured: nothing could be asked. */
  | { readonly kind: 'unconfigured'; readonly host: string }
  /** Something threw while aborting or recovering: its message. */
  | { readonly kind: 'error'; readonly during: 'abort' | 'recover'; readonly cause: string };

/** How an attack ended on its host, when there is more to say than its outcome and exit status. */
export type HostEnd =
  /** The rollback failed (its exit status); `survivors`: processes of the attack also survived SIGKILL. */
  | { readonly kind: 'rollback-failed'; readonly exit: number; readonly survivors: boolean }
  /** Processes of the attack survived SIGKILL (the rollback ran). */
  | { readonly kind: 'survived-kill' }
  /** The host went down or cut the connection, as the attack intended (a reboot). */
  | { readonly kind: 'went-down'; readonly host: string; readonly heardEnd: boolean }
  /** The wrapper was told to stop (SIGTERM or lost stdin) and rolled back. */
  | { readonly kind: 'told-to-stop'; readonly host: string }
  /** The attack ignored SIGTERM at its deadline and was killed (it ran its full time). */
  | { readonly kind: 'ignored-term' }
  /** The attack exited with this status and was rolled back. */
  | { readonly kind: 'exited'; readonly status: number }
  /** Aborted (`why`: the abort's reason as asked): what the revert found. */
  | { readonly kind: 'aborted'; readonly why: string; readonly found: RevertFound }
  /** The connection was lost mid-attack: what the clean-up over a new connection found. */
  | { readonly kind: 'lost'; readonly host: string; readonly found: RevertFound }
  /** The start failed after the channel opened: the error's message. */
  | { readonly kind: 'not-started'; readonly cause: string }
  /** The executor itself failed (a bug): the error's message. */
  | { readonly kind: 'error'; readonly cause: string }
  /** Words an earlier version stored, before host ends were kept as data. */
  | { readonly kind: 'told'; readonly text: string };
