/**
 * The catalogue's replies: `help`, `attacks`, `hosts`, `history` and `history #ID`, from what
 * app/commands/catalogue.ts read (the catalogue, the hosts and their reach, the records).
 */
import type { Answer } from '../domain/answers.js';
import type { HistoryFilter } from '../domain/command-parser.js';
import { formatDuration } from '../domain/duration.js';
import type { AttackDef, AttackRecord, HostDef } from '../domain/model.js';
import type { Reply } from '../ports/chat.js';
import type { SourceStatus } from '../ports/host-directory.js';
import { verdictLine } from './announcements.js';
import { answerLines } from './answers.js';
import { plural } from './common.js';
import { attackDetail, attackLine, type DetailInput, historyTable, outcomeText } from './format.js';
import { hostCells, sourceLines } from './inventory.js';

/** "DELAY_MS=200 (1..10000 ms), SIGNAL=KILL (KILL|TERM)": an attack's parameters, as `attacks` shows them. */
export function paramSummary(attack: AttackDef): string {
  const parts = Object.entries(attack.params).map(([name, value]) => {
    const spec = attack.paramSpecs?.[name];
    if (!spec) return `${name}=${value}`;
    if (spec.enum) return `${name}=${value} (${spec.enum.join('|')})`;
    if (spec.min !== undefined || spec.max !== undefined) {
      return `${name}=${value} (${spec.min ?? ''}..${spec.max ?? ''}${spec.unit ? ` ${spec.unit}` : ''})`;
    }
    return `${name}=${value}`;
  });
  return parts.join(', ');
}

export const HELP = [
  '`run-once [ATTACK] [HOST] [NAME=VALUE …] [count=N | percent=P] [--force]` — one attack now (admins; parameters within their bounds, see `attacks`; count/percent: how many hosts; --force skips the health gate)',
  '`stop [reason]` — revert every attack in flight and halt until `start` (anyone)',
  '`start` — resume after a stop (admins)',
  '`resolve #ID [note]` — the fault that may have remained after attack #ID is fixed (admins); until then `start` is refused',
  '`status` — halted or running, what is in flight, when the next attack may come',
  '`history [N]` | `history host HOST` | `history attack ATTACK` | `history failed` — recent attacks',
  '`history #ID` — one attack whole: timeline, parameters, probe samples, output, verdict, what people answered',
  '`answer #ID paged=yes|no|not-mine runbook=yes|partly|no|none note TEXT` — what you learned from a live attack (anyone; your latest answer counts)',
  '`fixed #ID [note]` — the gaps attack #ID found (monitoring, paging, runbook) are dealt with (admins)',
  '`report [YYYY-MM-DD]` — the daily chaos report',
  '`attacks` — the attack catalogue',
  '`hosts` — the hosts',
  '`approve GAMEDAY` | `skip GAMEDAY` — approve or cancel the announced game day (admins)',
  '`help` — this list',
].join('\n');

export function helpText(): string {
  return `ChaosCat commands:\n${HELP}`;
}

/** How many hosts an attack may hit now, and how many one run takes. */
export interface Reach {
  readonly eligible: number;
  readonly perRun: number;
}

/** "may hit 4 hosts, 2 per run", "may hit no host". */
export function reachText(r: Reach): string {
  if (r.eligible === 0) return 'may hit no host';
  return `may hit ${plural(r.eligible, 'host')}, ${r.perRun} per run`;
}

/** "tags web, names ^web-[0-9]+$, not web-canary", or "all hosts". */
export function selectorText(a: AttackDef): string {
  const parts = [
    ...(a.targets.length ? [a.targets.join(',')] : []),
    ...(a.names !== undefined ? [`names ${a.names}`] : []),
    ...(a.exclude?.length ? [`not ${a.exclude.join(',')}`] : []),
  ];
  return parts.length ? parts.join('; ') : 'all hosts';
}

/** One attack of the catalogue with its reach over the hosts known now. */
export interface CatalogueEntry {
  readonly attack: AttackDef;
  readonly reach: Reach;
}

/** `attacks`: a count, and the catalogue as a table. */
export function attacksReply(entries: readonly CatalogueEntry[]): Reply {
  const total = entries.reduce((s, e) => s + e.attack.weight, 0);
  const rows = entries.map(({ attack: a, reach }) => [
    a.name,
    formatDuration(a.durationMs),
    a.weight === 0 ? 'by name only' : `weight ${a.weight} (${Math.round((a.weight / total) * 100)}%)`,
    selectorText(a),
    reachText(reach),
    paramSummary(a) || '-',
    a.description,
  ]);
  const count = `${plural(entries.length, 'attack')}${rows.length ? ':' : '.'}`;
  if (rows.length === 0) return { text: count };
  const columns = ['attack', 'lasts', 'chance', 'targets', 'reach', 'params', 'what it does'];
  return { text: count, tables: [{ title: 'Attacks', columns, rows }] };
}

