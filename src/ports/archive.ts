import type { Answer } from '../domain/answers.js';
import type { DayCard, DayFacts } from '../domain/day-card.js';
import type { EvidenceSeries } from '../domain/evidence.js';
import type { Fault } from '../domain/fault.js';
import type { AttackRecord, ProbeRecord } from '../domain/model.js';
import type { DaySummary } from '../domain/report.js';
import type { Table } from './chat.js';
import type { AuditEntry } from './store.js';

/** Narrows the index to some hosts and/or one attack; empty = everything. */
export interface ArchiveFilter {
  /** One team's attacks (the `team` column). */
  readonly team?: string;
  readonly hosts?: readonly string[];
  readonly attack?: string;
}

/**
 * The queries the web archive needs beyond the Store's reads. Side effects: none — implementations
 * read a connection that cannot write.
 */
export interface ArchiveReader {
  /** What the store holds for [start, end): attacks (filtered), ticks, halts. */
  dayFacts(range: { readonly start: number; readonly end: number }, filter: ArchiveFilter): DayFacts;
  /** When the oldest attack or tick was recorded; null for an empty database. */
  firstRecord(): number | null;
  /** Every team's faults that may remain (not resolved), oldest first. */
  openFaults(): readonly Fault[];
}

/** The index's query string, as given (unknown names simply match nothing). */
export interface IndexQuery {
  /** 0 = the latest 30 days, 1 = the 30 before, … */
  readonly page: number;
  /** One team's attacks. */
  readonly team?: string | undefined;
  readonly host?: string | undefined;
  readonly attack?: string | undefined;
}

export interface IndexView {
  readonly query: IndexQuery;
  /** Newest first. */
  readonly cards: readonly DayCard[];
  /** Older pages hold records. */
  readonly older: boolean;
  readonly timezone: string;
  /** Hosts where a fault may remain, one line each: shown above everything else. */
  readonly faults: readonly string[];
  /** What the filters offer (from the config). */
  readonly teams: readonly string[];
  readonly hosts: readonly string[];
  readonly attacks: readonly string[];
}

/** Pages further back than this are refused (about 8 years): a URL cannot make the server loop for long. */
export const MAX_PAGE = 100;

export interface AttackView {
  readonly record: AttackRecord;
  readonly samples: readonly ProbeRecord[];
  /** Commands from a minute before the attack was created to a minute after it ended (or now). */
  readonly audit: readonly AuditEntry[];
  /**
   * The parameter values: as the attack ran with them (kept on its record), or, for a record from
   * before they were kept, as today's catalogue defines them (said so); null when neither is known.
   */
  readonly params: { readonly values: Readonly<Record<string, string>>; readonly from: 'record' | 'catalogue' } | null;
  /** Every host of its run, each with its own row (one for an attack on one host). */
  readonly hosts: readonly AttackRecord[];
  /** What people answered after it, each person's latest. */
  readonly answers: readonly Answer[];
  /** Its metrics around the fault, as kept (empty when none were configured or read). */
  readonly evidence: readonly EvidenceSeries[];
  readonly timezone: string;
}

/** One day's report before a transport shapes it: the channel report and the web archive both read this. */
export type ReportContent =
  | {
      readonly kind: 'report';
      readonly summary: DaySummary;
      /** The channel's lines (Slack-style `*bold*`), failures first. */
      readonly lines: readonly string[];
      /** By attack, by host, verdicts, business minutes, commands (none on an empty day). */
      readonly tables: readonly Table[];
    }
  /** Not a date, or a day that has not begun: the sentence says which. */
  | { readonly kind: 'none'; readonly text: string };

/**
 * The web archive's three reads, as the app answers them (app/reports/archive.ts). Side effects:
 * none — it reads the store.
 */
export interface Archive {
  readonly timezone: string;
  /** The day cards of one page, newest first. */
  index(query: IndexQuery): IndexView;
  /** One day's report (YYYY-MM-DD): the very content the channel gets. */
  day(date: string): ReportContent;
  /** The day's live attacks that kept evidence (at most a dozen, newest first), for charts beside its timeline. */
  dayEvidence(date: string): readonly { readonly record: AttackRecord; readonly series: readonly EvidenceSeries[] }[];
  /** One attack whole; null for an id that is not one. */
  attack(id: string): AttackView | null;
}
