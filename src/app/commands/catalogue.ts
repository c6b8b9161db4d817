import { isFleetView, ownerOf } from '../../config/teams.js';
import { blastCount } from '../../domain/blast-radius.js';
import type { HistoryFilter } from '../../domain/command-parser.js';
import { formatDuration } from '../../domain/duration.js';
import type { AttackDef, AttackRecord, HostDef } from '../../domain/model.js';
import { paramSummary } from '../../domain/params.js';
import { eligibleHosts } from '../../domain/picker.js';
import type { Reply } from '../../ports/chat.js';
import { knownHosts } from '../../ports/host-directory.js';
import { verdictLine } from '../../words/announcements.js';
import { answerLines } from '../../words/answers.js';
import { plural } from '../../words/common.js';
import { attackDetail, attackLine, historyTable, outcomeText } from '../../words/format.js';
import { hostCells, sourceLines } from '../../words/inventory.js';
import type { AppContext } from '../context.js';
import { unknownName } from './run-once.js';

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

export function help(): Reply {
  return { text: `ChaosCat commands:\n${HELP}` };
}

export function listAttacks(ctx: Pick<AppContext, 'config' | 'hosts'>): Reply {
  const total = ctx.config.attacks.reduce((s, a) => s + a.weight, 0);
  const hosts = ctx.hosts.all();
  const rows = ctx.config.attacks.map((a) => [
    a.name,
    formatDuration(a.durationMs),
    a.weight === 0 ? 'by name only' : `weight ${a.weight} (${Math.round((a.weight / total) * 100)}%)`,
    selectorText(a),
    reachText(a, hosts),
    paramSummary(a) || '-',
    a.description,
  ]);
  const count = `${plural(ctx.config.attacks.length, 'attack')}${rows.length ? ':' : '.'}`;
  if (rows.length === 0) return { text: count };
  const columns = ['attack', 'lasts', 'chance', 'targets', 'reach', 'params', 'what it does'];
  return { text: count, tables: [{ title: 'Attacks', columns, rows }] };
}

/** "tags web, names ^web-[0-9]+$, not web-canary", or "all hosts". */
function selectorText(a: AttackDef): string {
  const parts = [
    ...(a.targets.length ? [a.targets.join(',')] : []),
    ...(a.names !== undefined ? [`names ${a.names}`] : []),
    ...(a.exclude?.length ? [`not ${a.exclude.join(',')}`] : []),
  ];
  return parts.length ? parts.join('; ') : 'all hosts';
}

/** "may hit 4 hosts, 2 per run": how many hosts the attack may hit, and how many one run takes. */
export function reachText(a: AttackDef, hosts: readonly HostDef[]): string {
  const eligible = eligibleHosts(a, hosts).length;
  if (eligible === 0) return 'may hit no host';
  const per = blastCount(a.blastRadius, eligible).count;
  return `may hit ${eligible} host${eligible === 1 ? '' : 's'}, ${per} per run`;
}

/**
 * `hosts`: each inventory source with its age (or why it gives nothing), then each host with its
 * source. Sources first: a chat cuts a long block, and an inventory may list thousands of hosts.
 */
export function listHosts(ctx: Pick<AppContext, 'clock' | 'config' | 'hosts'>): Reply {
  const hosts = ctx.hosts.all();
  const sources = ctx.hosts.sources();
  const lines = sources.length > 0 ? ['*Sources:*', ...sourceLines(sources, ctx.clock.now(), ctx.config.timezone)] : [];
  // Over every team: whose each host is (a host two teams select is nobody's: never attacked).
  const team = (h: (typeof hosts)[number]) => {
    const owners = ownerOf(ctx.config.teams, h).map((t) => t.name);
    if (owners.length === 1) return owners[0] as string;
    return owners.length === 0 ? '(no team)' : `${owners.join(' and ')}: never attacked`;
  };
  const fleet = isFleetView(ctx.config);
  const rows = hosts.map((h) => [...hostCells(h), ...(fleet ? [team(h)] : [])]);
  if (hosts.length > 0 && ctx.config.attacks.length > 0) {
    lines.push('*Attacks:*', ...ctx.config.attacks.map((a) => `${a.name}: ${reachText(a, hosts)}`));
  }
  const columns = ['host', 'address', 'tags', 'source', ...(fleet ? ['team'] : [])];
  const text = [`${plural(hosts.length, 'host')}${hosts.length ? ':' : '.'}`, ...lines].join('\n');
  return { text, ...(rows.length ? { tables: [{ title: 'Hosts', columns, rows }] } : {}) };
}

