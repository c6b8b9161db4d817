/**
 * Where one remote attack stands (running-attack.ts carries it out): a closed union moved only by
 * the pure `nextPhase`, tested as a table in test/adapters/ssh/running-attack.test.ts.
 */
import type { AbortResult, AttackResult } from '../../ports/executor.js';
import type { SshError } from './errors.js';

/** A revert that abort() started: why, and its answer, which every later abort() gets. */
export interface Revert {
  readonly reason: string;
  readonly done: Promise<AbortResult>;
}

/** Where the remote attack stands; only `nextPhase` moves it. A close is read one turn later, once queued output landed. */
export type Phase =
  /** No pgid yet; `failed` once the wrapper refused or missed the deadline (stdin closed then, never a halt). */
  | { readonly kind: 'starting'; readonly failed: SshError | null; readonly channel: 'open' | 'closed' }
  /** The wrapper reported the pgid; stdin stays open and silent until a stop. */
  | { readonly kind: 'running' }
  /** abort() asked for a revert (the halt line, then maybe the halt); `done` is read from its answer. */
  | { readonly kind: 'aborting'; readonly revert: Revert; readonly channel: 'open' | 'closed' }
  /** The channel of an attack that ran closed: its end is read the turn after. */
  | { readonly kind: 'closing' }
  /** Closed with no end line: the halt over a new connection looks for what is left. */
  | { readonly kind: 'recovering'; readonly halt: Promise<AbortResult> }
  /** `done` resolved; a stop may still revert a failed end that did not roll back. */
  | { readonly kind: 'ended'; readonly result: AttackResult; readonly revert: Revert | null };

export type PhaseEvent =
  | { readonly kind: 'pgid' }
  | { readonly kind: 'start-failed'; readonly error: SshError }
  | { readonly kind: 'closed' }
  | { readonly kind: 'abort'; readonly revert: Revert }
  | { readonly kind: 'lost'; readonly halt: Promise<AbortResult> }
  | { readonly kind: 'ended'; readonly result: AttackResult };

/** The phase after `e`; null when `e` changes nothing in `p` (a late or repeated event, an abort before the start). */
export function nextPhase(p: Phase, e: PhaseEvent): Phase | null {
  switch (e.kind) {
    case 'pgid':
    case 'start-failed':
      if (p.kind !== 'starting' || p.failed) return null;
      if (e.kind === 'start-failed') return { ...p, failed: e.error };
      return p.channel === 'open' ? { kind: 'running' } : { kind: 'closing' };
    case 'closed':
      if (p.kind === 'running') return { kind: 'closing' };
      return (p.kind === 'starting' || p.kind === 'aborting') && p.channel === 'open' ? { ...p, channel: 'closed' } : null;
    case 'abort':
      if (p.kind === 'ended') return p.revert ? null : { ...p, revert: e.revert };
      if (p.kind === 'running') return { kind: 'aborting', revert: e.revert, channel: 'open' };
      return p.kind === 'closing' || p.kind === 'recovering' ? { kind: 'aborting', revert: e.revert, channel: 'closed' } : null;
    case 'lost':
      return p.kind === 'closing' ? { kind: 'recovering', halt: e.halt } : null;
    case 'ended':
      return p.kind === 'ended' ? null : { kind: 'ended', result: e.result, revert: p.kind === 'aborting' ? p.revert : null };
  }
}
