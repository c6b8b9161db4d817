/**
 * One parser for every transport. Input is untrusted chat text: it is normalised, bounded and
 * matched against a fixed grammar. Names are returned as typed; the use cases accept only names
 * known from config, so nothing typed here ever reaches a shell.
 */

import { type Command, MAX_COMMAND_CHARS, MAX_REASON_CHARS } from './command.js';
import { idAndNote, parseAnswer, parseGameDayWord, parseHistory, parseRunOnce, stripQuotes, usage } from './command-args.js';
import { readStop } from './kill-switch.js';
import { escapeText } from './visible-text.js';

export type { Command, HistoryFilter } from './command.js';
export { COMMAND_WORDS, DEFAULT_HISTORY, MAX_COMMAND_CHARS, MAX_HISTORY, MAX_REASON_CHARS } from './command.js';

const ALIASES: Record<string, string> = {
  runonce: 'run-once',
  run_once: 'run-once',
  run: 'run-once',
  resume: 'start',
  '?': 'help',
};

/**
 * Slack and console formatting out: user/channel mentions, links, smart quotes, zero-width
 * characters, runs of white space. The bot's own `@chaoscat` prefix is dropped. Control and bidi
 * characters are escaped (`\u202e`, see visible-text.ts), so every later echo shows them escaped.
 */
export function normalize(raw: string): string {
  // Whatever else is invisible or turns text around is kept, escaped: it is echoed and stored.
  return escapeText(
    raw
      .slice(0, MAX_COMMAND_CHARS * 4)
      .replace(/<(?:https?|mailto):[^|>]*\|([^>]*)>/g, '$1')
      .replace(/<((?:https?|mailto):[^>]*)>/g, '$1')
      .replace(/<[@#!][^>]*>/g, ' ')
      .replace(/[\u2018\u2019\u201A\u201B\u2032]/g, "'")
      .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
      .replace(/[\u2013\u2014\u2212]/g, '-')
      .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/^@?chaoscat\b[:,]?\s*/i, '')
      .slice(0, MAX_COMMAND_CHARS)
      .trim(),
  );
}

function tokens(text: string): string[] {
  return text.split(' ').filter((t) => t !== '' && t !== '"' && t !== "'");
}

export function parseCommand(raw: string): Command {
  const text = normalize(raw);
  // The kill switch is read leniently, before anything strict (kill-switch.ts).
  const stop = readStop(text);
  if (stop) {
    const reason = stop.reason
      .slice(0, MAX_REASON_CHARS)
      // The cut may fall inside an escape (`\u20`): drop the stub rather than show half of one.
      .replace(/\\u[0-9a-f]{0,3}$/, '');
    return { kind: 'stop', reason };
  }
  const words = tokens(text);
  const first = words[0];
  if (first === undefined) return { kind: 'empty' };
  const word = ALIASES[first.toLowerCase()] ?? first.toLowerCase();
  const args = words
    .slice(1)
    .map(stripQuotes)
    .filter((w) => w !== '');
  switch (word) {
    case 'run-once':
      return parseRunOnce(args);
    case 'start':
    case 'status':
    case 'attacks':
    case 'hosts':
      return args.length === 0
        ? { kind: word }
        : { kind: 'invalid', command: word, problem: { kind: 'no-arguments', command: word } };
    case 'history':
      return parseHistory(args);
    case 'resolve': {
      const said = idAndNote(text, args, 17);
      if (!said) return { kind: 'invalid', command: 'resolve', problem: usage('resolve') };
      return { kind: 'resolve', ...said };
    }
    case 'answer':
      return parseAnswer(text, args);
    case 'fixed': {
      const said = idAndNote(text, args, 14);
      if (!said) return { kind: 'invalid', command: 'fixed', problem: usage('fixed') };
      return { kind: 'fixed', ...said };
    }
    case 'report': {
      const date = args[0];
      if (args.length > 1 || (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date))) {
        return { kind: 'invalid', command: 'report', problem: usage('report') };
      }
      return date === undefined ? { kind: 'report' } : { kind: 'report', date };
    }
    case 'help':
      return args[0] ? { kind: 'help', topic: args[0].toLowerCase() } : { kind: 'help' };
    case 'approve':
    case 'skip':
      return parseGameDayWord(word, args);
    default:
      return { kind: 'unknown', word: first.slice(0, 40) };
  }
}
