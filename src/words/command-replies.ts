/**
 * The replies of the command dispatcher, `run-once` (in chat and from a pipeline step) and the
 * fleet's own answers, from what happened (the app gathers it): said here once, so a reply reads
 * the same whichever transport asked.
 */
import { formatLocal } from '../domain/business-hours.js';
import type { ArgProblem } from '../domain/command.js';
import { formatDuration } from '../domain/duration.js';
import type { AttackRecord } from '../domain/model.js';
import type { ParamProblem } from '../domain/params.js';
import type { Refusal } from '../domain/refusal.js';
import { argProblemText, paramProblemText } from './arg-problems.js';
import { plural } from './common.js';
import { attackLine } from './format.js';
import type { InFlight } from './halt-replies.js';
import { notStartedText, refusalText } from './refusals.js';

/** What the dispatcher answers itself, before or instead of a command. */
export type CommandAnswer =
  /** The command threw: its word and the error's message. */
  | { readonly kind: 'failed'; readonly command: string; readonly cause: string }
  /** An admin's command from someone else; `admins` is the authorizer's own sentence. */
  | { readonly kind: 'not-admin'; readonly command: string; readonly admins: string }
  /** `approve`/`skip` said where no team's game days are at hand. */
  | { readonly kind: 'which-team'; readonly verb: 'approve' | 'skip'; readonly name: string }
  | { readonly kind: 'no-report' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'invalid'; readonly command: string; readonly problem: ArgProblem }
  | { readonly kind: 'unknown'; readonly word: string; readonly commands: readonly string[] };

export function commandAnswerText(a: CommandAnswer): string {
  switch (a.kind) {
    case 'failed':
      return `Sorry, \`${a.command}\` failed: ${a.cause}`;
    case 'not-admin':
      return `Sorry, only admins may \`${a.command}\`. ${a.admins} Anyone may \`stop\`.`;
    case 'which-team':
      return `Which team? \`${a.verb} TEAM ${a.name}\`, or say it in the team's channel.`;
    case 'no-report':
      return 'The report is not available in this build.';
    case 'empty':
      return 'Say `help` to see what I can do.';
    case 'invalid':
      return `Cannot \`${a.command}\`: ${argProblemText(a.problem)}.`;
    case 'unknown':
      return `I don't know "${a.word}". Commands: ${a.commands.join(', ')}. Say \`help\` for details.`;
  }
}

/** Why a named attack or host was turned down before anything was admitted (chat or pipeline). */
export type RequestProblem =
  /** A name not in the catalogue (or not among the team's hosts). */
  | { readonly kind: 'unknown-name'; readonly what: 'attack' | 'host'; readonly name: string; readonly known: readonly string[] }
  /** A host of another team (`owner`), or of none (null); `own` lists the team's hosts. */
  | {
      readonly kind: 'foreign-host';
      readonly host: string;
      readonly owner: string | null;
      readonly team: string;
      readonly own: readonly string[];
    }
  /** Refused as it stands (a pair that cannot work, or the admission's refusal). */
  | { readonly kind: 'refused'; readonly refusal: Refusal }
  /** Parameters out of bounds, unknown or not in the list. */
  | { readonly kind: 'bad-params'; readonly problem: ParamProblem };

/** Explains an unknown name, calling out look-alike characters that would otherwise hide. */
export function unknownNameText(what: 'attack' | 'host', name: string, known: readonly string[]): string {
  const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  const lookalike = /[^\x20-\x7E]/.test(name) ? ' (it contains non-ASCII characters)' : '';
  return `Unknown ${what} "${shown}"${lookalike}. Known ${what}s: ${known.length ? known.join(', ') : '(none configured)'}.`;
}

export function requestProblemText(p: RequestProblem, timezone: string): string {
  switch (p.kind) {
    case 'unknown-name':
      return unknownNameText(p.what, p.name, p.known);
    case 'foreign-host': {
      const whose = p.owner === null ? 'in no team' : `team ${p.owner}'s host`;
      return `${p.host} is ${whose}; ${p.team} attacks only its own hosts: ${p.own.join(', ') || '(none)'}.`;
    }
    case 'refused':
      return `Not starting: ${refusalText(p.refusal, timezone)}.`;
    case 'bad-params':
      return `Not starting: ${paramProblemText(p.problem)}.`;
  }
}

