/**
 * What the people on call said after an attack (issue 25): were they paged, did the runbook cover
 * it, and a note. Anyone may answer; each person's latest answer counts, field by field.
 */

export type Paged = 'yes' | 'no' | 'not-mine';
export type Coverage = 'yes' | 'partly' | 'no' | 'none';

export const PAGED: readonly Paged[] = ['yes', 'no', 'not-mine'];
export const COVERAGE: readonly Coverage[] = ['yes', 'partly', 'no', 'none'];

/** The longest note kept; a note is a sentence or two, not a postmortem. */
export const MAX_NOTE_CHARS = 400;

export interface Answer {
  readonly attackId: string;
  /** Who answered (a Slack user id, `console`). */
  readonly by: string;
  /** When they last answered, epoch ms. */
  readonly at: number;
  readonly paged: Paged | null;
  readonly runbook: Coverage | null;
  readonly note: string | null;
}

/** One answer as given: only the fields given change what that person said before. */
export type AnswerInput = Pick<Answer, 'attackId' | 'by' | 'at'> & Partial<Pick<Answer, 'paged' | 'runbook' | 'note'>>;

/** What an attack's answers say was missing: someone whose service it was was not paged; the runbook fell short. */
export interface Learned {
  readonly notPaged: boolean;
  /** The runbook did not cover it, covered it partly, or there is none. */
  readonly runbookGap: boolean;
}

/** `fixed #ID note`: an admin says what an attack's gaps showed has been dealt with. */
export interface GapFix {
  readonly attackId: string;
  readonly by: string;
  readonly at: number;
  readonly note: string;
}

export function learned(answers: readonly Answer[]): Learned {
  return {
    notPaged: answers.some((a) => a.paged === 'no'),
    runbookGap: answers.some((a) => a.runbook === 'no' || a.runbook === 'partly' || a.runbook === 'none'),
  };
}
