/**
 * Did the system survive? The steady-state verdict of one attack, from its probe samples: a pure
 * rule over time, tested as a table (test/domain/verdict.test.ts).
 *
 *   before ── fault starts ── during ── fault ends ── after (≤ recovery window) ──▶
 *
 * - `held`: no probe failed during the fault, and the steady state holds after it.
 * - `recovered`: a probe failed (first failure = detection), then every probe passed again, and
 *   still did once the fault had ended; recovery is the start of that final passing streak.
 * - `not-recovered`: when the window after the fault ends, the steady state still does not hold
 *   (or no probe answered at all: fail closed).
 * - `pending`: none of these is known yet.
 */

/** Why an attack gets no verdict (`unknown`), as data: words/verdicts.ts says it. */
export type NoVerdict =
  /** No probe sample was taken during the fault. */
  | { readonly kind: 'not-watched' }
  /** The steady state did not hold before a forced attack: its failing probes. */
  | { readonly kind: 'not-steady'; readonly failing: readonly FailingProbe[] }
  /** The attack's own run failed. */
  | { readonly kind: 'run-failed' }
  /** The bot stopped before the recovery window ended: why it stopped. */
  | { readonly kind: 'shutdown'; readonly signal: string | null }
  /** The previous process stopped before the recovery window ended (found at start). */
  | { readonly kind: 'restarted' };

export interface FailingProbe {
  readonly name: string;
  readonly reason: string;
}

export interface ProbeSample {
  /** Epoch ms. */
  readonly at: number;
  /** Every probe passed. An erroring or timed-out probe is a failure. */
  readonly healthy: boolean;
  readonly failing: readonly FailingProbe[];
}

export interface VerdictInput {
  /** When the fault started on the host. */
  readonly faultStart: number;
  /** When it ended (rollback done or aborted); null while it runs. */
  readonly faultEnd: number | null;
  /** How long after the fault's end the steady state may take to hold again. */
  readonly windowMs: number;
  readonly now: number;
  /** Samples from the fault's start on, any order. */
  readonly samples: readonly ProbeSample[];
}

export type Verdict =
  | { readonly kind: 'pending' }
  | { readonly kind: 'held' }
  | {
      readonly kind: 'recovered';
      readonly detectedAt: number;
      /** From the fault's start to the first failure. */
      readonly ttdMs: number;
      readonly recoveredAt: number;
      /** From the first failure to the start of the final passing streak. */
      readonly ttrMs: number;
      /** What failed first. */
      readonly failing: readonly FailingProbe[];
    }
  | {
      readonly kind: 'not-recovered';
      readonly detectedAt: number | null;
      readonly ttdMs: number | null;
      /** What still failed last (or why nothing answered). */
      readonly failing: readonly FailingProbe[];
    };

export type VerdictKind = Verdict['kind'];

export function verdictOf(input: VerdictInput): Verdict {
  // Only the fault and its recovery window count: a sample after the window is too late to recover.
  const windowEnd = input.faultEnd === null ? Number.POSITIVE_INFINITY : input.faultEnd + input.windowMs;
  const samples = input.samples.filter((s) => s.at >= input.faultStart && s.at <= windowEnd).sort((a, b) => a.at - b.at);
  const firstFailure = samples.find((s) => !s.healthy);
  const lastFailureIndex = samples.findLastIndex((s) => !s.healthy);
  const streakStart = samples[lastFailureIndex + 1];
  const { faultEnd } = input;
  // The steady state must be seen holding after the fault, not only before its end.
  const holdsAfterEnd =
    faultEnd !== null && streakStart !== undefined && samples.some((s, i) => i > lastFailureIndex && s.at >= faultEnd);
  if (holdsAfterEnd && streakStart) {
    if (!firstFailure) return { kind: 'held' };
    return {
      kind: 'recovered',
      detectedAt: firstFailure.at,
      ttdMs: firstFailure.at - input.faultStart,
      recoveredAt: streakStart.at,
      ttrMs: streakStart.at - firstFailure.at,
      failing: firstFailure.failing,
    };
  }
  if (faultEnd === null || input.now < faultEnd + input.windowMs) return { kind: 'pending' };
  const last = samples.at(-1);
  return {
    kind: 'not-recovered',
    detectedAt: firstFailure?.at ?? null,
    ttdMs: firstFailure ? firstFailure.at - input.faultStart : null,
    failing: last && !last.healthy ? last.failing : [{ name: 'probes', reason: 'no probe answered after the fault ended' }],
  };
}