export interface HostsAnswer {
  readonly sources: readonly SourceStatus[];
  readonly now: number;
  readonly timezone: string;
  /** Each host with the teams that select it; owners null outside the fleet view (no team column). */
  readonly hosts: readonly { readonly host: HostDef; readonly owners: readonly string[] | null }[];
  /** Each attack's reach over these hosts. */
  readonly reach: readonly { readonly attack: string; readonly reach: Reach }[];
}

/** Whose a host is: its team, "(no team)", or the teams that both select it (never attacked). */
function ownersText(owners: readonly string[]): string {
  if (owners.length === 1) return owners[0] as string;
  return owners.length === 0 ? '(no team)' : `${owners.join(' and ')}: never attacked`;
}

/**
 * `hosts`: each inventory source with its age (or why it gives nothing), then each host with its
 * source. Sources first: a chat cuts a long block, and an inventory may list thousands of hosts.
 */
export function hostsReply(a: HostsAnswer): Reply {
  const lines = a.sources.length > 0 ? ['*Sources:*', ...sourceLines(a.sources, a.now, a.timezone)] : [];
  const fleet = a.hosts.some((h) => h.owners !== null);
  const rows = a.hosts.map(({ host, owners }) => [...hostCells(host), ...(owners !== null ? [ownersText(owners)] : [])]);
  if (a.hosts.length > 0 && a.reach.length > 0) {
    lines.push('*Attacks:*', ...a.reach.map((r) => `${r.attack}: ${reachText(r.reach)}`));
  }
  const columns = ['host', 'address', 'tags', 'source', ...(fleet ? ['team'] : [])];
  const text = [`${plural(a.hosts.length, 'host')}${a.hosts.length ? ':' : '.'}`, ...lines].join('\n');
  return { text, ...(rows.length ? { tables: [{ title: 'Hosts', columns, rows }] } : {}) };
}

/** An attack can be listed as failed while its outcome reads `completed`: say why. */
const FAILED_MEANS =
  'failed = the attack or its rollback failed, it was orphaned, its end was not confirmed, or the system did not recover (verdict)';

export interface HistoryAnswer {
  readonly filter: HistoryFilter | undefined;
  readonly records: readonly AttackRecord[];
  /** Ids whose fault ended and whose verdict is still awaited. */
  readonly awaiting: ReadonlySet<string>;
  /** Over every team: the table has a team column. */
  readonly fleet: boolean;
}

/** `history`: the recent attacks (of a host, of an attack, the failed ones) as a table. */
export function historyReply(a: HistoryAnswer, timezone: string): Reply {
  const { filter, records } = a;
  const noun = records.length === 1 ? 'attack' : 'attacks';
  const table = historyTable(records, timezone, a.awaiting, a.fleet);
  if (filter?.by === 'failed') {
    if (records.length === 0) return { text: 'No failed, unconfirmed or not-recovered attacks recorded yet.' };
    return { text: `Last ${records.length} failed ${noun}:`, tables: [{ ...table, note: FAILED_MEANS }] };
  }
  const what = filter?.by === 'host' ? ` on ${filter.value}` : filter?.by === 'attack' ? ` of ${filter.value}` : '';
  if (records.length === 0) return { text: `No attacks${what} recorded yet.` };
  return { text: `Last ${records.length} ${noun}${what}:`, tables: [table] };
}

/** The first line of `history #ID`: the verdict as the thread told it, or why there is none. */
export function detailHeadline(r: AttackRecord, inFlight: boolean): string {
  if (r.verdict !== null) return verdictLine(r);
  const state = outcomeText(r);
  if (r.startedAt === null) return `${attackLine(r)}: ${state}; no verdict: it never touched the host.`;
  if (inFlight) return `${attackLine(r)}: ${state}; verdict pending (the probes run until it is known).`;
  return `${attackLine(r)}: ${state}; no verdict recorded.`;
}

export type DetailAnswer =
  | { readonly kind: 'unknown'; readonly id: string }
  | {
      readonly kind: 'found';
      readonly detail: DetailInput;
      /** What people answered; null when there is nothing to ask (a dry run, in flight, no answer log). */
      readonly answers: readonly Answer[] | null;
    };

/** `history #ID`: one attack whole — its timeline, parameters, probe samples, output tail and verdict. */
export function detailReply(a: DetailAnswer): Reply {
  if (a.kind === 'unknown') {
    return { text: `No attack #${a.id} is recorded. \`history\` lists the recent ones with their ids.` };
  }
  const { detail } = a;
  const taught = a.answers === null ? [] : answerLines(a.answers, detail.timezone);
  return {
    text: detailHeadline(detail.record, detail.inFlight),
    block: [attackDetail(detail), ...taught].join('\n'),
  };
}
