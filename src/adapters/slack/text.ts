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
 * The marks the core writes on purpose (`<@U1>`, `<#C1>`, `<!subteam^S1>`, times, http(s) links). Everything else that
 * looks like Slack markup is shown as typed — in particular `<!channel>` and `<!here>` never ping anyone.
 */
const KEPT =
  /<(?:@[UW][A-Z0-9]+|#[CG][A-Z0-9]+(?:\|[^<>]*)?|!subteam\^[A-Z0-9]+(?:\|[^<>]*)?|!date\^\d+\^[^|<>]*\|[^<>]*|https?:\/\/[^\s|<>]+(?:\|[^<>]*)?)>/g;

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

/** Preformatted text; a fence inside cannot end the block early. Marks inside read plain (Slack would not render them there). */
export function codeBlock(text: string): string {
  return `\`\`\`\n${escapeAll(text).replace(/```/g, '`\u200b`\u200b`')}\n\`\`\``;
}

/** At most `max` characters, cut with "…" (never inside a mention, a time or a link). */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (cut.lastIndexOf('<') > cut.lastIndexOf('>')) cut = cut.slice(0, cut.lastIndexOf('<'));
  return `${cut}…`;
}

const CUT = '\n… (cut: the full text is in the logs and history)';

/** At most `max` characters, the cut said at the end. */
export function truncate(text: string, max = MAX_TEXT): string {
  return text.length <= max ? text : `${cut(text, max - CUT.length).slice(0, -1)}${CUT}`;
}
