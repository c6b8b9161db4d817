import type { Reply } from '../../ports/chat.js';
import { replyBody } from '../../words/table.js';

/** Slack refuses text above 40,000 characters; stay well below and say that we cut. */
export const MAX_TEXT = 38_000;

/** Slack sends `&`, `<` and `>` typed by people as entities; the core wants what they typed. */
export function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Drops the bot's own mention (`<@U123>` or `<@U123|chaoscat>`) wherever it is. */
export function stripMention(text: string, botUserId: string): string {
  return text
    .replace(new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, 'g'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function escapeAll(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The mentions the core writes on purpose (`<@U1>`, `<#C1>`, `<!subteam^S1>`). Everything else that
 * looks like Slack markup is shown as typed — in particular `<!channel>` and `<!here>` never ping anyone.
 */
const KEPT = /<(?:@[UW][A-Z0-9]+|#[CG][A-Z0-9]+(?:\|[^<>]*)?|!subteam\^[A-Z0-9]+(?:\|[^<>]*)?)>/g;

/** Text for a mrkdwn field: the core's mentions stay live, anything else is escaped. */
export function mrkdwn(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(KEPT)) {
    out += escapeAll(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + escapeAll(text.slice(last));
}

/** Preformatted text; a fence inside cannot end the block early. */
/**
 * A time as Slack shows it to each reader, in their own zone (`<!date^…>`); the fallback, for
 * clients that cannot, is the time in the config's zone, labelled.
 */
export function slackTime(at: number, fallback: string): string {
  return `<!date^${Math.floor(at / 1000)}^{time}|${fallback}>`;
}

export function codeBlock(text: string): string {
  return `\`\`\`\n${escapeAll(text).replace(/```/g, '`\u200b`\u200b`')}\n\`\`\``;
}

export function truncate(text: string, max = MAX_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n… (cut: the full text is in the logs and history)`;
}

/** A reply as one mrkdwn message: the text, then the block as a code block. */
export function replyText(reply: Reply): string {
  const text = mrkdwn(reply.text);
  const body = replyBody(reply);
  if (!body) return truncate(text);
  const room = Math.max(1_000, MAX_TEXT - text.length - 16);
  const block = body.length > room ? `${body.slice(0, room)}\n… (cut)` : body;
  return `${text}\n${codeBlock(block)}`;
}
