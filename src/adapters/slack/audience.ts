import { parseCommand } from '../../domain/command-parser.js';

/** Who should see the answer to a command, and the command as the core should read it. */
export interface Audience {
  readonly text: string;
  /** `help` and `status` answer only the asker, unless `status here`: then the channel sees it. */
  readonly ephemeral: boolean;
  /** A stop: its answer goes before the channel's other posts. */
  readonly stop: boolean;
  /**
   * Its answer goes before the channel's other posts: a stop, and a run-once (whose "Started #N, say
   * stop" must never trail a later halt).
   */
  readonly urgent: boolean;
}

/** Questions one person asks for themselves: a status every few minutes would fill the channel. */
const FOR_THE_ASKER = new Set(['help', 'status', 'history', 'history-detail']);

/**
 * `help`, `status` and `history` are for the one who asked (Hubot's way, and Slack's own
 * guidelines): answered ephemerally. `status here` or `history … here` shows it to the channel;
 * `here` is Slack's word, so the core never sees it. Everything else keeps the core's choice (it
 * answers typos, usage errors and refusals ephemerally). Pure.
 */
export function audience(text: string): Audience {
  const words = text.trim().split(/\s+/);
  // By its first word: `status payments` is a status (the core strips the team).
  const kind = parseCommand(words[0] ?? '').kind;
  if (words.length > 1 && words.at(-1)?.toLowerCase() === 'here' && FOR_THE_ASKER.has(kind) && kind !== 'help') {
    return { text: words.slice(0, -1).join(' '), ephemeral: false, stop: false, urgent: false };
  }
  // A stop is read from the whole message: `:octagonal_sign: stop` starts with an emoji.
  const stop = parseCommand(text).kind === 'stop';
  return { text, ephemeral: !stop && FOR_THE_ASKER.has(kind), stop, urgent: stop || kind === 'run-once' };
}
