import type { Logger } from 'pino';
import type { Reply } from '../../ports/chat.js';
import type { SlackApi } from './api.js';
import type { ChannelPacer } from './channel-pacer.js';
import { replyMessage, type SlackMessage } from './reply-blocks.js';
import { uploadAttachments } from './upload.js';

/** Bolt's respond(): a POST to the command's response_url. Throws when Slack refuses it. */
export type Respond = (message: {
  readonly text: string;
  readonly blocks?: readonly Record<string, unknown>[];
  readonly response_type: 'ephemeral' | 'in_channel';
  readonly replace_original?: boolean;
}) => Promise<unknown>;

/** Where a reply goes: the asker, their channel, and the thread they asked in (if any). */
export interface ReplyTarget {
  readonly channel: string;
  readonly user: string;
  readonly threadTs?: string | undefined;
  /** A line shown above public replies to slash commands, whose invocation nobody else sees. */
  readonly preface?: string;
  /**
   * The command's response_url (slash commands, buttons): works where the bot may not post — a DM
   * between people, a channel it was not invited to — and is tried first.
   */
  readonly respond?: Respond | undefined;
  /** A direct message with the bot: only the asker reads it, so nothing needs to be ephemeral. */
  readonly direct?: boolean;
  /** The reply to a stop: before the channel's other posts. */
  readonly urgent?: boolean;
}

/**
 * Posts command replies: through response_url when the command brought one, else ephemeral ones
 * with chat.postEphemeral and others with chat.postMessage (paced per channel); attachments through
 * the external upload flow into the same channel and thread. Never throws.
 */
export class ReplySender {
  constructor(
    private readonly api: SlackApi,
    private readonly pacer: ChannelPacer,
    private readonly logger: Logger,
  ) {}

  async send(target: ReplyTarget, reply: Reply): Promise<void> {
    const ephemeral = reply.ephemeral === true && target.direct !== true;
    const message = replyMessage(reply);
    const body = !ephemeral && target.preface ? replyMessage(reply, target.preface) : message;
    if (target.respond && (await this.viaResponseUrl(target.respond, body, ephemeral))) {
      if (!ephemeral) await this.attach(target, reply);
      else if (reply.attachments?.length)
        this.logger.warn('an ephemeral reply had attachments; files cannot be ephemeral, not sent');
      return;
    }
    const thread = target.threadTs ? { thread_ts: target.threadTs } : {};
    if (ephemeral) {
      const result = await this.api.call('chat.postEphemeral', {
        channel: target.channel,
        user: target.user,
        ...message,
        ...thread,
      });
      if (!result.ok) {
        // Never to the channel instead: a direct message to the asker (posting to a user id opens it).
        this.logger.warn({ error: result.error, channel: target.channel }, 'cannot send an ephemeral reply; sending it as a DM');
        const dm = await this.api.call('chat.postMessage', {
          channel: target.user,
          ...replyMessage(reply, `(In <#${target.channel}>)`),
        });
        if (!dm.ok) this.logger.error({ error: dm.error, user: target.user }, 'cannot send the reply as a DM either');
      }
      if (reply.attachments?.length) this.logger.warn('an ephemeral reply had attachments; files cannot be ephemeral, not sent');
      return;
    }
    const result = await this.pacer.post(
      this.api,
      { channel: target.channel, ...body, ...thread },
      { urgent: target.urgent === true },
    );
    if (!result.ok) {
      this.logger.error({ error: result.error, channel: target.channel }, 'cannot post a reply');
      return;
    }
    await this.attach(target, reply);
  }

  /** A short note only the user sees (wrong channel, not ready). */
  async ephemeral(channel: string, user: string, text: string, threadTs?: string): Promise<void> {
    await this.send({ channel, user, threadTs }, { text, ephemeral: true });
  }

  /** One try (a second could show the reply twice); false when it did not take it. */
  private async viaResponseUrl(respond: Respond, message: SlackMessage, ephemeral: boolean): Promise<boolean> {
    try {
      await respond({ ...message, response_type: ephemeral ? 'ephemeral' : 'in_channel', replace_original: false });
      return true;
    } catch (error) {
      this.logger.warn({ err: error }, 'cannot answer through response_url; trying the Web API');
      return false;
    }
  }

  private async attach(target: ReplyTarget, reply: Reply): Promise<void> {
    if (!reply.attachments?.length) return;
    await uploadAttachments(this.api, this.logger, { channel: target.channel, threadTs: target.threadTs }, reply.attachments);
  }
}
