import { detectionFrom } from '../../domain/detection.js';
import { endingFrom } from '../../domain/ending.js';
/** Rows of the SQLite tables and their mapping to domain records. */
import { type AttackRecord, type AttackState, DEFAULT_TEAM, type VerdictKindStored } from '../../domain/model.js';
import type { TickRow } from '../../ports/store.js';

export interface AttackRow {
  id: number;
  team?: string;
  attack: string;
  host: string;
  trigger_kind: 'schedule' | 'user';
  trigger_user: string | null;
  /** A game day's name (migration 008): the row was started by that game day (kind `schedule`). */
  trigger_name?: string | null;
  dry_run: number;
  state: AttackState;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  deadline_at: number;
  duration_ms: number;
  exit_code: number | null;
  signal: string | null;
  output_tail: string;
  reason: string | null;
  rollback_ok: number | null;
  remote_pgid: number | null;
  unconfirmed: number;
  verdict: VerdictKindStored | null;
  ttd_ms: number | null;
  ttr_ms: number | null;
  verdict_detail: string | null;
  detection?: string | null;
  detection_data?: string | null;
  run_id?: number | null;
  run_hosts?: string | null;
  params?: string | null;
  ending?: string | null;
  ending_data?: string | null;
}

function paramsOf(json: string | null | undefined): Record<string, string> | undefined {
  if (!json) return undefined;
  try {
    const parsed = JSON.parse(json) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  } catch {
    return undefined;
  }
}

function triggerOf(r: AttackRow): AttackRecord['trigger'] {
  if (r.trigger_kind === 'user') return { kind: 'user', user: r.trigger_user ?? '?' };
  return r.trigger_name ? { kind: 'game-day', name: r.trigger_name } : { kind: 'schedule' };
}

export function toRecord(r: AttackRow): AttackRecord {
  return {
    id: String(r.id),
    team: r.team ?? DEFAULT_TEAM,
    attack: r.attack,
    host: r.host,
    trigger: triggerOf(r),
    dryRun: r.dry_run === 1,
    state: r.state,
    createdAt: r.created_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    deadlineAt: r.deadline_at,
    durationMs: r.duration_ms,
    exitCode: r.exit_code,
    signal: r.signal,
    outputTail: r.output_tail,
    reason: r.reason,
    rollbackOk: r.rollback_ok === null ? null : r.rollback_ok === 1,
    remotePgid: r.remote_pgid,
    unconfirmed: r.unconfirmed === 1,
    verdict: r.verdict ?? null,
    ttdMs: r.ttd_ms ?? null,
    ttrMs: r.ttr_ms ?? null,
    verdictDetail: r.verdict_detail ?? null,
    ...(r.detection ? { detection: detectionFrom(r.detection, r.detection_data ?? null) } : {}),
    ...(r.run_id ? { runId: String(r.run_id) } : {}),
    ...(r.run_hosts ? { hosts: r.run_hosts.split(',') } : {}),
    ...(paramsOf(r.params) ? { params: paramsOf(r.params) } : {}),
    ...(r.ending ? { ending: endingFrom(r.ending, r.ending_data ?? null, r.reason) } : {}),
  };
}

export function toTick(r: {
  at: number;
  outcome: string;
  code: string | null;
  reason: string | null;
  attack_id: number | null;
  attack?: string;
  host?: string;
}): TickRow {
  if (r.outcome === 'attacked') {
    return { at: r.at, outcome: { kind: 'attacked', attackId: String(r.attack_id), attack: r.attack ?? '', host: r.host ?? '' } };
  }
  return { at: r.at, outcome: { kind: 'skipped', code: (r.code ?? 'error') as never, reason: r.reason ?? '' } };
}
