import type { Answer, AnswerInput, GapFix } from '../domain/answers.js';

/**
 * The answers people gave after attacks, kept across restarts. Side effects: `record` writes the
 * database (a failed write throws); reads have none.
 */
export interface AnswerLog {
  /** Keeps one person's answer; the fields it gives replace what that person said before. */
  record(answer: AnswerInput): void;
  /** Every person's latest answer on one attack, oldest first. */
  answersOf(attackId: string): Answer[];
  /** The answers on these attacks, by attack id (the report and the archive read many at once). */
  answersFor(attackIds: readonly string[]): Map<string, Answer[]>;
  /** An admin says the gaps attack #ID found are fixed; a second time replaces the first. */
  markFixed(fix: GapFix): void;
  /** The fixes of these attacks, by attack id. */
  fixesFor(attackIds: readonly string[]): Map<string, GapFix>;
}
