/** The web archive's use cases: the day cards, a day's report, one attack whole. Reads only. */
import type { Config } from '../../config/config.js';
import { dayCard, pageDates, todayIn } from '../../domain/day-card.js';
import type { EvidenceSeries } from '../../domain/evidence.js';
import type { AttackRecord } from '../../domain/model.js';
import { localDay } from '../../domain/report.js';
import type { AnswerLog } from '../../ports/answer-log.js';
import {
  type Archive,
  type ArchiveFilter,
  type ArchiveReader,
  type AttackView,
  type IndexQuery,
  type IndexView,
  MAX_PAGE,
  type ReportContent,
} from '../../ports/archive.js';
import type { Clock } from '../../ports/clock.js';
import type { EvidenceLog } from '../../ports/evidence.js';
import type { AttackReads, SampleLog } from '../../ports/store.js';
import { faultText } from '../../words/announcements.js';
import { type ReportReads, reportContent } from './report.js';

export interface ArchiveDeps {
  readonly store: ReportReads & Pick<AttackReads, 'getAttack' | 'runMembers'> & Pick<SampleLog, 'samplesOf'>;
  readonly archive: ArchiveReader;
  /** What people answered after each attack; without it the pages show none. */
  readonly answers?: Pick<AnswerLog, 'answersOf' | 'answersFor' | 'fixesFor'>;
  /** Each attack's kept metrics; without it the pages show none. */
  readonly evidence?: Pick<EvidenceLog, 'seriesOf' | 'seriesFor'>;
  readonly clock: Clock;
  readonly config: Pick<Config, 'timezone' | 'businessHours' | 'dryRun' | 'hosts' | 'attacks' | 'teams'>;
}

function filterOf(query: IndexQuery): ArchiveFilter {
  return {
    ...(query.team !== undefined ? { team: query.team } : {}),
    ...(query.host !== undefined ? { hosts: [query.host] } : {}),
    ...(query.attack !== undefined ? { attack: query.attack } : {}),
  };
}

export function archiveIndex(deps: ArchiveDeps, query: IndexQuery): IndexView {
  const tz = deps.config.timezone;
  const filter = filterOf(query);
  const dates = pageDates(todayIn(deps.clock.now(), tz), query.page);
  const cards = dates.flatMap((date) => {
    const day = localDay(date, tz);
    return day ? [dayCard(date, deps.archive.dayFacts(day, filter))] : [];
  });
  const first = deps.archive.firstRecord();
  const oldest = localDay(dates.at(-1) ?? '', tz);
  const hosts = deps.config.hosts;
  return {
    faults: deps.archive.openFaults().map((f) => faultText(f, tz)),
    query,
    cards,
    older: query.page < MAX_PAGE && first !== null && oldest !== null && first < oldest.start,
    timezone: tz,
    // Without `teams:` there is one team, `default`: no filter to offer.
    teams: deps.config.teams.filter((t) => !t.implicit).map((t) => t.name),
    hosts: hosts.map((h) => h.name).sort(),
    attacks: deps.config.attacks.map((a) => a.name).sort(),
  };
}

/** The day's report: the very content the channel gets. */
export function archiveDay(deps: ArchiveDeps, date: string): ReportContent {
  return reportContent(deps, date);
}

/** Evidence charts drawn beside one day's timeline, at most. */
const DAY_EVIDENCE = 12;

/** The day's live attacks that kept evidence, newest first, with their series. */
export function archiveDayEvidence(
  deps: ArchiveDeps,
  date: string,
): { readonly record: AttackRecord; readonly series: readonly EvidenceSeries[] }[] {
  const day = localDay(date, deps.config.timezone);
  if (!day || !deps.evidence) return [];
  const live = deps.store.history({ limit: 50_000, since: day.start, until: day.end }).filter((r) => !r.dryRun);
  if (live.length === 0) return [];
  const kept = deps.evidence.seriesFor(live.map((r) => r.id));
  return live
    .flatMap((record) => {
      const series = kept.get(record.id);
      return series?.length ? [{ record, series }] : [];
    })
    .slice(0, DAY_EVIDENCE);
}

const AUDIT_MARGIN_MS = 60_000;

function paramsToday(values: Readonly<Record<string, string>> | undefined): AttackView['params'] {
  return values ? { values, from: 'catalogue' } : null;
}

export function archiveAttack(deps: ArchiveDeps, id: string): AttackView | null {
  if (!/^\d{1,15}$/.test(id)) return null;
  const record = deps.store.getAttack(id);
  if (!record) return null;
  const until = (record.endedAt ?? deps.clock.now()) + AUDIT_MARGIN_MS;
  return {
    record,
    samples: deps.store.samplesOf(id),
    audit: deps.store.auditBetween(record.createdAt - AUDIT_MARGIN_MS, until),
    params: record.params
      ? { values: record.params, from: 'record' }
      : paramsToday(deps.config.attacks.find((a) => a.name === record.attack)?.params),
    hosts: record.hosts && record.hosts.length > 1 ? [record, ...deps.store.runMembers(id)] : [record],
    answers: deps.answers?.answersOf(id) ?? [],
    evidence: deps.evidence?.seriesOf(id) ?? [],
    timezone: deps.config.timezone,
  };
}

/** The archive port the web server reads through. */
export function createArchive(deps: ArchiveDeps): Archive {
  return {
    timezone: deps.config.timezone,
    index: (query) => archiveIndex(deps, query),
    day: (date) => archiveDay(deps, date),
    dayEvidence: (date) => archiveDayEvidence(deps, date),
    attack: (id) => archiveAttack(deps, id),
  };
}
