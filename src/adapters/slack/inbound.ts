import type { App } from '@slack/bolt';
import type { Logger } from 'pino';
import { parseCommand } from '../../domain/command-parser.js';
import type { Inbound, Reply } from '../../ports/chat.js';
import { STOP_ACTION_ID, STOP_BUTTON_TEXT } from './blocks.js';
import { APPROVE_ACTION_ID, buttonCommand, SKIP_ACTION_ID } from './game-day-blocks.js';
import type { ReplySender, ReplyTarget } from './replies.js';
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
  readonly handle: (inbound: Inbound) => Promise<Reply>;
  readonly logger: Logger;
  /** Keeps the work of a command within reach of stop(). */
  readonly track: (work: Promise<void>) => void;
}

/** What a block_actions payload carries that the Stop button needs. */
interface ButtonBody {
  readonly user?: { readonly id?: string };
  readonly channel?: { readonly id?: string };
  readonly container?: { readonly channel_id?: string; readonly message_ts?: string };
  readonly message?: { readonly ts?: string; readonly thread_ts?: string };
  readonly actions?: readonly { readonly value?: string }[];
}

/**
 * Turns mentions, the `/chaoscat` slash command and the Stop button into calls of the core's one
 * entry point, and posts the replies where the command came from. Acknowledges Slack first, so a
 * slow command (a stop that reverts attacks) never makes Slack redeliver it.
 */
export function listen(app: App, deps: InboundDeps): void {
  const { channels, replies, logger, track } = deps;
  const recent = new Recent();

  const answer = async (inbound: Inbound, target: ReplyTarget): Promise<void> => {
    let reply: Reply;
    try {
      reply = await deps.handle(inbound);
    } catch (error) {
      logger.error({ err: error, transport: inbound.transport }, 'command handler failed');
      reply = { text: 'Sorry, I could not handle that just now; try again in a moment.', ephemeral: true };
    }
    await replies.send(target, reply);
  };

  app.event('app_mention', async ({ event }) => {
    const user = event.user;
    if (!user || recent.seen(`${event.channel}:${event.ts}`)) return;
    const text = decodeEntities(stripMention(event.text, deps.botUserId));
    const threadTs = event.thread_ts;
    if (!channels.allows(event.channel, text)) {
      logger.info({ channel: event.channel, user }, 'command outside the configured channels refused');
      track(replies.ephemeral(event.channel, user, channels.elsewhere(), threadTs));
      return;
    }
    track(
      answer(
        { text, actor: user, transport: 'slack-mention', channel: event.channel },
        { channel: event.channel, user, threadTs },
      ),
    );
  });

  app.command(/^\/chaoscat/, async ({ command, ack }) => {
    const text = decodeEntities(command.text ?? '');
    if (!channels.allows(command.channel_id, text)) {
      logger.info({ channel: command.channel_id, user: command.user_id }, 'command outside the configured channels refused');
      await ack({ response_type: 'ephemeral', text: channels.elsewhere() });
      return;
    }
    await ack();
    const user = command.user_id;
    const threadTs = (command as { thread_ts?: string }).thread_ts;
    track(
      answer(
        { text, actor: user, transport: 'slack-command', channel: command.channel_id },
        { channel: command.channel_id, user, threadTs, preface: `_<@${user}> used \`${command.command}\`_` },
      ),
    );
  });

  app.action({ action_id: STOP_ACTION_ID }, async ({ ack, body }) => {
    await ack();
    const b = body as ButtonBody;
    const user = b.user?.id;
    const channel = b.channel?.id ?? b.container?.channel_id;
    if (!user || !channel) {
      logger.error('Stop button payload without user or channel; cannot stop from it');
      return;
    }
    const threadTs = b.message?.thread_ts ?? b.message?.ts ?? b.container?.message_ts;
    track(answer({ text: STOP_BUTTON_TEXT, actor: user, transport: 'slack-button', channel }, { channel, user, threadTs }));
  });

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
      track(answer({ text, actor: user, transport: 'slack-button', channel }, { channel, user, threadTs }));
    });
  }

  app.error(async (error) => {
    logger.error({ err: error }, 'Slack listener error');
  });
}
