/** The time. No side effects. Tests inject a fixed or stepped clock. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}