/** What a person's `run-once` did, or why it did not. */
export type RunOnceAnswer =
  | RequestProblem
  /** Admitted; `forced`: the health gate is skipped for the attack's whole life. */
  | { readonly kind: 'started'; readonly record: AttackRecord; readonly forced: boolean }
  /** Refused or failed at admission; `inFlight` names what holds the slot (for `in-flight`). */
  | {
      readonly kind: 'not-started';
      readonly refusal: Refusal;
      readonly record: AttackRecord | null;
      readonly inFlight: readonly InFlight[];
    };

export function runOnceText(a: RunOnceAnswer, timezone: string): string {
  switch (a.kind) {
    case 'started': {
      const forced = a.forced ? ' Health gate skipped (--force) for its whole life.' : '';
      return `Started ${attackLine(a.record)} for ${formatDuration(a.record.durationMs)}.${forced} Say \`stop\` to revert it.`;
    }
    case 'not-started':
      return notStartedText(a, timezone);
    default:
      return requestProblemText(a, timezone);
  }
}

/** What a pipeline step's `run-once` was told: admitted, refused, or the attack's verdict. */
export type PipelineStepAnswer =
  | RequestProblem
  /** A pipeline keeps to business hours: when they open next (null: not in two weeks), in `zone`. */
  | { readonly kind: 'closed'; readonly opens: number | null; readonly zone: string }
  | { readonly kind: 'started'; readonly record: AttackRecord }
  /** The attack ended and its verdict is known (or there is none). */
  | { readonly kind: 'verdict'; readonly record: AttackRecord };

/** "#12 cpu-hog on web-1: completed, recovered": how an attack ended, for the step's last line. */
export function verdictText(r: AttackRecord): string {
  return `${attackLine(r)}: ${r.state}${r.verdict ? `, ${r.verdict}` : ''}`;
}

export function pipelineStepText(a: PipelineStepAnswer, timezone: string): string {
  switch (a.kind) {
    case 'closed': {
      const when = a.opens === null ? 'not in the next two weeks' : `opens ${formatLocal(a.opens, a.zone)}`;
      return `Not starting: outside business hours: ${when} ${a.zone}.`;
    }
    case 'started':
      return `Started ${attackLine(a.record)}.`;
    case 'verdict':
      return verdictText(a.record);
    default:
      return requestProblemText(a, timezone);
  }
}

/** The fleet's own answers, when a command names no team or every team. */
export type FleetAnswer =
  /** The head of every team's stop reply. */
  | { readonly kind: 'stop-all'; readonly teams: readonly string[] }
  /** The head of every team's start reply. */
  | { readonly kind: 'start-all' }
  | { readonly kind: 'which-team'; readonly command: 'start' | 'run-once'; readonly teams: readonly string[] }
  /** The head of the status of every team. */
  | { readonly kind: 'status-all'; readonly count: number }
  /** Appended to help: how to name a team. */
  | { readonly kind: 'help-teams'; readonly teams: readonly string[] }
  | { readonly kind: 'not-global-admin'; readonly admins: string };

export function fleetAnswerText(a: FleetAnswer): string {
  switch (a.kind) {
    case 'stop-all':
      return `Stop for every team (${a.teams.join(', ')}):`;
    case 'start-all':
      return 'Start for every team:';
    case 'which-team':
      return a.command === 'start'
        ? `Which team? \`start TEAM\` (${a.teams.join(', ')}), or \`start all\` (global admins).`
        : `Which team? \`run-once TEAM [ATTACK] [HOST]\`, with TEAM one of ${a.teams.join(', ')} (or say it in the team's channel).`;
    case 'status-all':
      return `${plural(a.count, 'team')}:`;
    case 'help-teams':
      return `Teams: ${a.teams.join(', ')}. In a team's channel a command acts on that team; elsewhere name it first: \`status payments\`, \`run-once payments [ATTACK] [HOST]\`, \`history payments\`. \`stop\` without a team halts every team; \`stop all\` and \`start all\` work anywhere.`;
    case 'not-global-admin':
      return `Sorry, only global admins may \`start all\`. ${a.admins} A team's admins can \`start\` in their team's channel, or \`start TEAM\`.`;
  }
}
