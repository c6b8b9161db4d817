/** The daily report's preformatted block: tables by attack and host, verdicts, business minutes, commands. */
import { formatDuration } from '../domain/duration.js';
import type { SkipCode } from '../domain/model.js';
import type { DaySummary, Tally } from '../domain/report.js';
import { escapeText } from '../domain/visible-text.js';
import { localTime, who } from './format.js';
import { numericColumns, type Table, tableText } from './table.js';
import { plainText, when } from './tokens.js';

const MAX_REASON = 120;

export const SKIP_LABELS: Record<SkipCode, string> = {
  halted: 'halted',
  'in-flight': 'attack in flight',
  closed: 'closed',
  cooldown: 'cooldown',
  deaf: 'Slack down (cannot hear stop)',
  unhealthy: 'unhealthy',
  'no-attack': 'no eligible attack',
  'no-host': 'no eligible host',
  'store-error': 'database error',
  preflight: 'pre-flight failed',
  cancelled: 'cancelled',
  stopped: 'stopped while starting (reverted)',
  announce: 'announcement failed',
  'start-failed': 'start failed',
  invalid: 'parameter out of bounds',
  error: 'error',
};

export function hhmm(at: number, tz: string): string {
  return localTime(at, tz, 'HH:mm');
}

/** One line of at most `max` visible characters; a longer one is cut (its time marks read plain then). */
export function clip(text: string, max = MAX_REASON): string {
  const flat = escapeText(text.replace(/\s+/g, ' ').trim());
  const visible = plainText(flat);
  if (visible.length <= max) return flat;
  return `${visible.slice(0, max - 1)}…`;
}

/** A median duration, or "—" when no attack had the figure. */
export function medianText(ms: number | null): string {
  return ms === null ? '—' : formatDuration(ms);
}

function tallyTable(title: string, key: string, tallies: readonly Tally[]): Table {
  const unfinished = tallies.some((t) => t.unfinished > 0);
  const cancelled = tallies.some((t) => t.cancelled > 0);
  const header = [
    key,
    'runs',
    'completed',
    'reverted',
    'failed',
    'orphaned',
    ...(cancelled ? ['cancelled'] : []),
    ...(unfinished ? ['in flight'] : []),
  ];
  const rows = tallies.map((t) =>
    [
      t.key,
      t.total,
      t.completed,
      t.reverted,
      t.failed,
      t.orphaned,
      ...(cancelled ? [t.cancelled] : []),
      ...(unfinished ? [t.unfinished] : []),
    ].map(String),
  );
  return { title, columns: header, rows, numeric: numericColumns(header, rows) };
}

const judged = (t: Tally): number => t.verdicts.held + t.verdicts.recovered + t.verdicts.notRecovered + t.verdicts.unknown;

/** Verdicts and the median time to detect and to recover, over the attacks that have those figures. */
function verdictTable(title: string, key: string, tallies: readonly Tally[]): Table {
  const withVerdicts = tallies.filter((t) => judged(t) > 0);
  const unknown = withVerdicts.some((t) => t.verdicts.unknown > 0);
  const header = [
    key,
    'held',
    'recovered',
    'not recovered',
    ...(unknown ? ['unknown'] : []),
    'detect (median)',
    'recover (median)',
  ];
  const rows = withVerdicts.map((t) => [
    t.key,
    String(t.verdicts.held),
    String(t.verdicts.recovered),
    String(t.verdicts.notRecovered),
    ...(unknown ? [String(t.verdicts.unknown)] : []),
    medianText(t.medianTtdMs),
    medianText(t.medianTtrMs),
  ]);
  return { title, columns: header, rows, numeric: numericColumns(header, rows) };
}

/** The tables: by attack, by host, verdicts by attack and host, skipped business minutes, commands. */
export function reportTables(s: DaySummary, tz: string): Table[] {
  const out: Table[] = [];
  if (s.totals.total > 0) out.push(tallyTable('By attack', 'attack', s.byAttack), tallyTable('By host', 'host', s.byHost));
  if (judged(s.totals) > 0)
    out.push(verdictTable('Verdicts by attack', 'attack', s.byAttack), verdictTable('Verdicts by host', 'host', s.byHost));
  const m = s.minutes;
  if (m.open > 0) {
    const rows = [
      ['attack started', String(m.attacked), ''],
      ...m.skipped.map((r) => [SKIP_LABELS[r.code] ?? r.code, String(r.minutes), clip(r.example, 60)]),
      ...(m.unrecorded > 0 ? [['no record', String(m.unrecorded), 'the bot was not running']] : []),
    ];
    out.push({ title: 'Business minutes', columns: ['business minutes', 'min', 'e.g.'], rows, numeric: [1] });
  }
  if (s.commands.length > 0) {
    const rows = s.commands.map((c) => [
      when(c.at, tz, 'HH:mm', true, false),
      c.command,
      who(c.actor),
      c.outcome,
      clip(c.text, 60),
    ]);
    out.push({ title: 'Commands', columns: ['time', 'command', 'by', 'outcome', 'text'], rows });
  }
  return out;
}

/** The tables as preformatted text (the console's report). */
export function reportBlock(s: DaySummary, tz: string): string {
  const tables = reportTables(s, tz);
  return tables.length ? tables.map((t) => tableText(t)).join('\n\n') : 'Nothing happened.';
}
