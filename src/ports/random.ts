/** Randomness. No side effects beyond advancing its own sequence. Tests inject a scripted one. */
export interface Random {
  /** A number in [0, 1). */
  next(): number;
}
