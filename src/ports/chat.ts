import type { BlastCap } from '../domain/blast-radius.js';
import type { EvidenceSeries } from '../domain/evidence.js';
import type { Fault } from '../domain/fault.js';
import type { GameDayNotice, GameDaySkip } from '../domain/game-day.js';
import type { AttackDef, AttackRecord, Halt, ProviderResult, Trigger } from '../domain/model.js';
import type { AbortResult } from './executor.js';

/** Outcome of aborting one attack, for the stop reply and announcements. */
export interface AbortOutcome {
  readonly attackId: string;
  readonly attack: string;
  readonly host: string;
  readonly result: AbortResult;
  /** When the on-host timer kills the attack and runs its rollback (epoch ms): what an unreachable host is told. */
  readonly deadlineAt: number;
}

/** How an attack goes on, told in its thread as it happens. */
export type Progress =
  /** It runs on its hosts (live): how many. */
  | { readonly kind: 'started'; readonly hosts: number }
  /** A dry run: it was announced and recorded, nothing touched. */
  | { readonly kind: 'dry-run' }
  /** In a run over several hosts, one host's revert answered (each is told as it arrives). */
  | {
      readonly kind: 'host-reverted';
      readonly host: string;
      readonly id: string | null;
      readonly result: AbortResult;
      readonly deadlineAt: number;
    };

/**
 * What the channel should know beyond one attack's story, as data: words/notices.ts says it.
 */
export type Notice =
  /** The bot could not hear `stop` for longer than schedule.deafTimeout, so it told the hosts to revert these attacks. */
  | {
      readonly kind: 'deaf-reverted';
      readonly from: number;
      readonly to: number;
      readonly why: string;
      readonly timeoutMs: number;
      readonly attacks: readonly { readonly id: string; readonly attack: string; readonly host: string }[];
    }
  /** The next contact with a host checked an attack whose end nobody saw. */
  | { readonly kind: 'end-checked'; readonly record: AttackRecord; readonly result: AbortResult; readonly at: number }
  /** A game day's notice could not be recorded: it is tried again; unapproved, it does not start. */
  | { readonly kind: 'game-day-unrecorded'; readonly name: string; readonly at: number; readonly error: string }
  /** A game day did not start, and why. */
  | { readonly kind: 'game-day-skipped'; readonly name: string; readonly at: number; readonly skip: GameDaySkip }
  /** The live check at start found problems (the bot runs on). */
  | { readonly kind: 'live-check'; readonly problems: readonly { readonly what: string; readonly detail: string }[] }
  /** The database file is no longer this bot's: every team is halted until a restart. */
  | { readonly kind: 'database-lost'; readonly reason: string }
  /** A line the transport says itself (its start-up line). */
  | { readonly kind: 'transport'; readonly text: string };

/**
 * What a start announcement must carry, as data (words/announcements.ts `startNoteText` says it):
 * who skipped the health gate with --force, and how many hosts of how many eligible when the blast
 * radius was capped (`why`: the cap as blastCount gave it, domain/blast-radius.ts `BlastCap`).
 */
export interface StartNote {
  readonly forcedBy?: Trigger | undefined;
  readonly capped?: { readonly hosts: number; readonly eligible: number; readonly why: BlastCap } | undefined;
}

/** Things worth telling the channel. Transports render them (console lines, Slack Block Kit). */
export type ChatEvent =
  | {
      readonly kind: 'attack-started';
      readonly record: AttackRecord;
      readonly attack: AttackDef | null;
      /** What the announcement must carry besides the attack: a forced health gate, a capped blast radius. */
      readonly note?: StartNote;
    }
  | { readonly kind: 'attack-progress'; readonly record: AttackRecord; readonly progress: Progress }
  /** `legs`: for a run over several hosts, the other hosts' rows (`record` is the run's, its first host). */
  | { readonly kind: 'attack-ended'; readonly record: AttackRecord; readonly legs?: readonly AttackRecord[] }
  | {
      readonly kind: 'auto-aborted';
      readonly record: AttackRecord;
      readonly failing: readonly ProviderResult[];
      readonly halted: boolean;
    }
  /**
   * A stop latched. Sent at once, before any host answered: `reverting` lists the attacks being
   * reverted; each one's result follows as its own `attack-ended` (in its thread) as it arrives.
   */
  | { readonly kind: 'halted'; readonly halt: Halt; readonly reverting: readonly AttackRecord[] }
  | { readonly kind: 'resumed'; readonly by: string; readonly at: number }
  /** The steady-state verdict of an attack, once known; `not-recovered` also goes to the channel. */
  | { readonly kind: 'verdict'; readonly record: AttackRecord; readonly halted: boolean }
  /** After a live attack's verdict, in its thread: its metrics around the fault (a chart each in Slack), and those that could not be read. */
  | {
      readonly kind: 'evidence';
      readonly record: AttackRecord;
      readonly series: readonly EvidenceSeries[];
      readonly failed: readonly { readonly title: string; readonly why: string }[];
    }
  /** After a live attack's verdict, in its thread: were you paged, did the runbook cover it (buttons in Slack). */
  | { readonly kind: 'questions'; readonly record: AttackRecord; readonly runbook: string | null }
  | { readonly kind: 'orphan-recovered'; readonly record: AttackRecord; readonly outcome: AbortOutcome }
  /** A host where a fault may remain: the team is halted until an admin resolves it (told in the channel). */
  | { readonly kind: 'fault-may-remain'; readonly fault: Fault }
  | { readonly kind: 'shutdown'; readonly aborted: readonly AbortOutcome[] }
  | { readonly kind: 'notice'; readonly notice: Notice }
  /** A game day's notice, posted `announce` ahead: Slack shows Approve and Skip buttons. */
  | { readonly kind: 'game-day-notice'; readonly notice: GameDayNotice }
  /** The daily report, posted to the announcement channel with its chart. */
  | { readonly kind: 'report'; readonly reply: Reply };

