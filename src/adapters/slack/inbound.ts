import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import { parseCommand } from '../../domain/command-parser.js';
import type { Inbound, Reply } from '../../ports/chat.js';
import { type Answerer, listenForAnswers } from './answer-listeners.js';
import type { AppHome } from './app-home.js';
import { audience } from './audience.js';
import { STOP_ACTION_ID, STOP_BUTTON_TEXT } from './blocks.js';
import { APPROVE_ACTION_ID, buttonCommand, SKIP_ACTION_ID } from './game-day-blocks.js';
import type { ReplySender, ReplyTarget, Respond } from './replies.js';
import { decodeEntities, stripMention } from './text.js';

/** Where commands are taken: `slack.channel`, `slack.channels` and the teams' channels. `stop` is heard everywhere. */
export class ChannelPolicy {
  private readonly channels: readonly string[];

  constructor(channels: readonly string[]) {
    this.channels = [...new Set(channels)];
  }

  /** A direct message (channel D…) is between the asker and the bot: commands are taken there too. */
  allows(channel: string, text: string): boolean {
    return this.channels.includes(channel) || /^D[A-Z0-9]+$/.test(channel) || parseCommand(text).kind === 'stop';
  }

  elsewhere(): string {
    return `I only take commands in ${this.channels.map((c) => `<#${c}>`).join(', ')} and in a direct message (\`stop\` works anywhere).`;
  }
}

/** Event ids seen lately: Slack redelivers an event it thinks was not acknowledged. */
class Recent {
  private readonly keys = new Set<string>();

  constructor(private readonly max = 500) {}

  seen(key: string): boolean {
    if (this.keys.has(key)) return true;
    this.keys.add(key);
    if (this.keys.size > this.max) this.keys.delete(this.keys.values().next().value as string);
    return false;
  }
}

export interface InboundDeps {
  readonly botUserId: string;
  readonly channels: ChannelPolicy;
  readonly replies: ReplySender;
  readonly home: AppHome;
  readonly handle: (inbound: Inbound) => Promise<Reply>;
  readonly logger: Logger;
  /** Keeps the work of a command within reach of stop(). */
  readonly track: (work: Promise<void>) => void;
  /** Emoji names (without colons) whose reaction on one of the bot's messages is a `stop`. */
  readonly stopReactions: readonly string[];
  /** The attack whose top message is at (channel, ts), when this process posted it; else null. */
  readonly attackAt: (channel: string, ts: string) => string | null;
}

/** The fields of a reaction_added event read here. */
interface ReactionEvent {
  readonly user?: string;
  readonly reaction?: string;
  readonly item_user?: string;
  readonly item?: { readonly type?: string; readonly channel?: string; readonly ts?: string };
  readonly event_ts?: string;
}

/** What a block_actions payload carries that the Stop button needs. */
interface ButtonBody {
  readonly user?: { readonly id?: string };
  readonly channel?: { readonly id?: string };
  readonly container?: { readonly type?: string; readonly channel_id?: string; readonly message_ts?: string };
  readonly message?: { readonly ts?: string; readonly thread_ts?: string };
  readonly actions?: readonly { readonly value?: string }[];
}

/** The fields of a message or app_mention event read here. */
interface MessageEvent {
  readonly user?: string;
  readonly text?: string;
  readonly ts: string;
  readonly channel: string;
  readonly channel_type?: string;
  readonly thread_ts?: string;
  readonly subtype?: string;
  readonly bot_id?: string;
  readonly edited?: unknown;
}

/** Said by a person, once: not by a bot (ourselves included), not an edit or any other message subtype. */
function byPerson(event: MessageEvent, botUserId: string): event is MessageEvent & { user: string } {
  return !!event.user && event.user !== botUserId && !event.bot_id && !event.subtype && !event.edited;
}