function hasHistory(ctx: Pick<AppContext, 'store'>, host: string): boolean {
  try {
    return ctx.store.history({ limit: 1, host }).length > 0;
  } catch {
    return false;
  }
}

/** An attack can be listed as failed while its outcome reads `completed`: say why. */
const FAILED_MEANS =
  'failed = the attack or its rollback failed, it was orphaned, its end was not confirmed, or the system did not recover (verdict)';

export function history(
  ctx: Pick<AppContext, 'config' | 'hosts' | 'runner' | 'store'>,
  limit: number,
  filter?: HistoryFilter,
): Reply {
  const { config } = ctx;
  // A host gone from the inventory still has its history: a name in the journal is known too.
  if (filter?.by === 'host' && !knownHosts(ctx.hosts).some((h) => h.name === filter.value) && !hasHistory(ctx, filter.value)) {
    return {
      text: unknownName(
        'host',
        filter.value,
        knownHosts(ctx.hosts).map((h) => h.name),
      ),
    };
  }
  if (filter?.by === 'attack' && !config.attacks.some((a) => a.name === filter.value)) {
    return {
      text: unknownName(
        'attack',
        filter.value,
        config.attacks.map((a) => a.name),
      ),
    };
  }
  const records = ctx.runner.records.overlay(
    ctx.store.history({
      limit,
      ...(filter?.by === 'host' ? { host: filter.value } : {}),
      ...(filter?.by === 'attack' ? { attack: filter.value } : {}),
      ...(filter?.by === 'failed' ? { failedOnly: true } : {}),
    }),
  );
  const noun = records.length === 1 ? 'attack' : 'attacks';
  if (filter?.by === 'failed') {
    if (records.length === 0) return { text: 'No failed, unconfirmed or not-recovered attacks recorded yet.' };
    return {
      text: `Last ${records.length} failed ${noun}:`,
      tables: [{ ...historyTable(records, config.timezone, awaitingVerdict(ctx), isFleetView(config)), note: FAILED_MEANS }],
    };
  }
  const what = filter?.by === 'host' ? ` on ${filter.value}` : filter?.by === 'attack' ? ` of ${filter.value}` : '';
  if (records.length === 0) return { text: `No attacks${what} recorded yet.` };
  return {
    text: `Last ${records.length} ${noun}${what}:`,
    tables: [historyTable(records, config.timezone, awaitingVerdict(ctx), isFleetView(config))],
  };
}

/** The first line of `history #ID`: the verdict as the thread told it, or why there is none. */
function detailHeadline(r: AttackRecord, inFlight: boolean): string {
  if (r.verdict !== null) return verdictLine(r);
  const state = outcomeText(r);
  if (r.startedAt === null) return `${attackLine(r)}: ${state}; no verdict: it never touched the host.`;
  if (inFlight) return `${attackLine(r)}: ${state}; verdict pending (the probes run until it is known).`;
  return `${attackLine(r)}: ${state}; no verdict recorded.`;
}

/** `history #ID`: one attack whole — its timeline, parameters, probe samples, output tail and verdict. */
export function historyDetail(ctx: Pick<AppContext, 'answers' | 'config' | 'hosts' | 'runner' | 'store'>, id: string): Reply {
  const { config, runner, store } = ctx;
  const record = runner.records.get(id);
  if (!record) {
    return { text: `No attack #${id} is recorded. \`history\` lists the recent ones with their ids.` };
  }
  const inFlight = runner.list().some((f) => f.id === id || f.legs.some((l) => l.id === id));
  // What people learned from it, once it touched hosts and ended.
  const taught = ctx.answers && !record.dryRun && !inFlight ? answerLines(ctx.answers.answersOf(id), config.timezone) : [];
  return {
    text: detailHeadline(record, inFlight),
    block: [
      attackDetail({
        record,
        timezone: config.timezone,
        attack: config.attacks.find((a) => a.name === record.attack),
        host: knownHosts(ctx.hosts).find((h) => h.name === record.host),
        samples: store.samplesOf(id),
        inFlight,
        legs: runner.records.overlay(record.hosts ? store.runMembers(id) : []),
      }),
      ...taught,
    ].join('\n'),
  };
}

/** Attacks whose fault ended and whose verdict is still awaited. */
function awaitingVerdict(ctx: Pick<AppContext, 'runner'>): Set<string> {
  return new Set(ctx.runner.awaitingVerdict().map((f) => f.id as string));
}
