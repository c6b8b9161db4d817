/**
 * What people say about game days: \`approve NAME\`, \`skip NAME\` (admins only, about the announced
 * occurrence) and the next one for \`status\`. The schedule itself is GameDays' (game-days.ts).
 */
import { type GameDayDef, noticeAt, type Occurrence, withApproval } from '../../domain/game-day.js';
import { nextOccurrence } from '../../domain/game-day-schedule.js';
import type { Reply } from '../../ports/chat.js';
import { type GameDayAnswer, gameDayAnswerText, nextGameDayText, skippedByText } from '../../words/game-day.js';
import type { GameDaysDeps } from './game-days-deps.js';

/** What the commands read of a team's game days: its deps, its definitions, each one's next start. */
export interface GameDayView {
  readonly deps: GameDaysDeps;
  readonly defs: readonly GameDayDef[];
  readonly upcoming: ReadonlyMap<string, number>;
}

/** The next game day to start, with its approvals: for `status`. */
export function nextLine(v: GameDayView): string | null {
  let best: { def: GameDayDef; at: number } | null = null;
  for (const def of v.defs) {
    const at = v.upcoming.get(def.name) ?? nextOccurrence(def.cron, v.deps.clock.now(), v.deps.config.timezone);
    if (at !== null && at !== undefined && (best === null || at < best.at)) best = { def, at };
  }
  if (!best) return null;
  const occurrence = v.deps.store.occurrence(best.def.name, best.at);
  return nextGameDayText(best.def, best.at, v.deps.config.timezone, occurrence !== undefined, occurrence?.approvedBy ?? []);
}

/** `approve NAME`: an admin's approval of the announced occurrence, counted once per admin. */
export async function approve(
  v: GameDayView,
  user: string,
  name: string,
  at?: number,
): Promise<{ reply: Reply; outcome: string }> {
  const found = await target(v, user, name, at, 'approve');
  if ('reply' in found) return found;
  const { def, occurrence } = found;
  const before = occurrence.approvedBy;
  const approvedBy = v.deps.store.approve(def.name, occurrence.at, user, v.deps.clock.now());
  const { counted } = withApproval(before, user);
  const answer: GameDayAnswer = {
    kind: counted ? 'approved' : 'approved-again',
    name: def.name,
    at: occurrence.at,
    by: user,
    approvals: def.approvals,
    approvedBy,
  };
  return { reply: { text: gameDayAnswerText(answer, v.deps.config.timezone) }, outcome: 'ok' };
}

/** `skip NAME`: an admin cancels the announced occurrence (the next one is announced as usual). */
export async function skip(v: GameDayView, user: string, name: string, at?: number): Promise<{ reply: Reply; outcome: string }> {
  const found = await target(v, user, name, at, 'skip');
  if ('reply' in found) return found;
  const { def, occurrence } = found;
  const tz = v.deps.config.timezone;
  const answer: GameDayAnswer = { kind: 'skipped', name: def.name, at: occurrence.at, by: user };
  // The store keeps the words as told; the start reads them back only to say them (startCheck).
  v.deps.store.settle(def.name, occurrence.at, 'skipped', skippedByText(user));
  return { reply: { text: gameDayAnswerText(answer, tz) }, outcome: 'ok' };
}

/** The announced, still open occurrence an admin's approve or skip is about; else the refusal. */
async function target(
  v: GameDayView,
  user: string,
  name: string,
  at: number | undefined,
  verb: 'approve' | 'skip',
): Promise<{ def: GameDayDef; occurrence: Occurrence } | { reply: Reply; outcome: string }> {
  const tz = v.deps.config.timezone;
  const refuse = (answer: GameDayAnswer, outcome = 'invalid') => ({
    reply: { text: gameDayAnswerText(answer, tz), ephemeral: true },
    outcome,
  });
  const def = v.defs.find((d) => d.name === name);
  if (!def) return refuse({ kind: 'unknown', name, known: v.defs.map((d) => d.name) });
  if (!(await v.deps.authorizer.isAdmin(user))) {
    return refuse({ kind: 'not-admin', verb, admins: v.deps.authorizer.describeAdmins() }, 'refused');
  }
  const next = v.upcoming.get(def.name);
  if (at !== undefined && at !== next) {
    return refuse({ kind: 'stale', at, state: v.deps.store.occurrence(def.name, at)?.state ?? null });
  }
  const occurrence = next === undefined ? undefined : v.deps.store.occurrence(def.name, next);
  if (next === undefined || !occurrence) {
    return refuse({ kind: 'not-yet', verb, name: def.name, noticeAt: next === undefined ? null : noticeAt(def, next) });
  }
  if (occurrence.state !== 'announced') {
    return refuse({ kind: 'settled', name: def.name, at: occurrence.at, state: occurrence.state, detail: occurrence.detail });
  }
  return { def, occurrence };
}
