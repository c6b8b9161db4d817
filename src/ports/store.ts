import type { Detection } from '../domain/detection.js';
import type { Ending } from '../domain/ending.js';
import type {
  AttackRecord,
  AttackState,
  BotState,
  Halt,
  HealthReport,
  ProbeRecord,
  TickOutcome,
  Trigger,
  VerdictKindStored,
} from '../domain/model.js';

export interface NewAttack {
  readonly attack: string;
  readonly host: string;
  readonly trigger: Trigger;
  readonly dryRun: boolean;
  readonly createdAt: number;
  readonly deadlineAt: number;
  readonly durationMs: number;
  /** The first host's row, for the other hosts of a run over several hosts. */
  readonly runId?: string | null | undefined;
  /** Every host of a run over several hosts (on its first row). */
  readonly hosts?: readonly string[] | undefined;
  /** The parameter values it runs with. */
  readonly params?: Readonly<Record<string, string>> | undefined;
}

export interface AttackFinish {
  readonly state: Extract<AttackState, 'completed' | 'reverted' | 'failed' | 'cancelled' | 'orphaned'>;
  readonly endedAt: number;
  readonly exitCode?: number | null;
  readonly signal?: string | null;
  readonly outputTail?: string;
  readonly reason?: string | null;
  readonly rollbackOk?: boolean | null;
  /** The host was unreachable: the end is not confirmed until the next contact checks it. */
  readonly unconfirmed?: boolean;
  /** How it ended, as data (domain/ending.ts); kept unless given. */
  readonly ending?: Ending | null;
}

export interface HistoryQuery {
  readonly limit: number;
  readonly host?: string;
  readonly attack?: string;
  /** Only failed and orphaned attacks, those not confirmed, and those that did not recover. */
  readonly failedOnly?: boolean;
  /** Only live attacks that may have found a gap: someone answered after them, or no alert caught a deviation. */
  readonly gapsOnly?: boolean;
  /** One team's attacks only. */
  readonly team?: string;
  /** Epoch ms bounds on createdAt, inclusive start, exclusive end. */
  readonly since?: number;
  readonly until?: number;
}

export interface TickRow {
  readonly at: number;
  readonly outcome: TickOutcome;
}

export interface AuditEntry {
  readonly at: number;
  /** User id, `console`, or `system`. */
  readonly actor: string;
  readonly transport: string;
  /** The command word, e.g. `run-once`. */
  readonly command: string;
  /** The raw text as received, bounded. Stored as data, never executed. */
  readonly text: string;
  /** ok, refused, error, invalid. */
  readonly outcome: string;
  readonly detail: string;
  /** What a stop or start did to the scheduler; null/absent for other commands and for rows from before it was kept. */
  readonly action?: AuditAction | null;
}

export type AuditAction = 'halted' | 'resumed' | 'resolved' | 'none';

export interface HostSummary {
  readonly host: string;
  readonly total: number;
  readonly completed: number;
  readonly reverted: number;
  readonly failed: number;
  readonly orphaned: number;
  readonly lastAt: number | null;
}

/** Codes of the store's errors: opening, a corrupt file, a refused write, a failed read. */
export type StoreErrorCode = 'STORE_OPEN' | 'STORE_CORRUPT' | 'STORE_WRITE' | 'STORE_READ';

/** The code of a write the store refused (disk full, database locked, read-only). */
export const STORE_WRITE: StoreErrorCode = 'STORE_WRITE';

/**
 * The attack rows as an attack's life goes on. Side effects: writes to the database; a failed write
 * throws an error with code `STORE_WRITE` (the caller must not start an attack it could not record).
 */
