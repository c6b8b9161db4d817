/**
 * A verdict's one line, as the record keeps it (`verdictDetail`) and the thread, history and reports
 * tell it, from the verdict or from why there is none (domain/verdict.ts).
 */
import { formatDuration } from '../domain/duration.js';
import { failingText } from '../domain/model.js';
import type { NoVerdict, Verdict } from '../domain/verdict.js';
import { shutdownText } from './common.js';

/** The one line of a verdict; `windowMs` is the recovery window a not-recovered verdict waited. */
/** The reason of the halt a verdict latches when the system did not recover. */
export function notRecoveredHaltText(id: string, attack: string, detail: string): string {
  return `#${id} ${attack} did not recover: ${detail}`;
}

export function verdictDetail(v: Verdict, windowMs: number): string {
  switch (v.kind) {
    case 'held':
      return 'no probe failed';
    case 'recovered':
      return `detected after ${formatDuration(v.ttdMs)} (${failingText(v.failing)}), recovered ${formatDuration(v.ttrMs)} later`;
    case 'not-recovered':
      return `still failing ${formatDuration(windowMs)} after the fault ended — ${failingText(v.failing)}`;
    case 'pending':
      return 'pending';
  }
}

/** Why the verdict is unknown. */
export function noVerdictText(n: NoVerdict): string {
  switch (n.kind) {
    case 'not-watched':
      return 'not watched: no probe sample was taken during the fault';
    case 'not-steady':
      return `no verdict: the steady state did not hold before the attack (${failingText(n.failing)}; --force)`;
    case 'run-failed':
      return 'no verdict: the attack failed';
    case 'shutdown':
      return `the bot stopped (${shutdownText(n.signal)}) before the recovery window ended`;
    case 'restarted':
      return 'the bot stopped before the recovery window ended; no verdict';
  }
}
