/** The commands every transport parses chat text into (command-parser.ts), and their bounds. */
import type { Coverage, Paged } from './answers.js';

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
  /** Its arguments are not what the command takes: why, as data (words/arg-problems.ts says it). */
  | { readonly kind: 'invalid'; readonly command: string; readonly problem: ArgProblem };

/** The commands whose usage line a reply can show (`history-id`: `history #ID`'s). */
export type Usage = 'run-once' | 'answer' | 'approve' | 'skip' | 'history' | 'history-id' | 'resolve' | 'fixed' | 'report';

/**
 * Why a command's arguments were refused, as data (command-args.ts and command-parser.ts find it;
 * src/words/arg-problems.ts `argProblemText` says it). `shown`: what was typed, cut as it is shown back.
 */
export type ArgProblem =
  /** Not the command's shape: its usage line. */
  | { readonly kind: 'usage'; readonly usage: Usage }
  /** A command that takes no arguments was given some. */
  | { readonly kind: 'no-arguments'; readonly command: string }
  /** run-once: an option other than `--force`. */
  | { readonly kind: 'only-force' }
  /** run-once: more NAME=VALUE settings than `max`. */
  | { readonly kind: 'too-many-settings'; readonly max: number }
  /** run-once: `count=` or `percent=` given more than once. */
  | { readonly kind: 'blast-twice' }
  /** run-once: a count that is not a whole number of hosts, at least 1. */
  | { readonly kind: 'bad-count'; readonly shown: string }
  /** run-once: a percentage that is not whole, from 1 to 100. */
  | { readonly kind: 'bad-percent'; readonly shown: string }
  /** run-once: a NAME=VALUE whose name is not a parameter name. */
  | { readonly kind: 'not-a-param-name'; readonly shown: string }
  /** run-once: `NAME=` without a value. */
  | { readonly kind: 'needs-value'; readonly name: string }
  /** run-once: the same parameter set twice. */
  | { readonly kind: 'given-twice'; readonly name: string }
  /** run-once: parameters set without naming the attack. */
  | { readonly kind: 'params-without-attack' }
  /** answer: `note` with nothing after it. */
  | { readonly kind: 'empty-note' }
  /** answer: `paged=` with a value it does not take. */
  | { readonly kind: 'bad-paged'; readonly shown: string }
  /** answer: `runbook=` with a value it does not take. */
  | { readonly kind: 'bad-runbook'; readonly shown: string }
  /** answer: a word that is not part of an answer. */
  | { readonly kind: 'not-answer-part'; readonly shown: string }
  /** history: `#0`. */
  | { readonly kind: 'history-id-zero' }
  /** history: N outside 1..max; `oneAttack`: the id to suggest (`history #N`) when N was above it. */
  | { readonly kind: 'history-range'; readonly max: number; readonly oneAttack: string | null };

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
