import { type Answer, type Coverage, learned, type Paged } from '../domain/answers.js';
import { monitoringGap } from '../domain/detection.js';
import type { GapEntry, GapKind } from '../domain/gaps.js';
import type { AttackRecord } from '../domain/model.js';
import { plural } from './common.js';
import { attackLine, localTime, who } from './format.js';

export const PAGED_WORDS: Readonly<Record<Paged, string>> = { yes: 'Yes', no: 'No', 'not-mine': 'Not my service' };
export const COVERAGE_WORDS: Readonly<Record<Coverage, string>> = { yes: 'Yes', partly: 'Partly', no: 'No', none: 'No runbook' };

const PAGED_SAID: Readonly<Record<Paged, string>> = { yes: 'paged', no: 'NOT paged', 'not-mine': 'not their service' };
const COVERAGE_SAID: Readonly<Record<Coverage, string>> = {
  yes: 'the runbook covered it',
  partly: 'the runbook covered it partly',
  no: 'the runbook did NOT cover it',
  none: 'there is NO runbook',
};

/** The typed form, for the console and for anyone who prefers typing to buttons. */
export function answerUsage(id: string): string {
  return `answer #${id} paged=yes|no|not-mine runbook=yes|partly|no|none note TEXT`;
}

/** Asked in the attack's thread once its verdict is known. */
export function questionsText(r: AttackRecord, runbook: string | null): string {
  const book = runbook ? ` Runbook: ${runbook}` : '';
  return `What did we learn from ${attackLine(r)}? Were you paged? Did the runbook cover it?${book} Anyone on call may answer: \`${answerUsage(r.id)}\` (each person's latest answer counts).`;
}

/** "paged; the runbook covered it partly; note: …" — one person's answer, as they gave it. */
export function answerWords(a: {
  readonly paged?: Paged | null;
  readonly runbook?: Coverage | null;
  readonly note?: string | null;
}): string {
  const parts = [
    ...(a.paged ? [PAGED_SAID[a.paged]] : []),
    ...(a.runbook ? [COVERAGE_SAID[a.runbook]] : []),
    ...(a.note ? [`note: ${a.note}`] : []),
  ];
  return parts.length ? parts.join('; ') : 'nothing yet';
}

/** The answers on one attack, a line each: who, when, what ("history #ID", the export's readers, the archive). */
export function answerLines(answers: readonly Answer[], timezone: string): string[] {
  if (answers.length === 0) return ['What we learned: nobody has answered yet.'];
  return [
    `What we learned (${plural(answers.length, 'answer')}):`,
    ...answers.map((a) => `  ${who(a.by)} at ${localTime(a.at, timezone)}: ${answerWords(a)}`),
  ];
}

/**
 * The report's line on what the day's live attacks taught: how many were answered, and the gaps
 * found (nobody paged, a runbook that fell short or is missing), each by its attack. Null without
 * a live attack.
 */
export function learnedLine(
  attacks: readonly Pick<AttackRecord, 'id' | 'attack' | 'host' | 'dryRun' | 'verdict' | 'detection'>[],
  answers: ReadonlyMap<string, readonly Answer[]>,
): string | null {
  const live = attacks.filter((r) => !r.dryRun);
  if (live.length === 0) return null;
  const answered = live.filter((r) => (answers.get(r.id)?.length ?? 0) > 0);
  const name = (r: Pick<AttackRecord, 'id' | 'attack' | 'host'>) => `#${r.id} ${r.attack} on ${r.host}`;
  const notPaged = answered.filter((r) => learned(answers.get(r.id) ?? []).notPaged).map(name);
  const runbook = answered.filter((r) => learned(answers.get(r.id) ?? []).runbookGap).map(name);
  const unnoticed = live.filter(monitoringGap).map(name);
  const list = (names: readonly string[]) =>
    `${names.slice(0, 5).join(', ')}${names.length > 5 ? ` +${names.length - 5} more` : ''}`;
  const gaps = [
    ...(unnoticed.length ? [`monitoring gaps: ${list(unnoticed)}`] : []),
    ...(notPaged.length
      ? [`not paged: ${notPaged.slice(0, 5).join(', ')}${notPaged.length > 5 ? ` +${notPaged.length - 5} more` : ''}`]
      : []),
    ...(runbook.length
      ? [`runbook gaps: ${runbook.slice(0, 5).join(', ')}${runbook.length > 5 ? ` +${runbook.length - 5} more` : ''}`]
      : []),
  ];
  const head = `*What we learned:* ${answered.length} of ${plural(live.length, 'live attack')} answered`;
  return gaps.length ? `${head}; ${gaps.join('; ')}` : `${head}; no gaps reported`;
}

