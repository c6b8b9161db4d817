import { isFleetView, ownerOf } from '../../config/teams.js';
import { blastCount } from '../../domain/blast-radius.js';
import type { HistoryFilter } from '../../domain/command-parser.js';
import type { AttackDef, HostDef } from '../../domain/model.js';
import { eligibleHosts } from '../../domain/picker.js';
import type { Reply } from '../../ports/chat.js';
import { knownHosts } from '../../ports/host-directory.js';
import type { AttackReads } from '../../ports/store.js';
import { attacksReply, detailReply, helpText, historyReply, hostsReply, type Reach } from '../../words/catalogue.js';
import { unknownNameText } from '../../words/command-replies.js';
import type { AppContext } from '../context.js';

export function help(): Reply {
  return { text: helpText() };
}

/** How many hosts the attack may hit, and how many one run takes. */
function reachOf(a: AttackDef, hosts: readonly HostDef[]): Reach {
  const eligible = eligibleHosts(a, hosts).length;
  return { eligible, perRun: eligible === 0 ? 0 : blastCount(a.blastRadius, eligible).count };
}

export function listAttacks(ctx: Pick<AppContext, 'config' | 'hosts'>): Reply {
  const hosts = ctx.hosts.all();
  return attacksReply(ctx.config.attacks.map((attack) => ({ attack, reach: reachOf(attack, hosts) })));
}

/** `hosts`: the inventory sources, each host with its team (over every team), each attack's reach. */
export function listHosts(ctx: Pick<AppContext, 'clock' | 'config' | 'hosts'>): Reply {
  const hosts = ctx.hosts.all();
  const fleet = isFleetView(ctx.config);
  return hostsReply({
    sources: ctx.hosts.sources(),
    now: ctx.clock.now(),
    timezone: ctx.config.timezone,
    // Over every team: whose each host is (a host two teams select is nobody's: never attacked).
    hosts: hosts.map((host) => ({ host, owners: fleet ? ownerOf(ctx.config.teams, host).map((t) => t.name) : null })),
    reach: ctx.config.attacks.map((a) => ({ attack: a.name, reach: reachOf(a, hosts) })),
  });
}

function hasHistory(ctx: { readonly store: Pick<AttackReads, 'history'> }, host: string): boolean {
  try {
    return ctx.store.history({ limit: 1, host }).length > 0;
  } catch {
    return false;
  }
}

export function history(
  ctx: Pick<AppContext, 'config' | 'hosts' | 'runner' | 'store'>,
  limit: number,
  filter?: HistoryFilter,
): Reply {
  const { config } = ctx;
  // A host gone from the inventory still has its history: a name in the journal is known too.
  if (filter?.by === 'host' && !knownHosts(ctx.hosts).some((h) => h.name === filter.value) && !hasHistory(ctx, filter.value)) {
    return {
      text: unknownNameText(
        'host',
        filter.value,
        knownHosts(ctx.hosts).map((h) => h.name),
      ),
    };
  }
  if (filter?.by === 'attack' && !config.attacks.some((a) => a.name === filter.value)) {
    return {
      text: unknownNameText(
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
  return historyReply({ filter, records, awaiting: awaitingVerdict(ctx), fleet: isFleetView(config) }, config.timezone);
}

/** `history #ID`: one attack whole — its timeline, parameters, probe samples, output tail and verdict. */
export function historyDetail(ctx: Pick<AppContext, 'answers' | 'config' | 'hosts' | 'runner' | 'store'>, id: string): Reply {
  const { config, runner, store } = ctx;
  const record = runner.records.get(id);
  if (!record) return detailReply({ kind: 'unknown', id });
  const inFlight = runner.list().some((f) => f.id === id || f.legs.some((l) => l.id === id));
  return detailReply({
    kind: 'found',
    detail: {
      record,
      timezone: config.timezone,
      attack: config.attacks.find((a) => a.name === record.attack),
      host: knownHosts(ctx.hosts).find((h) => h.name === record.host),
      samples: store.samplesOf(id),
      inFlight,
      legs: runner.records.overlay(record.hosts ? store.runMembers(id) : []),
    },
    // What people learned from it, once it touched hosts and ended.
    answers: ctx.answers && !record.dryRun && !inFlight ? ctx.answers.answersOf(id) : null,
  });
}

/** Attacks whose fault ended and whose verdict is still awaited. */
function awaitingVerdict(ctx: Pick<AppContext, 'runner'>): Set<string> {
  return new Set(ctx.runner.awaitingVerdict().map((f) => f.id as string));
}
