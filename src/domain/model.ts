import type { Detection } from './detection.js';
import type { Ending } from './ending.js';
import type { Halt, SkipCode } from './refusal.js';

/** Where they were first kept; they live beside the refusal now (its code, the latch it tells). */
export type { Halt, SkipCode } from './refusal.js';

/** The nouns of ChaosCat, shared by every layer. Plain data: no behaviour, no I/O. */

export interface HostDef {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly tags: readonly string[];
  /** SSH user for this host; falls back to ssh.user. */
  readonly user?: string | undefined;
  readonly jumpHost?: { readonly address: string; readonly port: number; readonly user?: string | undefined } | undefined;
  /** Per-host values attacks may need (process name, systemd unit). Reach scripts as CHAOSCAT_VAR_<NAME>. */
  readonly vars: Readonly<Record<string, string>>;
  /** Where the host came from: `config` (hosts:) or an inventory source, e.g. `ansible:/etc/ansible/hosts`. */
  readonly source?: string | undefined;
}

export interface AttackDef {
  readonly name: string;
  readonly description: string;
  /** Relative chance of being drawn by the scheduler; 0 = only by name in run-once. */
  readonly weight: number;
  readonly durationMs: number;
  /** Host tags; empty = every host. */
  readonly targets: readonly string[];
  /** Commands that must exist on the host (checked before the attack runs). */
  readonly requires: readonly string[];
  /** Whether run and rollback need root (run through `sudo -n`). */
  readonly sudo: boolean;
  /** Default parameters; reach scripts as CHAOSCAT_PARAM_<NAME>. */
  readonly params: Readonly<Record<string, string>>;
  /** The bounds of each parameter (long form); a parameter without one takes any plain value. */
  readonly paramSpecs?: Readonly<Record<string, ParamSpec>> | undefined;
  /** Host names (an anchored regular expression) the attack may hit, besides `targets` tags. */
  readonly names?: string | undefined;
  /** Host names or tags never hit. */
  readonly exclude?: readonly string[] | undefined;
  /** How many eligible hosts one run hits; absent = one. */
  readonly blastRadius?: BlastRadius | undefined;
  /** Host vars this attack needs; a host without them is not eligible. */
  readonly hostVars: readonly string[];
  /** Shell script run on the host, inside the attack wrapper. */
  readonly run: string;
  /** Undoes the attack; safe to run twice. */
  readonly rollback: string;
  /** The file it came from, for messages. */
  readonly file: string;
  /** Names of the attack's own steady-state probes (the probes themselves live in config). */
  readonly probes: readonly string[];
  /** How long after the fault ends the steady state may take to hold again; null = verdict.recoveryWindow. */
  readonly recoveryMs: number | null;
  /** A deviation of the attack's own probes aborts it (the global health gate always does). */
  readonly abortOnDeviation: boolean;
  /** The runbook for what this attack breaks (its own, or its team's default); linked when it runs. */
  readonly runbook?: string | undefined;
}

/** A parameter's bounds: a number range (with its unit) or a list of allowed values. */
export interface ParamSpec {
  readonly default: string;
  readonly min?: number | undefined;
  readonly max?: number | undefined;
  readonly unit?: string | undefined;
  readonly description?: string | undefined;
  readonly enum?: readonly string[] | undefined;
}

/** `{ count }` or `{ percent, max }` of the eligible hosts; `allowAll` lets a run take all of them. */
export interface BlastRadius {
  readonly count?: number | undefined;
  readonly percent?: number | undefined;
  readonly max?: number | undefined;
  readonly allowAll?: boolean | undefined;
}

/** Who or what asked for an attack: the scheduler, a user id (Slack id, or `console`), or a game day by name. */
export type Trigger =
  | { readonly kind: 'schedule' }
  | { readonly kind: 'user'; readonly user: string }
  | { readonly kind: 'game-day'; readonly name: string };

/**
 * An attack's life: `pending` is written before anything is dispatched; `running` once the host
 * runs it; `aborting` while a stop/health abort reverts it. Final states never change again:
 * `cancelled` ended before it touched the host; `orphaned` was found unfinished at the next start.
 * The live transitions are the pure state machine of lifecycle.ts.
 */
export type AttackState = 'pending' | 'running' | 'aborting' | 'completed' | 'reverted' | 'failed' | 'cancelled' | 'orphaned';

export const FINAL_STATES: readonly AttackState[] = ['completed', 'reverted', 'failed', 'cancelled', 'orphaned'];

export function isFinal(state: AttackState): boolean {
  return FINAL_STATES.includes(state);
}

/** The team of a config without `teams:`, and of every row written before teams existed. */
export const DEFAULT_TEAM = 'default';

