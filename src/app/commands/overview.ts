import { isFinal } from '../../domain/model.js';
import type { Overview, TeamOverview } from '../../ports/chat.js';
import { faultText, verdictLine } from '../../words/announcements.js';
import { attackLine } from '../../words/format.js';
import { askerText } from '../../words/halt-replies.js';
import { haltText } from '../../words/refusals.js';
import type { AppContext, ContextOf } from '../context.js';
import { nextChance } from './status.js';

/** Attacks the overview lists per team, newest first. */
const ATTACKS_SHOWN = 10;

/** One team's overview from its context: the same facts `status` gives, as fields. */
export function teamOverview(
  ctx: Pick<AppContext, 'clock' | 'config' | 'faults' | 'hours' | 'latch' | 'runner' | 'store'>,
  team: string,
): TeamOverview {
  const state = ctx.latch.state();
  const inFlight = ctx.runner.list().map((f) => {
    const r = f.id === null ? undefined : ctx.runner.records.get(f.id);
    if (!r) return `${askerText(f.request.trigger)} — checking health`;
    return `${attackLine(r)} — ${isFinal(r.state) ? `${r.state}, verdict pending` : r.state}`;
  });
  let verdicts: string[];
  try {
    verdicts = ctx.store
      .history({ limit: ATTACKS_SHOWN })
      .filter((r) => isFinal(r.state))
      .map((r) => (r.verdict !== null ? verdictLine(r) : `${attackLine(r)}: ${r.state}`));
  } catch (error) {
    verdicts = [`the database cannot be read: ${(error as Error).message}`];
  }
  return {
    team,
    faults: ctx.faults.list().map((f) => faultText(f, ctx.config.timezone)),
    halted: state.halt ? haltText(state.halt, ctx.config.timezone) : null,
    dryRun: ctx.config.dryRun,
    inFlight,
    next: nextChance(ctx),
    verdicts,
  };
}

/** The overview of every team, each read when asked. */
export function overviewOf(teams: readonly { readonly name: string; readonly ctx: ContextOf<typeof teamOverview> }[]): Overview {
  return { teams: () => teams.map((t) => teamOverview(t.ctx, t.name)) };
}
