/** Stops a timer; calling it twice is harmless. */
export type Cancel = () => void;

/**
 * Timers: the other half of time. Side effects: calls `fn` later, on the event loop, never while a
 * caller is inside this port. Timers never keep the process alive. Tests inject manual timers and
 * step time instead of sleeping.
 */
export interface Timers {
  /** Calls `fn` once, `ms` from now. */
  after(ms: number, fn: () => void): Cancel;
  /** Calls `fn` every `ms` until cancelled. */
  every(ms: number, fn: () => void): Cancel;
}

/**
 * `work`'s answer, or `late` once `ms` passed first: a bounded wait on the injected timers, whose
 * timer is cancelled as soon as either settles (none outlives the wait).
 */
export function within<T, L>(timers: Timers, ms: number, work: Promise<T>, late: L): Promise<T | L> {
  let cancel: Cancel = () => {};
  const timeout = new Promise<L>((resolve) => {
    cancel = timers.after(ms, () => resolve(late));
  });
  return Promise.race([work, timeout]).finally(() => cancel());
}
