import type { Logger } from 'pino';
import type { Reply } from '../../ports/chat.js';
import type { SlackApi } from './api.js';
import { replyText } from './text.js';
import { uploadAttachments } from './upload.js';

/** Where a reply goes: the asker, their channel, and the thread they asked in (if any). */
export interface ReplyTarget {
  readonly channel: string;
  readonly user: string;
  readonly threadTs?: string | undefined;
  /** A line shown above public replies to slash commands, whose invocation nobody else sees. */
  readonly preface?: string;
}

/**
 * Posts command replies: ephemeral ones with chat.postEphemeral, others with chat.postMessage, and
 * attachments through the external upload flow into the same channel and thread. Never throws.
 */
export class ReplySender {
  constructor(
    private readonly api: SlackApi,
    private readonly logger: Logger,
  ) {}

  async send(target: ReplyTarget, reply: Reply): Promise<void> {
    const thread = target.threadTs ? { thread_ts: target.threadTs } : {};
    const text = replyText(reply);
    if (reply.ephemeral) {
      const result = await this.api.call('chat.postEphemeral', { channel: target.channel, user: target.user, text, ...thread });
      if (!result.ok) this.logger.error({ error: result.error, channel: target.channel }, 'cannot send an ephemeral reply');
      if (reply.attachments?.length) this.logger.warn('an ephemeral reply had attachments; files cannot be ephemeral, not sent');
      return;
    }
    const body = target.preface ? `${target.preface}\n${text}` : text;
    const result = await this.api.call('chat.postMessage', { channel: target.channel, text: body, ...thread });
    if (!result.ok) {
      this.logger.error({ error: result.error, channel: target.channel }, 'cannot post a reply');
      return;
    }
    if (reply.attachments?.length) {
      await uploadAttachments(this.api, this.logger, { channel: target.channel, threadTs: target.threadTs }, reply.attachments);
    }
  }

  /** A short note only the user sees (wrong channel, not ready). */
  async ephemeral(channel: string, user: string, text: string, threadTs?: string): Promise<void> {
    await this.send({ channel, user, threadTs }, { text, ephemeral: true });
  }
}
