import type { HistoryFilter } from '../domain/command-parser.js';
import { formatDuration } from '../domain/duration.js';
import type { Reply } from '../ports/chat.js';
import type { AppContext } from './context.js';
import { historyTable } from './format.js';
import { unknownName } from './run-once.js';

export const HELP = [
  '`run-once [ATTACK] [HOST] [--force]` — one attack now (admins; --force skips the health gate)',
  '`stop [reason]` — revert every attack in flight and halt until `start` (anyone)',
  '`start` — resume after a stop (admins)',
  '`status` — halted or running, what is in flight, when the next attack may come',
  '`history [N]` | `history host HOST` | `history attack ATTACK` | `history failed` — recent attacks',
  '`report [YYYY-MM-DD]` — the daily chaos report',
  '`attacks` — the attack catalogue',
  '`hosts` — the hosts',
  '`help` — this list',
].join('\n');

export function help(): Reply {
  return { text: `ChaosCat commands:\n${HELP}` };
}

export function listAttacks(ctx: AppContext): Reply {
  const total = ctx.config.attacks.reduce((s, a) => s + a.weight, 0);
  const lines = ctx.config.attacks.map((a) => {
    const chance = a.weight === 0 ? 'by name only' : `weight ${a.weight} (${Math.round((a.weight / total) * 100)}%)`;
    const targets = a.targets.length ? a.targets.join(',') : 'all hosts';
    return `${a.name.padEnd(18)} ${formatDuration(a.durationMs).padEnd(6)} ${chance.padEnd(20)} ${targets.padEnd(12)} ${a.description}`;
  });
  return { text: `${ctx.config.attacks.length} attacks:`, block: lines.join('\n') || '(none)' };
}

export function listHosts(ctx: AppContext): Reply {
  const lines = ctx.config.hosts.map(
    (h) => `${h.name.padEnd(16)} ${`${h.address}:${h.port}`.padEnd(22)} ${h.tags.length ? h.tags.join(',') : '(no tags)'}`,
  );
  return { text: `${ctx.config.hosts.length} hosts:`, block: lines.join('\n') || '(none)' };
}

export function history(ctx: AppContext, limit: number, filter?: HistoryFilter): Reply {
  const { config } = ctx;
  if (filter?.by === 'host' && !config.hosts.some((h) => h.name === filter.value)) {
    return {
      text: unknownName(
        'host',
        filter.value,
        config.hosts.map((h) => h.name),
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
  const what = filter ? (filter.by === 'failed' ? ' failed' : ` (${filter.by} ${filter.value})`) : '';
  if (records.length === 0) return { text: `No${what} attacks recorded yet.` };
  const noun = records.length === 1 ? 'attack' : 'attacks';
  return { text: `Last ${records.length}${what} ${noun}:`, block: historyTable(records, config.timezone) };
}
