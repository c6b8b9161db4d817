import { DateTime } from 'luxon';
import { formatDuration } from '../domain/duration.js';
import type { AttackRecord, Trigger } from '../domain/model.js';

/** Slack ids render as mentions; anything else as it is. */
export function who(user: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(user) ? `<@${user}>` : user;
}

export function triggerText(trigger: Trigger): string {
  return trigger.kind === 'schedule' ? 'schedule' : who(trigger.user);
}

export function localTime(at: number, timezone: string, format = 'yyyy-MM-dd HH:mm'): string {
  return DateTime.fromMillis(at, { zone: timezone }).toFormat(format);
}

export function outcomeText(r: AttackRecord): string {
  if (r.state === 'running' || r.state === 'pending' || r.state === 'aborting') return `${r.state}…`;
  return r.state;
}

export function attackDuration(r: AttackRecord): string {
  if (r.startedAt === null || r.endedAt === null) return '-';
  return formatDuration(r.endedAt - r.startedAt);
}

/** A compact table: time (zone), attack, host, trigger, outcome, duration. */
export function historyTable(records: readonly AttackRecord[], timezone: string): string {
  const header = ['#', `time (${timezone})`, 'attack', 'host', 'trigger', 'outcome', 'took', 'verdict'];
  const rows = records.map((r) => [
    r.id,
    localTime(r.createdAt, timezone, 'MM-dd HH:mm'),
    r.attack,
    r.host,
    r.trigger.kind === 'schedule' ? 'schedule' : r.trigger.user,
    `${outcomeText(r)}${r.dryRun ? ' (dry)' : ''}`,
    attackDuration(r),
    r.verdict ?? (r.startedAt !== null && !r.endedAt ? '' : r.startedAt !== null ? 'pending' : ''),
  ]);
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  return all
    .map((row) =>
      row
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function attackLine(r: AttackRecord): string {
  return `#${r.id} ${r.attack} on ${r.host}${r.dryRun ? ' (dry run)' : ''}`;
}
