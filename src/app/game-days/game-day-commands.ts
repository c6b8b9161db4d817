/**
 * What people say about game days: \`approve NAME\`, \`skip NAME\` (admins only, about the announced
 * occurrence) and the next one for \`status\`. The schedule itself is GameDays' (game-days.ts).
 */
import { type GameDayDef, noticeAt, type Occurrence, withApproval } from '../../domain/game-day.js';
import { nextOccurrence } from '../../domain/game-day-schedule.js';
import type { Reply } from '../../ports/chat.js';
import { who } from '../../words/format.js';
import { approversText, nextGameDayText, whenText } from '../../words/game-day.js';
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
  const when = whenText(occurrence.at, v.deps.config.timezone);
  const tally = approversText(def.approvals, approvedBy);
  const text = counted
    ? `${who(user)} approved game day ${def.name} (${when}): ${tally}.`
    : `${who(user)} had already approved game day ${def.name} (${when}); an approval counts once: ${tally}.`;
  return { reply: { text }, outcome: 'ok' };
}

/** `skip NAME`: an admin cancels the announced occurrence (the next one is announced as usual). */
export async function skip(v: GameDayView, user: string, name: string, at?: number): Promise<{ reply: Reply; outcome: string }> {
  const found = await target(v, user, name, at, 'skip');
  if ('reply' in found) return found;
  const { def, occurrence } = found;
  const reason = `skipped by ${who(user)}`;
  v.deps.store.settle(def.name, occurrence.at, 'skipped', reason);
  const when = whenText(occurrence.at, v.deps.config.timezone);
  return { reply: { text: `Game day ${def.name} (${when}) is cancelled: ${reason}.` }, outcome: 'ok' };
}

/** The announced, still open occurrence an admin's approve or skip is about; else the refusal. */
async function target(
  v: GameDayView,
  user: string,
  name: string,
  at: number | undefined,
  verb: 'approve' | 'skip',
): Promise<{ def: GameDayDef; occurrence: Occurrence } | { reply: Reply; outcome: string }> {
  const refuse = (text: string, outcome = 'invalid') => ({ reply: { text, ephemeral: true }, outcome });
  const def = v.defs.find((d) => d.name === name);
  if (!def) {
    const known = v.defs.map((d) => d.name).join(', ') || 'none are configured';
    return refuse(`No game day is named "${name}" here (game days: ${known}).`);
  }
  if (!(await v.deps.authorizer.isAdmin(user))) {
    return refuse(`Sorry, only admins may ${verb} a game day. ${v.deps.authorizer.describeAdmins()}`, 'refused');
  }
  const next = v.upcoming.get(def.name);
  const tz = v.deps.config.timezone;
  if (at !== undefined && at !== next) {
    const old = v.deps.store.occurrence(def.name, at);
    return refuse(`That notice was for ${whenText(at, tz)}, which is ${old?.state ?? 'over'}; nothing changed.`);
  }
  const occurrence = next === undefined ? undefined : v.deps.store.occurrence(def.name, next);
  if (next === undefined || !occurrence) {
    const when =
      next === undefined ? 'no next occurrence is scheduled' : `its notice is posted ${whenText(noticeAt(def, next), tz)}`;
    return refuse(`Nothing to ${verb} yet for game day ${def.name}: ${when}.`);
  }
  if (occurrence.state !== 'announced') {
    return refuse(
      `Game day ${def.name} (${whenText(occurrence.at, tz)}) is already ${occurrence.state}: ${occurrence.detail ?? ''}.`,
    );
  }
  return { def, occurrence };
}
