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