export interface AttackWrites {
  /** The team this store writes for (and, for a team's view, the only one it reads). */
  readonly team: string;
  /** Writes the row in state `pending`, before anything is dispatched; returns its id. */
  insertAttack(attack: NewAttack): string;
  markRunning(id: string, startedAt: number, remotePgid: number | null): void;
  markAborting(id: string, reason: string): void;
  /** Several writes as one transaction: all of them or none (a run's hosts change state together). */
  together(writes: () => void): void;
  /** Moves an attack to a final state. Refuses (no-op, returns false) if it is already final. */
  finishAttack(id: string, finish: AttackFinish): boolean;
  /** The attack's steady-state verdict (written once it is known). */
  setVerdict(
    attackId: string,
    verdict: { kind: VerdictKindStored; ttdMs: number | null; ttrMs: number | null; detail: string },
  ): void;
  /** Whether monitoring noticed the attack (written with its verdict). */
  setDetection(attackId: string, detection: Detection): void;
  /** Records what the next contact with the host found, and clears `unconfirmed`. */
  confirmAttack(id: string, found: string, rollbackOk: boolean | null): void;
  /** Moves an attack to another team (its team left the config). */
  reassign(id: string, team: string): void;
  /** A random id of this database, fixed at creation: prefixes remote attack markers. */
  instanceId(): string;
}

/** The attack rows, read. Side effects: none. */
export interface AttackReads {
  getAttack(id: string): AttackRecord | undefined;
  /** The other hosts' rows of a run over several hosts (none for a run on one host), by id. */
  runMembers(id: string): AttackRecord[];
  /** Attacks not in a final state, oldest first. */
  unfinishedAttacks(): AttackRecord[];
  /** Final attacks whose end nobody saw (host unreachable), on one host or all, oldest first. */
  unconfirmedAttacks(host?: string): AttackRecord[];
  /** Attacks that ran, were being verified (they have probe samples) and have no verdict: the bot stopped meanwhile. */
  unverifiedAttacks(): AttackRecord[];
  /** Newest first. */
  history(query: HistoryQuery): AttackRecord[];
  /** Per-host counts over every attack. */
  hostSummary(): HostSummary[];
}

/** The probe rounds of each attack's steady state. Side effects: `recordSample` writes. */
export interface SampleLog {
  /** One probe round of an attack's steady state. */
  recordSample(attackId: string, sample: ProbeRecord): void;
  /** The probe rounds of an attack, oldest first. */
  samplesOf(attackId: string): ProbeRecord[];
}

/** What the bot remembers across restarts: each team's halt and cooldown. Side effects: the setters write. */
export interface StateStore {
  /** This store's team's halt and cooldown. */
  getState(): BotState;
  /** Every team's halt and cooldown, teams no longer configured included. */
  teamStates(): { team: string; state: BotState }[];
  /** Drops a team's halt and cooldown (once handed on to the configured teams). */
  forgetTeam(team: string): void;
  setHalt(halt: Halt): void;
  clearHalt(): void;
  setCooldownUntil(at: number | null): void;
}

/** Every scheduler tick's outcome. Side effects: the record methods write. */
export interface TickLog {
  recordTick(at: number, outcome: TickOutcome): void;
  /** Several teams' ticks in one transaction (every team ticks on the minute). */
  recordTicks(ticks: readonly { readonly team: string; readonly at: number; readonly outcome: TickOutcome }[]): void;
  lastTick(): TickRow | undefined;
  /** The most recent skipped tick. */
  lastSkip(): TickRow | undefined;
  ticksBetween(from: number, to: number): TickRow[];
}

/** Every health check's result. Side effects: `recordHealth` writes. */
export interface HealthLog {
  recordHealth(report: HealthReport): void;
  lastHealth(): HealthReport | undefined;
  healthBetween(from: number, to: number): HealthReport[];
}

/** Every command, allowed or not. Side effects: `audit` writes. */
export interface AuditLog {
  audit(entry: AuditEntry): void;
  auditBetween(from: number, to: number): AuditEntry[];
}

/**
 * Durable memory of the bot, as one SQLite adapter implements it: the narrow ports above together.
 * Use cases take the ones they use; the composition root and the fleet hold the whole.
 */
export interface Store extends AttackWrites, AttackReads, SampleLog, StateStore, TickLog, HealthLog, AuditLog {
  close(): void;
}