export interface AttackRecord {
  readonly id: string;
  /** The on-call team whose attack it is (`default` without `teams:`). */
  readonly team: string;
  readonly attack: string;
  readonly host: string;
  readonly trigger: Trigger;
  readonly dryRun: boolean;
  readonly state: AttackState;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  /** When the host-side timer ends the attack by itself, whatever happens to the bot. */
  readonly deadlineAt: number;
  readonly durationMs: number;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly outputTail: string;
  readonly reason: string | null;
  /** Outcome of the rollback: null when it has not run. */
  readonly rollbackOk: boolean | null;
  /** Remote process group id, when known: what stop and orphan recovery kill. */
  readonly remotePgid: number | null;
  /**
   * The host could not be reached when the attack was aborted: nobody has seen it end. The next
   * contact with the host checks what was left and clears this.
   */
  readonly unconfirmed: boolean;
  /** A run over several hosts has one row per host: the others point to the first host's row. */
  readonly runId?: string | null | undefined;
  /** Every host of a run over several hosts (on the first host's row); absent for one host. */
  readonly hosts?: readonly string[] | undefined;
  /** The parameter values the attack ran with (defaults and run-once overrides). */
  readonly params?: Readonly<Record<string, string>> | undefined;
  /** How it ended, as data (domain/ending.ts): what the report counts and the words tell; null while it runs. */
  readonly ending?: Ending | null | undefined;
  /** Did the system survive? Null while the verdict is pending (or for attacks before verdicts). */
  readonly verdict: VerdictKindStored | null;
  /** Time to detect: from the fault's start to the first failing probe. */
  readonly ttdMs: number | null;
  /** Time to recover: from the first failure to the steady state holding again. */
  readonly ttrMs: number | null;
  /** One line: what failed, how long it took. */
  readonly verdictDetail: string | null;
  /** Did monitoring notice it (an alert from its start to its verdict)? Absent when nobody looked. */
  readonly detection?: Detection | null | undefined;
}

/** The record as written before anything runs: `pending`, nothing known of its end yet. */
export function pendingRecord(
  id: string,
  fields: Pick<AttackRecord, 'attack' | 'host' | 'trigger' | 'dryRun' | 'createdAt' | 'deadlineAt' | 'durationMs'> & {
    readonly team?: string;
  } & Pick<AttackRecord, 'runId' | 'hosts' | 'params'>,
): AttackRecord {
  return {
    id,
    team: fields.team ?? DEFAULT_TEAM,
    attack: fields.attack,
    host: fields.host,
    trigger: fields.trigger,
    dryRun: fields.dryRun,
    state: 'pending',
    createdAt: fields.createdAt,
    startedAt: null,
    endedAt: null,
    deadlineAt: fields.deadlineAt,
    durationMs: fields.durationMs,
    exitCode: null,
    signal: null,
    outputTail: '',
    reason: null,
    rollbackOk: null,
    remotePgid: null,
    unconfirmed: false,
    verdict: null,
    ttdMs: null,
    ttrMs: null,
    verdictDetail: null,
    ...(fields.runId ? { runId: fields.runId } : {}),
    ...(fields.hosts && fields.hosts.length > 1 ? { hosts: fields.hosts } : {}),
    ...(fields.params && Object.keys(fields.params).length > 0 ? { params: fields.params } : {}),
  };
}

/** `unknown`: the bot stopped before the recovery window ended. */
export type VerdictKindStored = 'held' | 'recovered' | 'not-recovered' | 'unknown';

/** One probe round of an attack's steady state. */
export interface ProbeRecord {
  readonly at: number;
  readonly phase: 'before' | 'during' | 'after';
  readonly healthy: boolean;
  readonly results: readonly ProviderResult[];
}

/** What the bot remembers across restarts. */
export interface BotState {
  readonly halt: Halt | null;
  /** No scheduled attack may start before this epoch-ms instant. */
  readonly cooldownUntil: number | null;
}

export type TickOutcome =
  | { readonly kind: 'attacked'; readonly attackId: string; readonly attack: string; readonly host: string }
  | { readonly kind: 'skipped'; readonly code: SkipCode; readonly reason: string };

export interface ProviderResult {
  readonly name: string;
  readonly kind: string;
  readonly healthy: boolean;
  /** Why, in a few words: "2 alerts firing: HighLatency, DiskFull", "HTTP 500", "timed out after 2s". */
  readonly reason: string;
  readonly durationMs: number;
}

export interface HealthReport {
  readonly healthy: boolean;
  readonly checkedAt: number;
  readonly results: readonly ProviderResult[];
}

/** The failing probes or providers, one `name: reason` each, for every message that names them. */
export function failingText(failing: readonly { readonly name: string; readonly reason: string }[]): string {
  return failing.length ? failing.map((f) => `${f.name}: ${f.reason}`).join('; ') : 'health unknown';
}

/** Fail closed: healthy only when the gate says so and every provider passed. */
export function isHealthy(report: HealthReport): boolean {
  return report.healthy && report.results.every((r) => r.healthy);
}
