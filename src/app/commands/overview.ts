import { isFinal } from '../../domain/model.js';
import type { Overview, TeamOverview } from '../../ports/chat.js';
import { errorMessage } from '../../ports/errors.js';
import { type OverviewView, teamOverviewText } from '../../words/status.js';
import type { AppContext, ContextOf } from '../context.js';
import { glanceOf } from './status.js';

/** Attacks the overview lists per team, newest first. */
const ATTACKS_SHOWN = 10;

/** One team's overview from its context: the same facts `status` gives, as fields. */
export function teamOverview(
  ctx: Pick<AppContext, 'clock' | 'config' | 'faults' | 'hours' | 'latch' | 'runner' | 'store'>,
  team: string,
): TeamOverview {
  let ended: OverviewView['ended'];
  try {
    ended = ctx.store.history({ limit: ATTACKS_SHOWN }).filter((r) => isFinal(r.state));
  } catch (error) {
    ended = { readError: errorMessage(error) };
  }
  return teamOverviewText({ ...glanceOf(ctx), team, faults: ctx.faults.list(), ended });
}

/** The overview of every team, each read when asked. */
export function overviewOf(teams: readonly { readonly name: string; readonly ctx: ContextOf<typeof teamOverview> }[]): Overview {
  return { teams: () => teams.map((t) => teamOverview(t.ctx, t.name)) };
}
