import { isAutomaticAbort } from './ending.js';
/** One attack as the timeline draws it: its bar, its detect → recover span, how it was cut short. Pure. */
import type { AttackRecord, AttackState, VerdictKindStored } from './model.js';

/** On an attack's row: from the first failing probe to the steady state holding again. */
export interface VerdictSpan {
  readonly start: number;
  readonly end: number;
  /** Not recovered: still failing when the verdict was given; drawn to the bar's end, with no end of its own. */
  readonly open: boolean;
}

export interface AttackBar {
  readonly id: string;
  readonly attack: string;
  readonly host: string;
  readonly state: AttackState;
  readonly start: number;
  readonly end: number;
  readonly dryRun: boolean;
  /** Null while pending, or for attacks from before verdicts. */
  readonly verdict: VerdictKindStored | null;
  readonly span: VerdictSpan | null;
  /** How it was cut short, when it was: by a `stop`, or by the health gate (its own probes included). */
  readonly ending?: AttackEnding | null;
}

export type AttackEnding = 'stopped' | 'aborted';

/**
 * From the recorded ending (data, never the reason sentence): cut short by a person, or by the bot's
 * own watch (health, its steady state, deafness), as the report's auto-abort list counts them.
 */
export function endingOf(r: Pick<AttackRecord, 'ending'>): AttackEnding | null {
  if (isAutomaticAbort(r.ending)) return 'aborted';
  if (r.ending?.kind === 'stopped') return 'stopped';
  return null;
}

export function bar(r: AttackRecord, limit: number): AttackBar {
  const start = r.startedAt ?? r.createdAt;
  const end = r.endedAt ?? Math.max(start, Math.min(limit, r.deadlineAt));
  const { id, attack, host, state, dryRun, verdict } = r;
  return { id, attack, host, state, start, end, dryRun, verdict, span: verdictSpan(r, end), ending: endingOf(r) };
}

/** Time to detect counts from the fault's start, time to recover from the detection. */
function verdictSpan(r: AttackRecord, barEnd: number): VerdictSpan | null {
  if (r.startedAt === null || r.ttdMs === null) return null;
  const detected = r.startedAt + r.ttdMs;
  if (r.verdict === 'recovered' && r.ttrMs !== null) return { start: detected, end: detected + r.ttrMs, open: false };
  if (r.verdict === 'not-recovered') return { start: detected, end: Math.max(detected, barEnd), open: true };
  return null;
}