/**
 * Turns mentions, direct messages, the `/chaoscat` slash command, the Stop buttons and App Home
 * visits into calls of the core's one entry point, and answers where the command came from: a
 * mention in its thread, a DM in the DM, a slash command or button through its response_url (so a
 * DM or a channel the bot is not in gets its answer). Acknowledges Slack first, so a slow command (a
 * stop that reverts attacks) never makes Slack redeliver it.
 */
export function listen(app: App, deps: InboundDeps): void {
  const { replies, logger, track, home } = deps;
  const recent = new Recent();

  const answer = async (inbound: Inbound, target: ReplyTarget, ephemeral: boolean): Promise<void> => {
    let reply: Reply;
    try {
      reply = await deps.handle(inbound);
    } catch (error) {
      logger.error({ err: error, transport: inbound.transport }, 'command handler failed');
      reply = { text: 'Sorry, I could not handle that just now; try again in a moment.', ephemeral: true };
    }
    await replies.send(target, ephemeral ? { ...reply, ephemeral: true } : reply);
    if (parseCommand(inbound.text).kind !== 'status') void home.refresh();
  };

  app.event('app_home_opened', async ({ event }) => {
    const e = event as unknown as { user?: string; tab?: string };
    if (e.user && (e.tab ?? 'home') === 'home') track(home.publish(e.user));
  });

  listenForWords(app, deps, answer, recent);
  listenForStops(app, deps, answer, recent);
  listenForGameDays(app, deps, answer);
  listenForAnswers(app, deps, answer);

  app.error(async (error) => {
    logger.error({ err: error }, 'Slack listener error');
  });
}

/** Commands in words: a mention, a direct message, the `/chaoscat` slash command. */
function listenForWords(app: App, deps: InboundDeps, answer: Answerer, recent: Recent): void {
  const { channels, replies, logger, track } = deps;
  const command = (event: MessageEvent & { user: string }, raw: string, transport: string, direct: boolean) => {
    const text = decodeEntities(stripMention(raw, deps.botUserId));
    // A mention is answered in its thread (a new one under it when it was said at the top level).
    const threadTs = direct ? event.thread_ts : (event.thread_ts ?? event.ts);
    if (!channels.allows(event.channel, text)) {
      logger.info({ channel: event.channel, user: event.user }, 'command outside the configured channels refused');
      track(replies.ephemeral(event.channel, event.user, channels.elsewhere(), threadTs));
      return;
    }
    const who = audience(text);
    track(
      answer(
        { text: who.text, actor: event.user, transport, channel: event.channel },
        { channel: event.channel, user: event.user, threadTs, direct, urgent: who.urgent },
        who.ephemeral,
      ),
    );
  };

  app.event('app_mention', async ({ event }) => {
    const e = event as unknown as MessageEvent;
    if (!byPerson(e, deps.botUserId) || recent.seen(`${e.channel}:${e.ts}`)) return;
    command(e, e.text ?? '', 'slack-mention', false);
  });

  // A direct message with the bot: plain text is a command, answered in the DM.
  app.event('message', async ({ event }) => {
    const e = event as unknown as MessageEvent;
    if (e.channel_type !== 'im' || !byPerson(e, deps.botUserId) || recent.seen(`${e.channel}:${e.ts}`)) return;
    command(e, e.text ?? '', 'slack-dm', true);
  });

  app.command(/^\/chaoscat/, async ({ command: c, ack, respond }) => {
    const text = decodeEntities(c.text ?? '');
    if (!channels.allows(c.channel_id, text)) {
      logger.info({ channel: c.channel_id, user: c.user_id }, 'command outside the configured channels refused');
      await ack({ response_type: 'ephemeral', text: channels.elsewhere() });
      return;
    }
    await ack();
    const user = c.user_id;
    const threadTs = (c as { thread_ts?: string }).thread_ts;
    const who = audience(text);
    track(
      answer(
        { text: who.text, actor: user, transport: 'slack-command', channel: c.channel_id },
        {
          channel: c.channel_id,
          user,
          threadTs,
          preface: `_<@${user}> used \`${c.command}\`_`,
          respond: respond as Respond,
          urgent: who.urgent,
        },
        who.ephemeral,
      ),
    );
  });
}

