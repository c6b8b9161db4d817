/**
 * One parser for every transport. Input is untrusted chat text: it is normalised, bounded and
 * matched against a fixed grammar. Names are returned as typed; the use cases accept only names
 * known from config, so nothing typed here ever reaches a shell.
 */

import { COVERAGE, type Coverage, MAX_NOTE_CHARS, PAGED, type Paged } from './answers.js';
import { readStop } from './kill-switch.js';
import { escapeText } from './visible-text.js';

export type Command =
  | {
      readonly kind: 'run-once';
      readonly attack?: string;
      readonly host?: string;
      readonly force: boolean;
      /** NAME=VALUE overrides, as typed (checked against the attack's bounds by the use case). */
      readonly params?: Readonly<Record<string, string>>;
      /** count=N or percent=P. */
      readonly blast?: { readonly count?: number; readonly percent?: number };
    }
  | { readonly kind: 'stop'; readonly reason: string }
  | { readonly kind: 'start' }
  /** `answer #ID [paged=…] [runbook=…] [note TEXT]`: what someone on call learned from attack #ID. */
  | {
      readonly kind: 'answer';
      readonly id: string;
      readonly paged?: Paged;
      readonly runbook?: Coverage;
      readonly note?: string;
    }
  /** `fixed #ID [note]`: an admin says the gaps attack #ID found (monitoring, paging, runbook) are dealt with. */
  | { readonly kind: 'fixed'; readonly id: string; readonly note: string }
  /** `resolve #ID [note]`: an admin says the fault that may have remained after attack #ID is fixed. */
  | { readonly kind: 'resolve'; readonly id: string; readonly note: string }
  | { readonly kind: 'status' }
  | { readonly kind: 'history'; readonly limit: number; readonly filter?: HistoryFilter }
  /** `history #ID`: one attack whole. The id is digits only, without leading zeros. */
  | { readonly kind: 'history-detail'; readonly id: string }
  | { readonly kind: 'attacks' }
  | { readonly kind: 'hosts' }
  | { readonly kind: 'report'; readonly date?: string }
  | { readonly kind: 'help'; readonly topic?: string }
  /** `approve NAME` / `skip NAME` a game day; `@AT` (epoch ms) names the occurrence a button's notice was for. */
  | { readonly kind: 'approve' | 'skip'; readonly name: string; readonly at?: number }
  | { readonly kind: 'empty' }
  | { readonly kind: 'unknown'; readonly word: string }
  | { readonly kind: 'invalid'; readonly command: string; readonly message: string };

export type HistoryFilter =
  | { readonly by: 'host'; readonly value: string }
  | { readonly by: 'attack'; readonly value: string }
  | { readonly by: 'failed' };

export const COMMAND_WORDS = [
  'run-once',
  'stop',
  'start',
  'resolve',
  'answer',
  'fixed',
  'status',
  'history',
  'attacks',
  'hosts',
  'report',
  'approve',
  'skip',
  'help',
];

/** Text beyond this is not read; a command is a handful of words. */
export const MAX_COMMAND_CHARS = 500;
export const MAX_REASON_CHARS = 200;
export const DEFAULT_HISTORY = 10;
export const MAX_HISTORY = 100;

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

