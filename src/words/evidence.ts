import { type Baseline, baseline, type EvidenceSeries } from '../domain/evidence.js';
import type { AttackRecord } from '../domain/model.js';
import { attackLine } from './format.js';

/** A value as people read it: at most 3 significant decimals, its unit after it. */
export function valueText(v: number | null, unit: string): string {
  if (v === null) return '—';
  const shown = Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
  // Trailing zeros of the decimals only: 100 stays 100, 99.50 reads 99.5.
  const trimmed = shown.includes('.') ? shown.replace(/\.?0+$/, '') : shown;
  return `${trimmed}${unit ? ` ${unit}` : ''}`;
}

/** "checkout success: before 99.8 %, worst during 71.2 %, after 99.7 %". */
export function baselineText(s: EvidenceSeries, b: Baseline): string {
  return `${s.title}: before ${valueText(b.before, s.unit)}, worst during ${valueText(b.worstDuring, s.unit)}, after ${valueText(b.after, s.unit)}`;
}

/** The thread's evidence line: each series' baseline, and what could not be read. */
export function evidenceText(
  r: AttackRecord,
  series: readonly EvidenceSeries[],
  failed: readonly { readonly title: string; readonly why: string }[],
): string {
  const end = r.endedAt ?? r.startedAt ?? 0;
  const parts = [
    ...series.map((s) => baselineText(s, baseline(s, r.startedAt ?? 0, end))),
    ...failed.map((f) => `${f.title}: could not be read (${f.why})`),
  ];
  return `Evidence for ${attackLine(r)} (from 5 minutes before the fault to the end of its verdict window): ${parts.join('; ')}.`;
}
