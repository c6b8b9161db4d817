import { DateTime } from 'luxon';
import { monitoringGap } from '../domain/detection.js';
import { formatDuration } from '../domain/duration.js';
import { who } from '../domain/marks.js';
import {
  type AttackDef,
  type AttackRecord,
  DEFAULT_TEAM,
  type HostDef,
  type ProbeRecord,
  type Trigger,
} from '../domain/model.js';
import { escapeText } from '../domain/visible-text.js';
import { endWords, exitWords, plural } from './common.js';
import { detectionText } from './detection.js';
import type { Table } from './table.js';
import { when } from './tokens.js';

export { who };

export function triggerText(trigger: Trigger): string {
  if (trigger.kind === 'game-day') return `game day ${trigger.name}`;
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

/**
 * The history as a table: #, (team), time, attack, host, trigger, outcome, duration, verdict.
 * `verifying` holds the ids whose verdict is still awaited (their verdict shows `pending`; a missing one shows `-`).
 */
export function historyTable(
  records: readonly AttackRecord[],
  timezone: string,
  verifying: ReadonlySet<string> = new Set(),
  withTeam = false,
): Table {
  const columns = ['#', ...(withTeam ? ['team'] : []), 'time', 'attack', 'host', 'trigger', 'outcome', 'took', 'verdict'];
  const rows = records.map((r) => [
    r.id,
    ...(withTeam ? [r.team] : []),
    // Slack shows each reader's zone; elsewhere the config's, labelled.
    when(r.createdAt, timezone, 'MM-dd HH:mm'),
    r.attack,
    r.hosts && r.hosts.length > 1 ? r.hosts.join(',') : r.host,
    triggerText(r.trigger),
    `${outcomeText(r)}${r.dryRun ? ' (dry)' : ''}`,
    attackDuration(r),
    r.verdict ?? (verifying.has(r.id) || (r.startedAt !== null && r.endedAt === null) ? 'pending' : '-'),
  ]);
  return { title: 'History', columns, rows };
}

/** The host, or every host of a run over several ("web-1, web-2"). */
export function hostsText(r: AttackRecord): string {
  return r.hosts && r.hosts.length > 1 ? r.hosts.join(', ') : r.host;
}

/** "DELAY_MS=800, JITTER_MS=20", or '' when the attack has no parameters. */
export function paramsText(params: Readonly<Record<string, string>> | undefined): string {
  return Object.entries(params ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** How many hosts a line names before "and N more" (`history #ID` names them all). */
const NAMED_HOSTS = 5;

export function attackLine(r: AttackRecord): string {
  const many = r.hosts && r.hosts.length > NAMED_HOSTS;
  const hosts = many
    ? `${r.hosts?.slice(0, NAMED_HOSTS).join(', ')} and ${(r.hosts?.length ?? 0) - NAMED_HOSTS} more`
    : hostsText(r);
  return `#${r.id} ${r.attack} on ${hosts}${r.dryRun ? ' (dry run)' : ''}`;
}

/** `history #ID` shows at most this much of an attack's output: its last lines, each bounded. */
export const DETAIL_OUTPUT_LINES = 20;
const DETAIL_LINE_CHARS = 200;
const DETAIL_REASONS = 3;
const DETAIL_REASON_CHARS = 120;

/** Host output and probe reasons are shown, never interpreted: no terminal escapes, no control characters. */
function plain(text: string, max: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: dropping control characters is the point
  const stripped = text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '');
  // Bidi overrides and line separators are written out (`\u202e`): output is text from outside.
  const clean = escapeText(stripped);
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

const MAX_WARNING_CHARS = 300;

/**
 * The lines an attack's run or rollback printed starting with `warning:` (the rollback of
 * process-kill says "warning: nginx is not running; nothing restarted it"): trimmed, each once.
 */
export function warningLines(output: string): string[] {
  const seen = new Set<string>();
  for (const raw of output.split(/\r?\n|\r/)) {
    const line = plain(raw, MAX_WARNING_CHARS).trim();
    if (/^warning:/i.test(line)) seen.add(line);
  }
  return [...seen];
}

/** The last lines of an attack's output, bounded, with how many were left out. */
export function outputTail(output: string, lines = DETAIL_OUTPUT_LINES): { shown: string[]; of: number } {
  const all = output.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  if (all.length === 1 && all[0] === '') return { shown: [], of: 0 };
  return { shown: all.slice(-lines).map((l) => plain(l, DETAIL_LINE_CHARS)), of: all.length };
}

interface ProbeFailures {
  rounds: number;
  first: number;
  last: number;
  reasons: string[];
}

/** Probe rounds by phase, and each probe's failures: how often, first and last time, its reasons. */
export function probeSummary(samples: readonly ProbeRecord[], timezone: string): string[] {
  if (samples.length === 0) return ['probes      none recorded'];
  const phases = (['before', 'during', 'after'] as const).map((phase) => {
    const of = samples.filter((s) => s.phase === phase);
    const failing = of.filter((s) => !s.healthy).length;
    return `${of.length} ${phase}${failing ? ` (${failing} failing)` : ''}`;
  });
  const failures = new Map<string, ProbeFailures>();
  for (const s of samples) {
    if (s.healthy) continue;
    const failed = s.results.filter((r) => !r.healthy);
    const named = failed.length > 0 ? failed : [{ name: '(gate)', reason: 'unhealthy, no probe said why' }];
    for (const f of named) {
      const seen = failures.get(f.name) ?? { rounds: 0, first: s.at, last: s.at, reasons: [] };
      seen.rounds++;
      seen.first = Math.min(seen.first, s.at);
      seen.last = Math.max(seen.last, s.at);
      const reason = plain(f.reason, DETAIL_REASON_CHARS);
      if (!seen.reasons.includes(reason)) seen.reasons.push(reason);
      failures.set(f.name, seen);
    }
  }
  const lines = [`probes      ${plural(samples.length, 'round')}: ${phases.join(', ')}`];
  if (failures.size === 0) lines.push('            no probe failed');
  for (const [name, f] of failures) {
    const when =
      f.rounds === 1
        ? `at ${localTime(f.first, timezone, 'HH:mm:ss')}`
        : `from ${localTime(f.first, timezone, 'HH:mm:ss')} to ${localTime(f.last, timezone, 'HH:mm:ss')}`;
    const more = f.reasons.length > DETAIL_REASONS ? ` (+${f.reasons.length - DETAIL_REASONS} more)` : '';
    const times = f.rounds === 1 ? 'once' : `${f.rounds} times`;
    lines.push(`  ${name} failed ${times}, ${when}: ${f.reasons.slice(0, DETAIL_REASONS).join('; ')}${more}`);
  }
  return lines;
}

export interface DetailInput {
  readonly record: AttackRecord;
  readonly timezone: string;
  /** The attack and host as the config has them now; undefined when they are gone from it. */
  readonly attack: AttackDef | undefined;
  readonly host: HostDef | undefined;
  readonly samples: readonly ProbeRecord[];
  /** Still running, or waiting for its verdict, in this process. */
  readonly inFlight: boolean;
  /** The other hosts' rows, for the run's row of a run over several hosts. */
  readonly legs?: readonly AttackRecord[];
}

/** One line per host of a run: its own row, state, exit and rollback. */
export function legLine(r: AttackRecord, withState = true): string {
  const exit = r.exitCode === null && r.signal === null ? '' : `, ${endWords(r.state, r.exitCode, r.signal)}`;
  const rollback = r.unconfirmed
    ? ', rollback not confirmed'
    : r.rollbackOk === null
      ? ''
      : r.rollbackOk
        ? ', rollback ok'
        : ', ROLLBACK FAILED';
  // The run's row carries the run's state and rollback; of its own host only the exit is its own.
  // The run's own row: its state and rollback are the run's (the line above); only its exit is this host's.
  if (!withState) return `${r.host} (#${r.id})${exit ? `:${exit.slice(1)}` : ''}`;
  return `${r.host} (#${r.id}): ${outcomeText(r)}${exit}${rollback}`;
}

function pairs(values: Readonly<Record<string, string>>): string {
  const all = Object.entries(values).map(([k, v]) => `${k}=${v}`);
  return all.length ? all.join(', ') : '(none)';
}

function rollbackText(r: AttackRecord): string {
  if (r.unconfirmed) return 'not confirmed: the host could not be reached; the next contact checks it';
  if (r.rollbackOk === null) return r.startedAt === null ? 'not run: it never touched the host' : 'not run';
  return r.rollbackOk ? 'ok' : 'FAILED: the fault may still be in place';
}

function durationOrWhy(ms: number | null, r: AttackRecord, inFlight: boolean, what: 'detect' | 'recover'): string {
  if (ms !== null) {
    const from =
      what === 'detect'
        ? "from the fault's start to the first failing probe"
        : 'from the first failure to the steady state holding again';
    return `${formatDuration(ms)} (${from})`;
  }
  if (r.verdict === null) return inFlight ? 'pending' : '-';
  if (r.verdict === 'held') return '- (no probe failed)';
  if (r.verdict === 'not-recovered') return what === 'detect' ? '- (no failure during the fault)' : '- (it did not recover)';
  return '-';
}

/** `history #ID`: one attack whole, in aligned rows (times in the config's zone). */
export function attackDetail(d: DetailInput): string {
  const { record: r, timezone } = d;
  const day = (at: number) => localTime(at, timezone, 'yyyy-MM-dd');
  const at = (ms: number | null) => {
    if (ms === null) return '-';
    return day(ms) === day(r.createdAt) ? localTime(ms, timezone, 'HH:mm:ss') : localTime(ms, timezone, 'yyyy-MM-dd HH:mm:ss');
  };
  const trigger = r.trigger.kind === 'user' ? `run-once by ${r.trigger.user}` : triggerText(r.trigger);
  const host = d.host ? `${r.host} (${d.host.address}:${d.host.port})` : `${r.host} (no longer in the config)`;
  const legs = d.legs ?? [];
  const run = legs.length
    ? [`run         ${legs.length + 1} hosts: ${hostsText(r)}`]
    : r.runId
      ? [`run         one host of run #${r.runId} (\`history #${r.runId}\` shows every host)`]
      : [];
  const params = r.params
    ? `${paramsText(r.params)} (as it ran)`
    : `${d.attack ? pairs(d.attack.params) : '-'} (from the config now)`;
  const exit = r.exitCode === null && r.signal === null ? '-' : exitWords(r.exitCode, r.signal);
  const lines = [
    `attack      ${r.attack}${d.attack ? ` — ${d.attack.description}` : ' (no longer in the config)'}`,
    `host        ${host}`,
    ...run,
    ...(r.team !== DEFAULT_TEAM ? [`team        ${r.team}`] : []),
    `trigger     ${trigger}`,
    `mode        ${r.dryRun ? 'dry run: nothing was touched on the host' : 'live'}`,
    `created     ${localTime(r.createdAt, timezone, 'yyyy-MM-dd HH:mm:ss')} (${timezone})`,
    `started     ${at(r.startedAt)}`,
    `ended       ${at(r.endedAt)}${r.endedAt !== null ? ` (took ${attackDuration(r)})` : ''}`,
    `deadline    ${at(r.deadlineAt)} (the host's own timer ends it by then)`,
    `state       ${outcomeText(r)}${r.reason ? ` — ${plain(r.reason, 1_500)}` : ''}`,
    `exit        ${exit}`,
    `rollback    ${rollbackText(r)}`,
    `params      ${params}`,
    `host vars   ${d.host ? pairs(d.host.vars) : '-'} (from the config now)`,
    ...probeSummary(d.samples, timezone),
    `detect      ${durationOrWhy(r.ttdMs, r, d.inFlight, 'detect')}`,
    `recover     ${durationOrWhy(r.ttrMs, r, d.inFlight, 'recover')}`,
    ...(r.detection ? [`monitoring  ${monitoringGap(r) ? 'MONITORING GAP: ' : ''}${detectionText(r.detection)}`] : []),
  ];
  if (legs.length) {
    // The run's row carries the run's state; its own host is told by its exit and rollback.
    lines.push('hosts:', `  ${legLine(r, false)}`, ...legs.map((l) => `  ${legLine(l)}`));
    for (const l of legs) if (l.reason) lines.push(`  ${l.host}: ${plain(l.reason, 300)}`);
  }
  const warnings = warningLines(r.outputTail);
  if (warnings.length > 0) lines.push(`warnings    ${warnings.length}:`, ...warnings.map((w) => `  ${w}`));
  const tail = outputTail(r.outputTail);
  if (tail.of === 0) lines.push('output      (none)');
  else {
    const which = tail.of > tail.shown.length ? `last ${tail.shown.length} of ${tail.of} lines` : plural(tail.of, 'line');
    lines.push(`output (${which}):`, ...tail.shown.map((l) => `  ${l}`));
  }
  return lines.join('\n');
}
