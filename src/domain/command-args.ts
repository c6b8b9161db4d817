/** Each command's arguments, read from its words (parseCommand gives them after the command word). */
import { COVERAGE, type Coverage, MAX_NOTE_CHARS, PAGED, type Paged } from './answers.js';
import {
  type ArgProblem,
  type Command,
  DEFAULT_HISTORY,
  type HistoryFilter,
  MAX_HISTORY,
  MAX_REASON_CHARS,
  type Usage,
} from './command.js';

/** Not the command's shape: its usage line (words/arg-problems.ts has them). */
export function usage(of: Usage): ArgProblem {
  return { kind: 'usage', usage: of };
}

/** A word without the quotes around it. */
export function stripQuotes(word: string): string {
  return word.replace(/^["'`]+|["'`]+$/g, '');
}

const MAX_PARAMS = 10;

export function parseRunOnce(args: string[]): Command {
  const invalid = (problem: ArgProblem): Command => ({ kind: 'invalid', command: 'run-once', problem });
  const force = args.some((a) => a === '--force' || a === '-f');
  const rest = args.filter((a) => a !== '--force' && a !== '-f');
  if (rest.some((n) => n.startsWith('-'))) return invalid({ kind: 'only-force' });
  const names = rest.filter((a) => !a.includes('='));
  const pairs = rest.filter((a) => a.includes('='));
  if (names.length > 2) return invalid(usage('run-once'));
  const params: Record<string, string> = {};
  const blast: { count?: number; percent?: number } = {};
  if (pairs.length > MAX_PARAMS) return invalid({ kind: 'too-many-settings', max: MAX_PARAMS });
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const key = pair.slice(0, at);
    const value = pair.slice(at + 1);
    const lower = key.toLowerCase();
    if (lower === 'count' || lower === 'percent') {
      if (blast.count !== undefined || blast.percent !== undefined) return invalid({ kind: 'blast-twice' });
      const n = /^[0-9]{1,4}$/.test(value) ? Number(value) : Number.NaN;
      if (lower === 'count' && !(n >= 1)) return invalid({ kind: 'bad-count', shown: value.slice(0, 20) });
      if (lower === 'percent' && !(n >= 1 && n <= 100)) return invalid({ kind: 'bad-percent', shown: value.slice(0, 20) });
      blast[lower] = n;
      continue;
    }
    if (!/^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(key)) {
      return invalid({ kind: 'not-a-param-name', shown: key.slice(0, 40) });
    }
    if (value === '') return invalid({ kind: 'needs-value', name: key });
    if (Object.keys(params).some((k) => k.toUpperCase() === key.toUpperCase()))
      return invalid({ kind: 'given-twice', name: key });
    params[key] = value;
  }
  const [attack, host] = names;
  if (attack === undefined && Object.keys(params).length > 0) {
    return invalid({ kind: 'params-without-attack' });
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

/** `answer #ID [paged=…] [runbook=…] [note TEXT…]`: the note is the rest of the line, as typed. */
export function parseAnswer(text: string, args: string[]): Command {
  const invalid = (problem: ArgProblem): Command => ({ kind: 'invalid', command: 'answer', problem });
  const id = /^#?([1-9][0-9]{0,14})$/.exec(args[0] ?? '')?.[1];
  if (!id) return invalid(usage('answer'));
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
      if (note === '') return invalid({ kind: 'empty-note' });
      break;
    }
    const [key, value = ''] = lower.split('=', 2);
    if (key === 'paged' && (PAGED as readonly string[]).includes(value)) paged = value as Paged;
    else if (key === 'runbook' && (COVERAGE as readonly string[]).includes(value)) runbook = value as Coverage;
    else if (key === 'paged') return invalid({ kind: 'bad-paged', shown: value.slice(0, 20) });
    else if (key === 'runbook') return invalid({ kind: 'bad-runbook', shown: value.slice(0, 20) });
    else return invalid({ kind: 'not-answer-part', shown: arg.slice(0, 40) });
  }
  if (paged === undefined && runbook === undefined && note === undefined) return invalid(usage('answer'));
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
  const invalid: Command = { kind: 'invalid', command: word, problem: usage(word) };
  if (name === undefined || extra !== undefined || name.startsWith('@')) return invalid;
  if (at === undefined) return { kind: word, name };
  if (!/^@\d{1,15}$/.test(at)) return invalid;
  return { kind: word, name, at: Number(at.slice(1)) };
}

/** Attack ids are SQLite row ids; more digits than this is not an id anyone was given. */
const MAX_ID_DIGITS = 15;

export function parseHistory(args: string[]): Command {
  const [a, b, c] = args;
  if (a === undefined) return { kind: 'history', limit: DEFAULT_HISTORY };
  if (a.startsWith('#')) {
    const digits = a.slice(1);
    if (b !== undefined || !/^\d+$/.test(digits) || digits.length > MAX_ID_DIGITS) {
      return { kind: 'invalid', command: 'history', problem: usage('history-id') };
    }
    const id = digits.replace(/^0+(?=\d)/, '');
    if (id === '0') return { kind: 'invalid', command: 'history', problem: { kind: 'history-id-zero' } };
    return { kind: 'history-detail', id };
  }
  const lower = a.toLowerCase();
  if (lower === 'failed') return withLimit({ by: 'failed' }, b, c);
  if ((lower === 'host' || lower === 'attack') && b !== undefined) {
    const filter: HistoryFilter = lower === 'host' ? { by: 'host', value: b } : { by: 'attack', value: b };
    const rest = args.slice(2);
    return withLimit(filter, rest[0], rest[1]);
  }
  if (/^\d+$/.test(a) && b === undefined) {
    const n = Number(a);
    if (n < 1 || n > MAX_HISTORY) {
      const oneAttack = n > MAX_HISTORY ? a : null;
      return { kind: 'invalid', command: 'history', problem: { kind: 'history-range', max: MAX_HISTORY, oneAttack } };
    }
    return { kind: 'history', limit: n };
  }
  return { kind: 'invalid', command: 'history', problem: usage('history') };
}

function withLimit(filter: HistoryFilter, n: string | undefined, extra: string | undefined): Command {
  if (extra !== undefined || (n !== undefined && !/^\d+$/.test(n)))
    return { kind: 'invalid', command: 'history', problem: usage('history') };
  const limit = n === undefined ? DEFAULT_HISTORY : Math.min(MAX_HISTORY, Math.max(1, Number(n)));
  return { kind: 'history', limit, filter };
}
