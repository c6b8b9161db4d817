import type { BlastAsk, BlastCap } from '../domain/blast-radius.js';
import { formatDuration } from '../domain/duration.js';
import type { Fault } from '../domain/fault.js';
import { type AttackRecord, failingText, isFinal } from '../domain/model.js';
import type { ChatEvent, Progress, StartNote } from '../ports/chat.js';
import { questionsText } from './answers.js';
import { endWords, noun, plural } from './common.js';
import { detectionText, monitoringGap } from './detection.js';
import { abortFound, abortLine, endingBrief } from './endings.js';
import { evidenceText } from './evidence.js';
import { attackDuration, attackLine, legLine, paramsText, triggerText, warningLines, who } from './format.js';
import { noticeText } from './game-day.js';
import { noticeWords } from './notices.js';
import { replyWhole } from './table.js';
import { when } from './tokens.js';

/** A step of an attack, as its thread tells it: "started on web-1", "web-2 (#5): reverted in 80 ms". */
export function progressText(p: Progress, timezone: string): string {
  switch (p.kind) {
    case 'started':
      return `started on ${p.hosts > 1 ? plural(p.hosts, 'host') : 'the host'}`;
    case 'dry-run':
      return 'dry run: nothing touched';
    case 'host-reverted':
      return `${p.host}${p.id ? ` (#${p.id})` : ''}: ${abortFound(p.host, p.result, p.deadlineAt, timezone)}`;
  }
}

/** At most this many `warning:` lines are shown in the ending message; `history #ID` has them all. */
export const MAX_WARNINGS = 5;

/**
 * The state of an attack as its message's State field says it: in progress, reverting, or how it
 * ended, in the same words as its ending line (a completed attack ended by its deadline "ran to its
 * deadline", not "timed out").
 */
export function attackStateText(r: AttackRecord): string {
  if (!isFinal(r.state)) return r.state === 'aborting' ? 'reverting…' : 'in progress';
  if (r.state === 'cancelled') return 'cancelled: nothing ran on the host';
  const exit = r.exitCode === null && r.signal === null ? '' : `, ${endWords(r.state, r.exitCode, r.signal)}`;
  const rollback = r.rollbackOk === null ? '' : r.rollbackOk ? ', rollback ok' : ', *rollback failed*';
  return `${r.state} after ${attackDuration(r)}${exit}${rollback}`;
}

export function endedText(r: AttackRecord, legs: readonly AttackRecord[] | undefined, timezone: string): string {
  const took = attackDuration(r);
  const exit = r.exitCode === null && r.signal === null ? '' : `, ${endWords(r.state, r.exitCode, r.signal)}`;
  const rollback = r.rollbackOk === null ? '' : r.rollbackOk ? ', rollback ok' : ', ROLLBACK FAILED';
  // Why an aborted attack was cut short, without how long its revert took (endingBrief).
  const why = endingBrief(r, timezone);
  const reason = why ? ` — ${why}` : '';
  // Refused or cancelled before it started (pre-flight, a store error, a stop while it was
  // starting, a start the host refused): no "took -" for an attack that never ran.
  const refused = r.state === 'failed' || r.state === 'cancelled';
  if (refused && r.startedAt === null && r.exitCode === null && r.signal === null && r.rollbackOk === null) {
    return `${attackLine(r)} not started (${r.state})${reason}`;
  }
  const lines = legs?.length
    ? [
        `${attackLine(r)} ${r.state} (took ${took}${rollback})${reason}`,
        `  ${legLine(r, false)}`,
        ...legs.map((l) => `  ${legLine(l)}`),
      ]
    : [`${attackLine(r)} ${r.state} (took ${took}${exit}${rollback})${reason}`];
  const warnings = warningLines(r.outputTail);
  lines.push(...warnings.slice(0, MAX_WARNINGS));
  if (warnings.length > MAX_WARNINGS) {
    const more = warnings.length - MAX_WARNINGS;
    lines.push(`(${more} more warning ${noun(more, 'line')}: \`history #${r.id}\`)`);
  }
  return lines.join('\n');
}

/** "verdict: recovered — detected after 8s (checkout: HTTP 503), recovered 20s later". */
export function verdictLine(r: AttackRecord, halted = false): string {
  const dry = r.dryRun ? ' (the probes ran; nothing was attacked)' : '';
  // The second axis: did monitoring notice? A deviation nobody was alerted to is a monitoring gap.
  const seen = r.detection ? ` ${monitoringGap(r) ? 'MONITORING GAP: ' : ''}${detectionText(r.detection)}.` : '';
  switch (r.verdict) {
    case 'not-recovered':
      return `${attackLine(r)}: verdict: NOT RECOVERED — ${r.verdictDetail ?? ''}${dry}.${seen}${halted ? ' ChaosCat is now halted: the system is not in its steady state.' : ''}`;
    case null:
      return `${attackLine(r)}: verdict pending`;
    default:
      return `${attackLine(r)}: verdict: ${r.verdict}${r.verdictDetail ? ` — ${r.verdictDetail}` : ''}${dry}.${seen}`;
  }
}

/** A fault that may remain, with what to do: it keeps the team halted until resolved. */
export function faultText(f: Fault, timezone: string): string {
  const manual = f.manualRollback ? ` To roll back by hand: ${f.manualRollback}` : '';
  const confirmed =
    f.confirmedAt === null ? '' : ` (the next contact at ${when(f.confirmedAt, timezone)} found nothing of it left)`;
  return `FAULT MAY REMAIN: #${f.id} ${f.attack} on ${f.host} since ${when(f.openedAt, timezone)} — ${f.detail.replace(/[.\s]+$/, '')}${confirmed}. ChaosCat is halted until an admin fixes it and says \`resolve #${f.id}\`.${manual}`;
}

/** The reason of the halt a fault latches: what may remain, and how it is lifted. */
export function faultHaltText(f: Fault): string {
  return `#${f.id} ${f.attack} on ${f.host}: the fault may still be in place (${f.detail.replace(/[.\s]+$/, '')}). Fix it, then an admin says \`resolve #${f.id}\``;
}

/** What a run asked for: "count 2", "50% of 4". */
function blastAskText(a: BlastAsk): string {
  return a.kind === 'count' ? `count ${a.count}` : `${a.percent}% of ${a.of}`;
}

/** Why a run hits fewer hosts than asked: "count 2, capped by the attack's blastRadius max 1". */
export function blastCapText(c: BlastCap): string {
  const asked = blastAskText(c.asked);
  switch (c.kind) {
    case 'eligible':
      return `${asked}, but only ${c.eligible} eligible`;
    case 'max':
      return `${asked}, capped by the attack's blastRadius max ${c.max}`;
    case 'all':
      return `${asked}, capped at ${c.count} of ${c.eligible}: taking every eligible host needs allowAll: true in the attack file`;
  }
}

/** What a start announcement carries besides the attack, in words; empty when nothing. */
export function startNoteText(n: StartNote): string {
  const by = n.forcedBy ? (n.forcedBy.kind === 'user' ? who(n.forcedBy.user) : 'the schedule') : null;
  const notes = [
    ...(by ? [`Health gate skipped (--force by ${by}) for this attack's whole life.`] : []),
    ...(n.capped
      ? [`Blast radius: ${n.capped.hosts} of ${n.capped.eligible} eligible hosts (${blastCapText(n.capped.why)}).`]
      : []),
  ];
  return notes.join(' ');
}

/** One plain-text line (or a few) per event: the console prints it, Slack uses it as fallback text. */
export function eventText(event: ChatEvent, timezone: string): string {
  switch (event.kind) {
    case 'attack-started': {
      const r = event.record;
      const description = event.attack ? ` ${event.attack.description.replace(/\.$/, '')}.` : '';
      const note = event.note ? ` ${startNoteText(event.note)}` : '';
      const params = r.params ? ` Parameters: ${paramsText(r.params)}.` : '';
      const runbook = event.attack?.runbook ? ` Runbook: ${event.attack.runbook}` : '';
      return `Attack ${attackLine(r)} for ${formatDuration(r.durationMs)}, triggered by ${triggerText(r.trigger)}.${description}${params}${note}${runbook}`;
    }
    case 'attack-progress':
      // The attack's line already says "(dry run)": not twice in one line.
      return `${attackLine(event.record)}: ${event.progress.kind === 'dry-run' ? 'nothing touched' : progressText(event.progress, timezone)}`;
    case 'attack-ended':
      return endedText(event.record, event.legs, timezone);
    case 'questions':
      return questionsText(event.record, event.runbook);
    case 'evidence':
      return evidenceText(event.record, event.series, event.failed);
    case 'auto-aborted': {
      const checks = failingText(event.failing);
      return `Health failed during ${attackLine(event.record)}: aborted (${event.record.state}). Failing: ${checks}.${event.halted ? ' ChaosCat is now halted.' : ''}`;
    }
    case 'halted': {
      const h = event.halt;
      const lines = [`Halted by ${who(h.by)} at ${when(h.at, timezone)}${h.reason ? `: ${h.reason}` : ''}.`];
      for (const r of event.reverting) lines.push(`Reverting ${attackLine(r)}…`);
      return lines.join('\n');
    }
    case 'verdict':
      return verdictLine(event.record, event.halted);
    case 'resumed':
      return `Resumed by ${who(event.by)} at ${when(event.at, timezone)}.`;
    case 'orphan-recovered':
      return `Recovered an orphaned attack: ${abortLine(event.outcome, timezone)}.`;
    case 'shutdown': {
      const lines = ['ChaosCat is shutting down; what happened to the attacks in flight:'];
      for (const o of event.aborted) lines.push(abortLine(o, timezone));
      return lines.join('\n');
    }
    case 'fault-may-remain':
      return faultText(event.fault, timezone);
    case 'notice':
      return noticeWords(event.notice, timezone);
    case 'game-day-notice':
      return noticeText(event.notice);
    case 'report':
      return Object.values(replyWhole(event.reply)).filter(Boolean).join('\n');
  }
}
