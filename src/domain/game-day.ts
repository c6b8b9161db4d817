import type { CronFields } from './game-day-schedule.js';
import type { Refusal } from './refusal.js';

/** A planned, announced drill (config `gameDays:`); validated at load (config/game-days.ts). */
export interface GameDayDef {
  readonly name: string;
  /** The `at:` text as written, for messages. */
  readonly at: string;
  readonly cron: CronFields;
  readonly attack: string;
  /** Parameter overrides by name (names checked against the attack's params at load). */
  readonly params: Readonly<Record<string, string>>;
  readonly blast: { readonly count?: number; readonly percent?: number } | undefined;
  /** How long before the start the notice with Approve and Skip is posted. */
  readonly announceMs: number;
  /** How many different admins must approve; 0 = none. */
  readonly approvals: number;
  /** Once approved, how long before the start no scheduled attack starts; absent: the schedule's cooldown. */
  readonly quietBeforeMs?: number;
}

/**
 * What became of one occurrence. `announced`: the notice is out, approvals are being collected;
 * the other states are final: `skipped` (by an admin, or at the start for a reason), `started`.
 */
export type OccurrenceState = 'announced' | 'skipped' | 'started';

/** One occurrence of a game day, as stored: it survives a restart with its approvals. */
export interface Occurrence {
  readonly name: string;
  /** Epoch ms of the start. */
  readonly at: number;
  readonly state: OccurrenceState;
  readonly announcedAt: number;
  /** Admins who approved, in the order they did, each once. */
  readonly approvedBy: readonly string[];
  /** Why it was skipped, or the attack id it started. */
  readonly detail: string | null;
}

/** The same admin approving twice counts once; returns the approvers with `user` added. */
export function withApproval(approvedBy: readonly string[], user: string): { approvedBy: string[]; counted: boolean } {
  if (approvedBy.includes(user)) return { approvedBy: [...approvedBy], counted: false };
  return { approvedBy: [...approvedBy, user], counted: true };
}

export function isApproved(required: number, approvedBy: readonly string[]): boolean {
  return new Set(approvedBy).size >= required;
}

/** When the notice of an occurrence at `at` is due. */
export function noticeAt(def: Pick<GameDayDef, 'announceMs'>, at: number): number {
  return at - def.announceMs;
}

/**
 * What the start of an occurrence may do before the runner's own gates (halt, in flight, hearing,
 * health): skipped by an admin, or not approved enough, is a skip with the reason. Pure.
 */
export function startCheck(
  def: Pick<GameDayDef, 'approvals'>,
  occurrence: Pick<Occurrence, 'state' | 'approvedBy' | 'detail'> | null,
): { ok: true } | { ok: false; skip: GameDaySkip } {
  if (occurrence?.state === 'skipped') return { ok: false, skip: { kind: 'skipped', detail: occurrence.detail } };
  const approvedBy = occurrence?.approvedBy ?? [];
  if (!isApproved(def.approvals, approvedBy)) {
    return { ok: false, skip: { kind: 'unapproved', approvals: def.approvals, approvedBy } };
  }
  return { ok: true };
}

/** Why a game day did not start, as data (words/game-day.ts `skipText` says it). */
export type GameDaySkip =
  /** Its start passed while ChaosCat was not running. */
  | { readonly kind: 'not-running' }
  /** ChaosCat woke up this many minutes after its start: not run late. */
  | { readonly kind: 'late'; readonly minutes: number }
  /** Skipped before its start (an admin's `skip`): the words kept with it. */
  | { readonly kind: 'skipped'; readonly detail: string | null }
  /** Too few approvals by the start. */
  | { readonly kind: 'unapproved'; readonly approvals: number; readonly approvedBy: readonly string[] }
  /** Its record could not be read: without it nothing says it was approved. */
  | { readonly kind: 'unreadable'; readonly cause: string }
  /** Its attack is no longer in the catalogue. */
  | { readonly kind: 'gone'; readonly attack: string }
  /** The runner's gates refused it. */
  | { readonly kind: 'refused'; readonly refusal: Refusal };

/** The notice of one occurrence, as every transport shows it (Slack adds the buttons). */
export interface GameDayNotice {
  readonly name: string;
  readonly attack: string;
  /** Epoch ms of the start. */
  readonly at: number;
  readonly timezone: string;
  readonly params: Readonly<Record<string, string>>;
  readonly blast: GameDayDef['blast'];
  readonly approvals: number;
  readonly approvedBy: readonly string[];
  readonly dryRun: boolean;
}
