/**
 * What an attack showed was missing, from its answers and its detection (issue 25): a monitoring gap
 * (hurt, and no alert), nobody paged, a runbook that fell short. Each stays open until an admin says
 * `fixed #ID`. Pure.
 */
import { type Answer, type GapFix, learned } from './answers.js';
import { monitoringGap } from './detection.js';
import type { AttackRecord } from './model.js';

export type GapKind = 'monitoring' | 'not-paged' | 'runbook';

export function gapsOf(r: Pick<AttackRecord, 'verdict' | 'detection' | 'dryRun'>, answers: readonly Answer[]): GapKind[] {
  if (r.dryRun) return [];
  const said = learned(answers);
  return [
    ...(monitoringGap(r) ? (['monitoring'] as const) : []),
    ...(said.notPaged ? (['not-paged'] as const) : []),
    ...(said.runbookGap ? (['runbook'] as const) : []),
  ];
}

export interface GapEntry {
  readonly record: AttackRecord;
  readonly gaps: readonly GapKind[];
  readonly fixed: GapFix | null;
}

/** The attacks that found gaps, oldest first, each with whether it was marked fixed. */
export function gapBacklog(
  attacks: readonly AttackRecord[],
  answers: ReadonlyMap<string, readonly Answer[]>,
  fixes: ReadonlyMap<string, GapFix>,
): GapEntry[] {
  return attacks
    .map((record) => ({ record, gaps: gapsOf(record, answers.get(record.id) ?? []), fixed: fixes.get(record.id) ?? null }))
    .filter((e) => e.gaps.length > 0)
    .sort((a, b) => a.record.createdAt - b.record.createdAt);
}