export const GAP_WORDS: Readonly<Record<GapKind, string>> = {
  monitoring: 'monitoring gap',
  'not-paged': 'not paged',
  runbook: 'runbook gap',
};

/**
 * The week's line of the daily report: how many attacks found gaps, and which are still open, so a
 * team sees its backlog shrink. Null when the week found none.
 */
export function gapWeekLine(entries: readonly GapEntry[]): string | null {
  if (entries.length === 0) return null;
  const open = entries.filter((e) => e.fixed === null);
  const shown = open
    .slice(0, 5)
    .map((e) => `#${e.record.id} ${e.record.attack} on ${e.record.host} (${e.gaps.map((g) => GAP_WORDS[g]).join(', ')})`);
  const more = open.length > 5 ? ` +${open.length - 5} more` : '';
  const head = `*Gaps, last 7 days:* ${plural(entries.length, 'attack')} found gaps`;
  return open.length === 0
    ? `${head}, all marked fixed`
    : `${head}; ${open.length} still open: ${shown.join(', ')}${more} — an admin says \`fixed #ID note\` once one is dealt with`;
}

/** What `answer #ID …` and `fixed #ID [note]` did, or why they did nothing. */
export type LearnedAnswer =
  /** This bot keeps no answers (nor, so, gaps). */
  | { readonly kind: 'not-kept'; readonly what: 'answers' | 'gaps' }
  /** No attack has that id; `inTeam` when the bot serves several teams. */
  | { readonly kind: 'no-attack'; readonly id: string; readonly inTeam: boolean }
  | { readonly kind: 'dry-run'; readonly record: AttackRecord }
  | { readonly kind: 'not-ended'; readonly record: AttackRecord }
  /** The answer as it now stands for that person. */
  | {
      readonly kind: 'noted';
      readonly record: AttackRecord;
      readonly answer: { readonly paged?: Paged | null; readonly runbook?: Coverage | null; readonly note?: string | null };
    }
  | { readonly kind: 'no-gaps'; readonly record: AttackRecord }
  | {
      readonly kind: 'fixed';
      readonly by: string;
      readonly record: AttackRecord;
      readonly gaps: readonly GapKind[];
      readonly note: string;
    };

export function learnedAnswerText(a: LearnedAnswer): string {
  switch (a.kind) {
    case 'not-kept':
      return a.what === 'answers' ? 'Answers are not kept by this bot.' : 'Gaps are not kept by this bot.';
    case 'no-attack':
      return `There is no attack #${a.id}${a.inTeam ? ' in this team' : ''}.`;
    case 'dry-run':
      return `${attackLine(a.record)} was a dry run: it touched nothing, so there is nothing to learn from it.`;
    case 'not-ended':
      return `${attackLine(a.record)} has not ended yet: answer once it has.`;
    case 'noted':
      return `Thanks — noted for ${attackLine(a.record)}: ${answerWords(a.answer)}.`;
    case 'no-gaps':
      return `${attackLine(a.record)} found no gaps (no monitoring gap, nobody said they were not paged or that the runbook fell short).`;
    case 'fixed': {
      const what = a.gaps.map((g) => GAP_WORDS[g]).join(', ');
      return `${who(a.by)} marked the gaps of ${attackLine(a.record)} fixed (${what})${a.note ? `: ${a.note}` : ''}.`;
    }
  }
}
