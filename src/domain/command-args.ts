/** Each command's arguments, read from its words (parseCommand gives them after the command word). */
import { COVERAGE, type Coverage, MAX_NOTE_CHARS, PAGED, type Paged } from './answers.js';
import { type Command, DEFAULT_HISTORY, type HistoryFilter, MAX_HISTORY, MAX_REASON_CHARS } from './command.js';

/** A word without the quotes around it. */
export function stripQuotes(word: string): string {
  return word.replace(/^["'`]+|["'`]+$/g, '');
}

const RUN_ONCE_USAGE = 'usage: `run-once [ATTACK] [HOST] [NAME=VALUE …] [count=N | percent=P] [--force]`';
const MAX_PARAMS = 10;

export function parseRunOnce(args: string[]): Command {
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
export function idAndNote(text: string, args: readonly string[], moreDigits: number): { id: string; note: string } | null {
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
export function parseAnswer(text: string, args: string[]): Command {
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

export function parseGameDayWord(word: 'approve' | 'skip', args: string[]): Command {
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

export function parseHistory(args: string[]): Command {
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
