/** One attack in flight (its request, its life, one leg per host) and the ids and jobs it goes by. */

import { attackEnv } from '../../domain/attack-env.js';
import type { BlastCap } from '../../domain/blast-radius.js';
import type { Detection } from '../../domain/detection.js';
import { ADMITTED, type Life } from '../../domain/lifecycle.js';
import type { AttackDef, AttackRecord, HostDef, Trigger } from '../../domain/model.js';
import type { Wanted } from '../../domain/picker.js';
import type { Asker } from '../../domain/policy.js';
import type { Refusal } from '../../domain/refusal.js';
import type { AbortResult, AttackJob, AttackResult, OrphanJob, RunningAttack } from '../../ports/executor.js';
import type { AttackWrites } from '../../ports/store.js';
import type { Cancel } from '../../ports/timers.js';
import { deferred } from './deferred.js';
import type { DetectionWatch } from './detection-watch.js';
import type { Outcome, Verification } from './verification.js';

/** What asks for an attack. */
export interface AttackRequest {
  readonly asker: Asker;
  readonly trigger: Trigger;
  /** run-once's named attack and host. */
  readonly want?: Wanted;
  /** --force: no health gate for this attack's whole life (audited by the command). */
  readonly force?: boolean;
  /** `game-day`: business hours do not apply (policy.ts gate); every other gate does. */
  readonly window?: 'game-day';
}

export type LaunchResult =
  | { readonly ok: true; readonly record: AttackRecord }
  /** Not started: why, as data (`refusalCode` gives the skip code reports and replies switch on), and its row if it had one. */
  | { readonly ok: false; readonly refusal: Refusal; readonly record?: AttackRecord | undefined };

/** One host of a run: its row, its job, and what its host said. */
export interface Leg {
  readonly host: HostDef;
  /** Its row; null until written. */
  id: string | null;
  job: AttackJob | null;
  running: RunningAttack | null;
  /** How its own start failed (null: it started, was cancelled in time, or was never asked). */
  startError: string | null;
  /** It ended by itself (exit code, output). */
  result: AttackResult | null;
  /** The executor's answer to reverting it. */
  abortResult: AbortResult | null;
}

export function newLeg(host: HostDef): Leg {
  return { host, id: null, job: null, running: null, startError: null, result: null, abortResult: null };
}

/**
 * One attack this process is responsible for, from its admission to its final state. A run over
 * several hosts is one flight (one slot, one life, one verdict) with one leg per host; the first
 * leg's row is the run's row (`id`).
 */
export interface Flight {
  readonly seq: number;
  readonly request: AttackRequest;
  life: Life;
  /** The run's row: its first host's. */
  id: string | null;
  attack: AttackDef | null;
  /** The first host (the one named in run-once, or drawn). */
  host: HostDef | null;
  /** Every host it hits, first host first; empty before the draw. */
  legs: Leg[];
  /** The parameter values it runs with. */
  params: Readonly<Record<string, string>>;
  /** Why fewer hosts than asked (a cap of the blast radius), for the announcement. */
  capped: BlastCap | null;
  /** Aborted to ask the executor's start to run nothing. */
  readonly cancelStart: AbortController;
  /** Why it stopped before the host (refusal) or how it failed to start, as data. */
  refusal: Refusal | null;
  watches: Cancel[];
  /** The steady-state timeline, from the fault's start to its verdict (live attacks). */
  verification: Verification | null;
  /** Whether monitoring noticed it: looked for from the fault's start until the verdict (live attacks with detection sources). */
  detection: DetectionWatch | null;
  /** The verdict and what monitoring saw, once the recovery window closed (the `verdict-known` event). */
  judgement: { readonly outcome: Outcome; readonly detection: Detection | null } | null;
  /** Settles when the fault has ended (final state written). */
  readonly ended: Promise<void>;
  markEnded: () => void;
  /** Settles when the slot is free: the fault ended and, for an attack that ran, its verdict is known. */
  readonly finished: Promise<void>;
  finish: () => void;
}

/** A flight just admitted: a slot, nothing recorded yet. */
export function newFlight(seq: number, request: AttackRequest): Flight {
  const ended = deferred();
  const finished = deferred();
  return {
    seq,
    request,
    life: ADMITTED,
    id: null,
    attack: null,
    host: null,
    legs: [],
    params: {},
    capped: null,
    cancelStart: new AbortController(),
    refusal: null,
    watches: [],
    verification: null,
    detection: null,
    judgement: null,
    ended: ended.promise,
    markEnded: ended.resolve,
    finished: finished.promise,
    finish: finished.resolve,
  };
}

/**
 * The run's row id, once written. Asked only where the lifecycle guarantees the row exists (a
 * started, ended or judged attack); a null there is a bug, said loudly rather than cast away.
 */
export function recordedId(flight: Flight): string {
  if (flight.id === null) throw new Error(`attack ${flight.seq}: no row yet`);
  return flight.id;
}

/** The job of a leg whose rows are written (prepareJobs); a null there is a bug. */
export function jobOf(leg: Leg): AttackJob {
  if (leg.job === null) throw new Error(`the attack on ${leg.host.name}: no job prepared`);
  return leg.job;
}

/** A started leg's running attack (its start settled with one); a null there is a bug. */
export function runningOf(leg: Leg): RunningAttack {
  if (leg.running === null) throw new Error(`the attack on ${leg.host.name}: not started`);
  return leg.running;
}

/** A leg's row id, once written (writeRows). */
export function legId(leg: Leg): string {
  if (leg.id === null) throw new Error(`the attack on ${leg.host.name}: no row yet`);
  return leg.id;
}

/** The id an attack goes by on the host: `<database instance>-<row id>`. */
export function remoteId(store: Pick<AttackWrites, 'instanceId'>, id: string): string {
  return `${store.instanceId()}-${id}`;
}

/**
 * What the executor needs to find and undo a recorded attack on its host (orphan recovery, the
 * next-contact check): the same environment the attack ran with.
 */
export function recoveryJob(
  store: Pick<AttackWrites, 'instanceId'>,
  record: AttackRecord,
  attack: AttackDef | null,
  host: HostDef,
  botAddresses: readonly string[],
): OrphanJob {
  const id = remoteId(store, record.id);
  return {
    id,
    attack,
    host,
    remotePgid: record.remotePgid,
    deadlineAt: record.deadlineAt,
    env: attackEnv({ id, attack, host, durationMs: record.durationMs, botAddresses, params: record.params }),
  };
}