/**
 * The outbound side of a chat transport. Side effects: posts messages. Never throws and never
 * delays an attack: a transport that cannot post logs and retries within bounds.
 */
export interface Announcer {
  announce(event: ChatEvent): Promise<void>;
  /**
   * Posts an attack's start announcement, with its Stop button where the transport has one, and
   * resolves once the chat accepted it (ok) or could not take it within bounds (not ok, with why).
   * Never throws. No announcement, no attack: the runner starts nothing on the host before ok.
   * Later events of the same attack (progress, ended) go to the same thread.
   */
  announceStart(event: Extract<ChatEvent, { kind: 'attack-started' }>): Promise<Posted>;
}

export type Posted = { readonly ok: true } | { readonly ok: false; readonly reason: string };

import type { Hearing } from '../domain/policy.js';

export type { Hearing };

/**
 * Whether the bot can hear a `stop` right now (Socket Mode connected, Web API reachable, console
 * input open). No side effects. No ears, no chaos: the scheduler starts nothing while this is not ok.
 */
export interface Ears {
  hearing(): Hearing;
}

/** What a transport needs to speak for one team. */
export interface TeamChat {
  readonly name: string;
  /** Where its announcements go (Slack channel id); the console has none. */
  readonly channel: string | undefined;
  /** The team's own admins, besides the global ones. */
  readonly admins: readonly string[];
  readonly adminGroups: readonly string[];
  readonly timezone: string;
  /** Shown before its console announcements when the bot serves several teams, e.g. `[payments]`. */
  readonly label: string | null;
}

/**
 * A chat transport as the composition root sees it (console, Slack): it announces, hears and
 * authorises, and is started and stopped. Side effects: reads and writes its chat.
 */
export interface ChatTransport extends Announcer, Ears, Authorizer {
  /** The announcer and admins of one team: its channel, and its admins besides the global ones. */
  forTeam(team: TeamChat): Announcer & Authorizer;
  /** Starts taking commands. */
  start(): Promise<void>;
  /** Stops taking commands and closes the connection. */
  stop(): Promise<void>;
  /** Where the transport has an overview page (Slack's App Home): what it shows from now on. */
  showOverview?(overview: Overview): void;
}

/** Who may run-once, start and force. Side effects: may call the chat API (cached). Never throws. */
export interface Authorizer {
  isAdmin(userId: string): Promise<boolean>;
  /** A short sentence for refusals: "Only <@U1>, <!subteam^S1> may run-once." */
  describeAdmins(): string;
}

/** A file sent along with a reply (the report's chart). Slack uploads it; the console writes it to disk. */
export interface Attachment {
  readonly filename: string;
  readonly title: string;
  readonly contentType: string;
  readonly data: Uint8Array;
}

/**
 * A table as data. Each edge lays it out its own way: the console in aligned columns, Slack as a
 * table block, the web archive as an HTML table that becomes cards on a phone.
 */
export interface Table {
  /** What the table is, e.g. "By attack"; shown above it. */
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Indexes of the columns whose cells line up on the right (counts, durations). */
  readonly numeric?: readonly number[];
  /** A sentence under the table (what a column means). */
  readonly note?: string;
}

/**
 * A reply to a command. `block` is preformatted text (an attack's output, `history #ID`); transports
 * show it monospaced. `tables` are laid out by each transport (Slack as a table block).
 */
export interface Reply {
  readonly text: string;
  readonly block?: string;
  readonly tables?: readonly Table[];
  /**
   * The whole of a long reply (the report) for a transport with room: the console shows it instead
   * of `text` and `tables`. Slack shows `text`, which links to the rest in the web archive.
   */
  readonly full?: { readonly text: string; readonly tables: readonly Table[] };
  readonly attachments?: readonly Attachment[];
  /** Only the asker should see it (Slack ephemeral); the console prints it as usual. */
  readonly ephemeral?: boolean;
}

/** A command as received by a transport; the text is untrusted. */
export interface Inbound {
  readonly text: string;
  /** User id (`console` for the console). */
  readonly actor: string;
  /** console, slack-mention, slack-command, slack-button, ... */
  readonly transport: string;
  /** Where it was said (Slack channel id); a command in a team's channel acts on that team. */
  readonly channel?: string;
}

/** One team at a glance, as Slack's App Home shows it. */
export interface TeamOverview {
  readonly team: string;
  /** Hosts where a fault may remain, one line each, shown first: the team is halted until each is resolved. */
  readonly faults: readonly string[];
  /** Why the team is halted, or null while it runs. */
  readonly halted: string | null;
  readonly dryRun: boolean;
  /** One line per attack in flight (or being verified). */
  readonly inFlight: readonly string[];
  /** When the scheduler may attack next, and why not earlier. */
  readonly next: string;
  /** The latest attacks, newest first, one line each with its outcome and verdict. */
  readonly verdicts: readonly string[];
}

/** The state of every team, read when a chat shows it. No side effects but store reads; never throws. */
export interface Overview {
  teams(): readonly TeamOverview[];
}

/** A transport that can show the overview (Slack's App Home) and refreshes it as state changes. */
export interface OverviewShower {
  showOverview(overview: Overview): void;
}