function stripQuotes(word: string): string {
  return word.replace(/^["'`]+|["'`]+$/g, '');
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
      return args.length === 0 ? { kind: word } : { kind: 'invalid', command: word, message: `\`${word}\` takes no arguments` };
    case 'history':
      return parseHistory(args);
    case 'resolve': {
      const said = idAndNote(text, args, 17);
      if (!said)
        return {
          kind: 'invalid',
          command: 'resolve',
          message: 'usage: `resolve #ID [note]`, with the id of the attack whose fault is fixed',
        };
      return { kind: 'resolve', ...said };
    }
    case 'answer':
      return parseAnswer(text, args);
    case 'fixed': {
      const said = idAndNote(text, args, 14);
      if (!said)
        return {
          kind: 'invalid',
          command: 'fixed',
          message: 'usage: `fixed #ID [note]`, with the id of the attack whose gaps are dealt with',
        };
      return { kind: 'fixed', ...said };
    }
    case 'report': {
      const date = args[0];
      if (args.length > 1 || (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date))) {
        return { kind: 'invalid', command: 'report', message: 'usage: `report [YYYY-MM-DD]`' };
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

const RUN_ONCE_USAGE = 'usage: `run-once [ATTACK] [HOST] [NAME=VALUE …] [count=N | percent=P] [--force]`';
const MAX_PARAMS = 10;

function parseRunOnce(args: string[]): Command {
  const invalid = (message: string): Command => ({ kind: 'invalid', command: 'run-once', message });
  const force = args.some((a) => a === '--force' || a === '-f');
  const rest = args.filter((a) => a !== '--force' && a !== '-f');
  if (rest.some((n) => n.startsWith('-'))) return invalid('the only option is `--force`');
  const names = rest.filter((a) => !a.includes('='));
  const pairs = rest.filter((a) => a.includes('='));
  if (names.length > 2) return invalid(RUN_ONCE_USAGE);
  const params: Record<string, string> = {};
  const blast: { count?: number; percent?: number } = {};
  if (pairs.length > MAX_PARAMS) return invalid(`at most ${MAX_PARAMS} NAME=VALUE settings`);
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const key = pair.slice(0, at);
    const value = pair.slice(at + 1);
    const lower = key.toLowerCase();
    if (lower === 'count' || lower === 'percent') {
      if (blast.count !== undefined || blast.percent !== undefined) return invalid('give `count=N` or `percent=P` once');
      const n = /^[0-9]{1,4}$/.test(value) ? Number(value) : Number.NaN;
      if (lower === 'count' && !(n >= 1))
        return invalid(`count=${value.slice(0, 20)}: expected a whole number of hosts, at least 1`);
      if (lower === 'percent' && !(n >= 1 && n <= 100)) {
        return invalid(`percent=${value.slice(0, 20)}: expected a whole percentage from 1 to 100`);
      }
      blast[lower] = n;
      continue;
    }
    if (!/^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(key)) {
      return invalid(`"${key.slice(0, 40)}" is not a parameter name (letters, digits and _). ${RUN_ONCE_USAGE}`);
    }
    if (value === '') return invalid(`${key}= needs a value`);
    if (Object.keys(params).some((k) => k.toUpperCase() === key.toUpperCase())) return invalid(`${key} is given twice`);
    params[key] = value;
  }
  const [attack, host] = names;
  if (attack === undefined && Object.keys(params).length > 0) {
    return invalid('name the attack whose parameters you set: `run-once ATTACK NAME=VALUE`');
  }
  return {
    kind: 'run-once',
    force,
    ...(attack !== undefined ? { attack } : {}),
    ...(host !== undefined ? { host } : {}),
    ...(Object.keys(params).length ? { params } : {}),
    ...(blast.count !== undefined || blast.percent !== undefined ? { blast } : {}),
  };
}

/** `#ID [note]`: an attack id (at most 1 + `moreDigits` digits) and the rest of the line, as typed; null without an id. */
function idAndNote(text: string, args: readonly string[], moreDigits: number): { id: string; note: string } | null {
  const first = args[0] ?? '';
  const id = new RegExp(`^#?([1-9][0-9]{0,${moreDigits}})$`).exec(first)?.[1];
  if (!id) return null;
  const note = text
    .slice(text.indexOf(first) + first.length)
    .trim()
    .slice(0, MAX_REASON_CHARS);
  return { id, note };
}

const ANSWER_USAGE =
  'usage: `answer #ID paged=yes|no|not-mine runbook=yes|partly|no|none note TEXT` (any of the three), e.g. `answer #12 paged=no runbook=partly`';

/** `answer #ID [paged=…] [runbook=…] [note TEXT…]`: the note is the rest of the line, as typed. */
function parseAnswer(text: string, args: string[]): Command {
  const invalid = (message: string): Command => ({ kind: 'invalid', command: 'answer', message });
  const id = /^#?([1-9][0-9]{0,14})$/.exec(args[0] ?? '')?.[1];
  if (!id) return invalid(ANSWER_USAGE);
  let paged: Paged | undefined;
  let runbook: Coverage | undefined;
  let note: string | undefined;
  for (let i = 1; i < args.length; i++) {
    const arg = args[i] as string;
    const lower = arg.toLowerCase();
    if (lower === 'note' || lower.startsWith('note=')) {
      // Everything after the word `note` is the note, as typed (quotes around it dropped).
      const at = text.toLowerCase().indexOf(lower === 'note' ? ' note ' : ' note=');
      const rest = at < 0 ? '' : text.slice(at + 6);
      note = stripQuotes(rest.trim()).slice(0, MAX_NOTE_CHARS);
      if (note === '') return invalid('`note` needs some words after it');
      break;
    }
    const [key, value = ''] = lower.split('=', 2);
    if (key === 'paged' && (PAGED as readonly string[]).includes(value)) paged = value as Paged;
    else if (key === 'runbook' && (COVERAGE as readonly string[]).includes(value)) runbook = value as Coverage;
    else if (key === 'paged') return invalid(`paged=${value.slice(0, 20)}: say paged=yes, paged=no or paged=not-mine`);
    else if (key === 'runbook')
      return invalid(`runbook=${value.slice(0, 20)}: say runbook=yes, runbook=partly, runbook=no or runbook=none`);
    else return invalid(`"${arg.slice(0, 40)}" is not part of an answer. ${ANSWER_USAGE}`);
  }
  if (paged === undefined && runbook === undefined && note === undefined) return invalid(ANSWER_USAGE);
  return {
    kind: 'answer',
    id,
    ...(paged !== undefined ? { paged } : {}),
    ...(runbook !== undefined ? { runbook } : {}),
    ...(note !== undefined ? { note } : {}),
  };
}

function parseGameDayWord(word: 'approve' | 'skip', args: string[]): Command {
  const [name, at, extra] = args;
  const usage = `usage: \`${word} GAMEDAY\``;
  if (name === undefined || extra !== undefined || name.startsWith('@'))
    return { kind: 'invalid', command: word, message: usage };
  if (at === undefined) return { kind: word, name };
  if (!/^@\d{1,15}$/.test(at)) return { kind: 'invalid', command: word, message: usage };
  return { kind: word, name, at: Number(at.slice(1)) };
}

/** Attack ids are SQLite row ids; more digits than this is not an id anyone was given. */
const MAX_ID_DIGITS = 15;

function parseHistory(args: string[]): Command {
  const usage = 'usage: `history [N]`, `history #ID`, `history host HOST`, `history attack ATTACK` or `history failed`';
  const [a, b, c] = args;
  if (a === undefined) return { kind: 'history', limit: DEFAULT_HISTORY };
  if (a.startsWith('#')) {
    const digits = a.slice(1);
    if (b !== undefined || !/^\d+$/.test(digits) || digits.length > MAX_ID_DIGITS) {
      return { kind: 'invalid', command: 'history', message: 'usage: `history #ID`, e.g. `history #12`' };
    }
    const id = digits.replace(/^0+(?=\d)/, '');
    if (id === '0') return { kind: 'invalid', command: 'history', message: 'attack ids start at #1' };
    return { kind: 'history-detail', id };
  }
  const lower = a.toLowerCase();
  if (lower === 'failed') return withLimit({ by: 'failed' }, b, c, usage);
  if ((lower === 'host' || lower === 'attack') && b !== undefined) {
    const filter: HistoryFilter = lower === 'host' ? { by: 'host', value: b } : { by: 'attack', value: b };
    const rest = args.slice(2);
    return withLimit(filter, rest[0], rest[1], usage);
  }
  if (/^\d+$/.test(a) && b === undefined) {
    const n = Number(a);
    if (n < 1 || n > MAX_HISTORY) {
      const hint = n > MAX_HISTORY ? ` (one attack: \`history #${a}\`)` : '';
      return { kind: 'invalid', command: 'history', message: `N must be from 1 to ${MAX_HISTORY}${hint}` };
    }
    return { kind: 'history', limit: n };
  }
  return { kind: 'invalid', command: 'history', message: usage };
}

function withLimit(filter: HistoryFilter, n: string | undefined, extra: string | undefined, usage: string): Command {
  if (extra !== undefined || (n !== undefined && !/^\d+$/.test(n)))
    return { kind: 'invalid', command: 'history', message: usage };
  const limit = n === undefined ? DEFAULT_HISTORY : Math.min(MAX_HISTORY, Math.max(1, Number(n)));
  return { kind: 'history', limit, filter };
}
