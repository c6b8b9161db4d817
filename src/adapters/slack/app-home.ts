import type { types } from '@slack/bolt';
import type { Logger } from 'pino';
import type { Overview, TeamOverview } from '../../ports/chat.js';
import type { SlackApi } from './api.js';
import { stopButton } from './blocks.js';
import { mrkdwn, truncate } from './text.js';

/** The Stop button's value on the App Home: it halts every team, like a stop said in a DM. */
export const HOME_STOP_VALUE = 'home';
/** People whose App Home is kept current (the latest openers); older ones see it refreshed on their next open. */
const MAX_VIEWERS = 50;

const homeStop = stopButton(HOME_STOP_VALUE, 'ChaosCat for every team');

/** Attacks in flight shown each with its own Stop button, per team (the rest are counted). */
const FLIGHTS_SHOWN = 5;

/**
 * A team, most urgent first: faults that may remain, its state, each attack in flight with a Stop
 * button, when the next may come; then its latest attacks with their verdicts.
 */
function teamBlocks(t: TeamOverview, label: boolean): types.KnownBlock[] {
  const name = label ? `*${mrkdwn(t.team)}*: ` : '';
  const state = t.halted
    ? `:octagonal_sign: ${name}*Halted* — ${mrkdwn(t.halted)}`
    : `:large_green_circle: ${name}*Running* — ${t.dryRun ? 'dry run (hosts are never touched)' : '*LIVE*'}`;
  const faults = t.faults.map(
    (f): types.KnownBlock => ({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`:rotating_light: ${name}${mrkdwn(f)}`, 2_900) },
    }),
  );
  const flights = t.inFlight.slice(0, FLIGHTS_SHOWN).map(
    (f): types.KnownBlock => ({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`*In flight:* ${mrkdwn(f)}`, 2_900) },
      accessory: homeStop,
    }),
  );
  const more = t.inFlight.length - FLIGHTS_SHOWN;
  const lines = [
    ...(t.inFlight.length === 0 ? ['*In flight:* nothing'] : []),
    ...(more > 0 ? [`…and ${more} more in flight (\`status\`)`] : []),
    `*Next attack:* ${mrkdwn(t.next)}`,
    `*Latest attacks:* ${t.verdicts.length === 0 ? 'none yet' : `\n${t.verdicts.map((v) => `• ${mrkdwn(v)}`).join('\n')}`}`,
  ];
  return [
    ...faults,
    { type: 'section', text: { type: 'mrkdwn', text: truncate(state, 2_900) } },
    ...flights,
    { type: 'section', text: { type: 'mrkdwn', text: truncate(lines.join('\n'), 2_900) } },
  ];
}

/** The App Home view: every team's state, and the Stop button (anyone may stop). */
export function homeView(teams: readonly TeamOverview[] | null, note?: string): types.HomeView {
  const blocks: types.KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: 'ChaosCat' } }];
  if (note) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(mrkdwn(note), 1_500) }] });
  // The kill switch first, where an on-call person looks in an incident.
  blocks.push({ type: 'actions', block_id: 'chaoscat_home_stop', elements: [homeStop] });
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: 'Stop reverts every attack in flight and halts every team; anyone may press it.' }],
  });
  if (teams === null) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: 'Starting up: the state of the teams shows once ChaosCat is ready.' },
    });
  } else {
    // Slack allows 100 blocks in a view: teams are shown while they fit, the rest counted.
    let shown = 0;
    for (const t of teams) {
      const more = [...teamBlocks(t, teams.length > 1), { type: 'divider' } as types.KnownBlock];
      if (blocks.length + more.length > 98) break;
      blocks.push(...more);
      shown++;
    }
    if (shown < teams.length) {
      blocks.push({
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `${teams.length - shown} more teams: say \`status\` to see every team.` }],
      });
    }
  }
  return { type: 'home', blocks };
}

/**
 * Slack's App Home tab: published (`views.publish`) when someone opens it, and again for the recent
 * openers when state changes. Side effects: Web API calls; failures are logged. Never throws.
 */
export class AppHome {
  private overview: Overview | null = null;
  private readonly viewers: string[] = [];
  private refreshing: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly api: SlackApi,
    private readonly logger: Logger,
  ) {}

  show(overview: Overview): void {
    this.overview = overview;
  }

  /** Publishes the user's App Home; `note` (e.g. the answer to their Stop) is shown at the top. */
  async publish(user: string, note?: string): Promise<void> {
    this.remember(user);
    let teams: readonly TeamOverview[] | null = null;
    try {
      teams = this.overview?.teams() ?? null;
    } catch (error) {
      this.logger.error({ err: error }, 'cannot read the state for the App Home');
      note = `${note ? `${note}\n` : ''}The state cannot be read just now (see the log).`;
    }
    const result = await this.api.call('views.publish', { user_id: user, view: homeView(teams, note) });
    if (!result.ok) this.logger.warn({ error: result.error, user }, 'cannot publish the App Home');
  }

  /** Publishes again for the recent openers; calls while one runs are folded into one more. */
  refresh(): Promise<void> {
    if (this.viewers.length === 0) return Promise.resolve();
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.again = false;
        for (const user of [...this.viewers]) await this.publish(user);
      } while (this.again);
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private remember(user: string): void {
    const at = this.viewers.indexOf(user);
    if (at >= 0) this.viewers.splice(at, 1);
    this.viewers.push(user);
    if (this.viewers.length > MAX_VIEWERS) this.viewers.shift();
  }
}
