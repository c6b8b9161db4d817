import { formatDuration } from '../domain/duration.js';
import type { GameDayDef, GameDayNotice, GameDaySkip } from '../domain/game-day.js';
import { plural } from './common.js';
import { who } from './format.js';
import { refusalText } from './refusals.js';
import { when } from './tokens.js';

/** "Fri 2026-11-27 14:00 (America/Los_Angeles)". */
export function whenText(at: number, timezone: string): string {
  return when(at, timezone, 'ccc yyyy-MM-dd HH:mm');
}

function shape(n: Pick<GameDayNotice, 'params' | 'blast'>): string {
  const parts = Object.entries(n.params).map(([k, v]) => `${k}=${v}`);
  if (n.blast?.percent !== undefined) parts.push(`${n.blast.percent}% of its hosts`);
  if (n.blast?.count !== undefined) parts.push(plural(n.blast.count, 'host'));
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** "1 of 2 approvals", "no approval needed". */
export function approvalText(required: number, approvedBy: readonly string[]): string {
  if (required === 0) return 'no approval needed';
  const have = Math.min(approvedBy.length, required);
  return `${have} of ${plural(required, 'approval')}`;
}

/** Why a game day did not start, from its data. */
export function gameDaySkipText(s: GameDaySkip, timezone: string): string {
  switch (s.kind) {
    case 'not-running':
      return 'missed: ChaosCat was not running at its start';
    case 'late':
      return `missed: ChaosCat woke up ${s.minutes} min after the start`;
    case 'skipped':
      return s.detail ?? 'skipped';
    case 'unapproved':
      return `not approved: ${approvalText(s.approvals, s.approvedBy)} by the start`;
    case 'unreadable':
      return s.cause;
    case 'gone':
      return `the attack ${s.attack} is no longer in the catalogue`;
    case 'refused':
      return refusalText(s.refusal, timezone);
  }
}

export function approversText(approvals: number, approvedBy: readonly string[]): string {
  const by = approvedBy.length ? `: ${approvedBy.map(who).join(', ')}` : '';
  return `${approvalText(approvals, approvedBy)}${by}`;
}

/** The plain text of a notice: the console prints it, Slack uses it as the fallback and heading. */
export function noticeText(n: GameDayNotice): string {
  const dry = n.dryRun ? '[dry run] ' : '';
  const head = `${dry}Game day ${n.name}: ${n.attack}${shape(n)} starts ${whenText(n.at, n.timezone)}.`;
  const gates = 'It starts only if the team is not halted and healthy then; business hours do not apply.';
  const ask =
    n.approvals === 0
      ? `No approval needed; an admin can still cancel it: \`skip ${n.name}\`.`
      : `Needs ${n.approvals === 1 ? 'the approval of an admin' : `the approvals of ${n.approvals} admins`} (\`approve ${n.name}\`), else it is skipped; \`skip ${n.name}\` cancels it. ${approversText(n.approvals, n.approvedBy)}.`;
  return `${head} ${ask} ${gates}`;
}

/** The status line of the next game day. */
export function nextGameDayText(
  def: GameDayDef,
  at: number,
  timezone: string,
  announced: boolean,
  approvedBy: readonly string[],
): string {
  const notice = announced
    ? `notice posted; ${approversText(def.approvals, approvedBy)}`
    : `notice ${formatDuration(def.announceMs)} ahead`;
  return `Next game day: ${def.name} — ${def.attack} at ${whenText(at, timezone)}; ${notice}.`;
}

/** What an admin's `approve` or `skip` of a game day did, or why it did nothing. */
export type GameDayAnswer =
  | {
      readonly kind: 'approved' | 'approved-again';
      readonly name: string;
      readonly at: number;
      readonly by: string;
      readonly approvals: number;
      readonly approvedBy: readonly string[];
    }
  | { readonly kind: 'skipped'; readonly name: string; readonly at: number; readonly by: string }
  | { readonly kind: 'unknown'; readonly name: string; readonly known: readonly string[] }
  | { readonly kind: 'not-admin'; readonly verb: 'approve' | 'skip'; readonly admins: string }
  /** A button of an older notice: that occurrence is over (null) or settled. */
  | { readonly kind: 'stale'; readonly at: number; readonly state: string | null }
  /** Nothing announced yet: when its notice is posted (null: no next occurrence). */
  | { readonly kind: 'not-yet'; readonly verb: 'approve' | 'skip'; readonly name: string; readonly noticeAt: number | null }
  | {
      readonly kind: 'settled';
      readonly name: string;
      readonly at: number;
      readonly state: string;
      readonly detail: string | null;
    };

/** The words an admin's skip is kept with (the occurrence's detail). */
export function skippedByText(user: string): string {
  return `skipped by ${who(user)}`;
}

export function gameDayAnswerText(a: GameDayAnswer, timezone: string): string {
  switch (a.kind) {
    case 'approved':
      return `${who(a.by)} approved game day ${a.name} (${whenText(a.at, timezone)}): ${approversText(a.approvals, a.approvedBy)}.`;
    case 'approved-again':
      return `${who(a.by)} had already approved game day ${a.name} (${whenText(a.at, timezone)}); an approval counts once: ${approversText(a.approvals, a.approvedBy)}.`;
    case 'skipped':
      return `Game day ${a.name} (${whenText(a.at, timezone)}) is cancelled: ${skippedByText(a.by)}.`;
    case 'unknown':
      return `No game day is named "${a.name}" here (game days: ${a.known.join(', ') || 'none are configured'}).`;
    case 'not-admin':
      return `Sorry, only admins may ${a.verb} a game day. ${a.admins}`;
    case 'stale':
      return `That notice was for ${whenText(a.at, timezone)}, which is ${a.state ?? 'over'}; nothing changed.`;
    case 'not-yet': {
      const when =
        a.noticeAt === null ? 'no next occurrence is scheduled' : `its notice is posted ${whenText(a.noticeAt, timezone)}`;
      return `Nothing to ${a.verb} yet for game day ${a.name}: ${when}.`;
    }
    case 'settled':
      return `Game day ${a.name} (${whenText(a.at, timezone)}) is already ${a.state}${a.detail ? `: ${a.detail}` : ''}.`;
  }
}
