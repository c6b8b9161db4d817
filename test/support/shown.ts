import type { Reply } from '../../src/ports/chat.js';
import { replyBody } from '../../src/words/table.js';
import { plainText } from '../../src/words/tokens.js';

/** A reply as the console shows it: its text, block and tables, with people and times plain. */
export function shown(reply: Reply): string {
  return plainText([reply.text, replyBody(reply)].filter(Boolean).join('\n'));
}
