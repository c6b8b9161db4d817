/**
 * The metric's dip and recovery (issue 25): a series read around one attack, and the baseline told
 * beside it — the mean in the 5 minutes before the fault, the worst during it (the value furthest
 * from that mean), and the mean after it. Pure.
 */

/** Before the fault, how much of the metric is read to know its normal. */
export const EVIDENCE_BEFORE_MS = 5 * 60_000;
/** About this many points per series: enough to see a dip, small enough to keep. */
export const EVIDENCE_POINTS = 200;

export interface EvidenceSeries {
  readonly title: string;
  readonly unit: string;
  /** [epoch ms, value], oldest first. */
  readonly points: readonly (readonly [number, number])[];
}

export interface Baseline {
  readonly before: number | null;
  readonly worstDuring: number | null;
  readonly after: number | null;
}

const mean = (values: readonly number[]): number | null =>
  values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;

export function baseline(s: EvidenceSeries, faultStart: number, faultEnd: number): Baseline {
  const before = mean(s.points.filter(([t]) => t < faultStart).map(([, v]) => v));
  const during = s.points.filter(([t]) => t >= faultStart && t <= faultEnd).map(([, v]) => v);
  const ref = before ?? mean(during) ?? 0;
  const worstDuring = during.length ? during.reduce((w, v) => (Math.abs(v - ref) > Math.abs(w - ref) ? v : w)) : null;
  return { before, worstDuring, after: mean(s.points.filter(([t]) => t > faultEnd).map(([, v]) => v)) };
}

/** The step of a range query over [from, to] that gives about EVIDENCE_POINTS points, in whole seconds. */
export function evidenceStepS(from: number, to: number): number {
  return Math.max(1, Math.ceil((to - from) / EVIDENCE_POINTS / 1000));
}