/** The ways to stop: the Stop button (in a message or the App Home) and a stop reaction. */
function listenForStops(app: App, deps: InboundDeps, answer: Answerer, recent: Recent): void {
  const { logger, track, home } = deps;
  app.action({ action_id: STOP_ACTION_ID }, async ({ ack, body }) => {
    await ack();
    const b = body as ButtonBody;
    const user = b.user?.id;
    if (!user) {
      logger.error('Stop button payload without a user; cannot stop from it');
      return;
    }
    if (b.container?.type === 'view') {
      // The App Home's Stop: no channel, so it halts every team, as a stop in a DM does.
      track(
        (async () => {
          let note: string;
          try {
            note = (await deps.handle({ text: STOP_BUTTON_TEXT, actor: user, transport: 'slack-home' })).text;
          } catch (error) {
            logger.error({ err: error }, 'command handler failed');
            note = 'Sorry, the stop could not be handled just now; try again, or say `stop` to the bot.';
          }
          await home.publish(user, note);
          void home.refresh();
        })(),
      );
      return;
    }
    const channel = b.channel?.id ?? b.container?.channel_id;
    if (!channel) {
      logger.error('Stop button payload without a channel; cannot stop from it');
      return;
    }
    const threadTs = b.message?.thread_ts ?? b.message?.ts ?? b.container?.message_ts;
    track(
      answer(
        { text: STOP_BUTTON_TEXT, actor: user, transport: 'slack-button', channel },
        { channel, user, threadTs, urgent: true },
        false,
      ),
    );
  });

  // A stop reaction (:octagonal_sign: by default) on any of the bot's messages is a `stop` by whoever
  // reacted, in any channel, as every stop is; acknowledged in the thread of the message reacted to.
  // Nothing of the reaction reaches a command but its fixed words and the attack id we posted.
  app.event('reaction_added', async ({ event }) => {
    const e = event as unknown as ReactionEvent;
    const channel = e.item?.channel;
    const ts = e.item?.ts;
    if (!e.user || e.user === deps.botUserId || e.item?.type !== 'message' || !channel || !ts) return;
    if (e.item_user !== deps.botUserId || !deps.stopReactions.includes(e.reaction ?? '')) return;
    if (recent.seen(`reaction:${channel}:${ts}:${e.user}:${e.event_ts ?? ''}`)) return;
    const attack = deps.attackAt(channel, ts);
    const note = attack ? `reaction on #${attack}` : 'reaction on a ChaosCat message';
    logger.info({ channel, user: e.user, reaction: e.reaction, attack }, 'stop reaction');
    track(
      answer(
        { text: `stop ${note}`, actor: e.user, transport: 'slack-reaction', channel },
        { channel, user: e.user, threadTs: ts, urgent: true },
        false,
      ),
    );
  });
}

/** A game day's Approve and Skip buttons. */
function listenForGameDays(app: App, deps: InboundDeps, answer: Answerer): void {
  const { logger, track } = deps;
  // A game day's Approve and Skip: the same commands an admin can type, naming the notice's occurrence.
  for (const [actionId, verb] of [
    [APPROVE_ACTION_ID, 'approve'],
    [SKIP_ACTION_ID, 'skip'],
  ] as const) {
    app.action({ action_id: actionId }, async ({ ack, body }) => {
      await ack();
      const b = body as ButtonBody;
      const user = b.user?.id;
      const channel = b.channel?.id ?? b.container?.channel_id;
      const text = buttonCommand(verb, b.actions?.[0]?.value);
      if (!user || !channel || !text) {
        logger.error({ actionId }, 'game-day button payload without user, channel or value; ignored');
        return;
      }
      const threadTs = b.message?.ts ?? b.container?.message_ts;
      track(answer({ text, actor: user, transport: 'slack-button', channel }, { channel, user, threadTs }, false));
    });
  }
}
