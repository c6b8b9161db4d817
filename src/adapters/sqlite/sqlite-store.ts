import type Database from 'better-sqlite3';
import type { Detection } from '../../domain/detection.js';
import {
  type AttackRecord,
  type BotState,
  DEFAULT_TEAM,
  type Halt,
  type HealthReport,
  type ProbeRecord,
  type TickOutcome,
} from '../../domain/model.js';
import { errorMessage } from '../../ports/errors.js';
import type { AttackFinish, AuditEntry, HistoryQuery, HostSummary, NewAttack, Store, TickRow } from '../../ports/store.js';
import { attackById, history, hostSummary, runMembers, unconfirmed, unfinished } from './attack-queries.js';
import {
  confirmAttack,
  finishAttack,
  insertAttack,
  markAborting,
  markRunning,
  setDetection,
  setVerdict,
  type Verdict,
} from './attack-writes.js';
import { HaltKeeper } from './halt-keeper.js';
import {
  auditBetween,
  healthBetween,
  insertAudit,
  insertHealth,
  insertTick,
  lastHealth,
  lastTick,
  ticksBetween,
} from './journal-tables.js';
import { type MigrationOutcome, openDatabase, openReadOnly, StoreError } from './open.js';
import { insertSample, samplesOf, unverified } from './probe-samples.js';
import { prepared } from './statements.js';
import { allStates, forgetState, readState, writeCooldown, writeHalt } from './team-state.js';

export { StoreError } from './open.js';

export interface SqliteStoreOptions {
  readonly file: string;
  readonly migrationsDir: string;
  /** A second connection that can never write (the web archive): no migrations, every write fails. */
  readonly readOnly?: boolean;
}

/** Which team's rows a store reads: one team, or (the root store) every team. */
type Scope = { readonly team: string; readonly only: boolean };

/** The Store on a better-sqlite3 file in WAL mode. */
/** One keeper of refused halts per database file, shared by every team's view of it. */
const keepers = new WeakMap<Database.Database, HaltKeeper>();

export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly keeper: HaltKeeper | null;
  private instance: string | undefined;
  private readonly scope: Scope;
  /** What opening did to the schema (nothing, for a read-only or team view). */
  readonly migration: MigrationOutcome | null = null;

  /**
   * The root store reads every team's rows and writes for the team `default` (a config without
   * `teams:`); `forTeam` gives one team's view of the same file.
   */
  constructor(options: SqliteStoreOptions | { readonly shared: Database.Database; readonly team: string }) {
    if ('shared' in options) {
      this.db = options.shared;
      this.scope = { team: options.team, only: true };
      this.keeper = keepers.get(this.db) ?? null;
    } else {
      if (options.readOnly) this.db = openReadOnly(options.file);
      else ({ db: this.db, migration: this.migration } = openDatabase(options.file, options.migrationsDir));
      this.scope = { team: DEFAULT_TEAM, only: false };
      this.keeper = options.readOnly ? null : new HaltKeeper(this.db, `${options.file}.halt`);
      if (this.keeper) keepers.set(this.db, this.keeper);
    }
  }

  get team(): string {
    return this.scope.team;
  }

  /** The same database seen by one team: its attacks, ticks, health, audit and halt only. */
  forTeam(team: string): SqliteStore {
    return new SqliteStore({ shared: this.db, team });
  }

  /** ` AND team = ?` for a team's view, nothing for the root; with its argument. */
  private mine(column = 'team'): { sql: string; args: string[] } {
    return this.scope.only ? { sql: ` AND ${column} = ?`, args: [this.scope.team] } : { sql: '', args: [] };
  }

  /** The underlying handle, for benchmarks and the lock. */
  get handle(): Database.Database {
    return this.db;
  }

  private write<T>(what: string, fn: () => T): T {
    try {
      // What the database refused before goes first: a halt, then the audit rows (halt-keeper.ts).
      this.keeper?.flush();
      return fn();
    } catch (error) {
      throw new StoreError('STORE_WRITE', `cannot record ${what}: ${errorMessage(error)}`, { cause: error });
    }
  }

  together(writes: () => void): void {
    // One commit instead of one per write: fifty hosts' rows change in about the time of one.
    this.write('several rows at once', () => this.db.transaction(writes)());
  }

  insertAttack(a: NewAttack): string {
    return this.write('the attack', () => insertAttack(this.db, this.scope.team, a));
  }

  markRunning(id: string, startedAt: number, remotePgid: number | null): void {
    this.write('the attack start', () => markRunning(this.db, id, startedAt, remotePgid));
  }

  markAborting(id: string, reason: string): void {
    this.write('the abort', () => markAborting(this.db, id, reason));
  }

  finishAttack(id: string, f: AttackFinish): boolean {
    return this.write('the attack outcome', () => finishAttack(this.db, id, f));
  }

  unconfirmedAttacks(host?: string): AttackRecord[] {
    return unconfirmed(this.db, this.mine(), host);
  }

  recordSample(attackId: string, sample: ProbeRecord): void {
    this.write('a probe sample', () => insertSample(this.db, attackId, sample));
  }

  unverifiedAttacks(): AttackRecord[] {
    return unverified(this.db, this.scope.only ? this.scope.team : null);
  }

  samplesOf(attackId: string): ProbeRecord[] {
    return samplesOf(this.db, attackId);
  }

  setVerdict(attackId: string, v: Verdict): void {
    this.write('the verdict', () => setVerdict(this.db, attackId, v));
  }

  setDetection(attackId: string, d: Detection): void {
    this.write('whether monitoring noticed', () => setDetection(this.db, attackId, d));
  }

  confirmAttack(id: string, found: string, rollbackOk: boolean | null): void {
    this.write('what the host check found', () => confirmAttack(this.db, id, found, rollbackOk));
  }

  getAttack(id: string): AttackRecord | undefined {
    return attackById(this.db, id);
  }

  runMembers(id: string): AttackRecord[] {
    return runMembers(this.db, id);
  }

  unfinishedAttacks(): AttackRecord[] {
    return unfinished(this.db, this.mine());
  }

  /** Moves an attack to another team's view (start-up: its team left the config). */
  reassign(id: string, team: string): void {
    this.write('the attack team', () => prepared(this.db, 'UPDATE attacks SET team = ? WHERE id = ?').run(team, Number(id)));
  }

  history(q: HistoryQuery): AttackRecord[] {
    if (!this.scope.only) return history(this.db, q);
    // A team's view never shows another team's attacks, even when asked for them.
    return q.team === undefined || q.team === this.scope.team ? history(this.db, { ...q, team: this.scope.team }) : [];
  }

  hostSummary(): HostSummary[] {
    return hostSummary(this.db, this.mine());
  }

  getState(): BotState {
    const stored = readState(this.db, this.scope.team);
    const kept = this.keeper?.haltOf(this.scope.team, stored.halt);
    return kept === undefined ? stored : { ...stored, halt: kept };
  }

  /** Every team's halt and cooldown, including teams no longer configured (read at start). */
  teamStates(): { team: string; state: BotState }[] {
    return allStates(this.db);
  }

  setHalt(halt: Halt): void {
    try {
      this.write('the halt', () => writeHalt(this.db, this.scope.team, halt));
      this.keeper?.taken(this.scope.team);
    } catch (error) {
      const inSidecar = this.keeper?.refused(this.scope.team, halt) ?? false;
      const where = inSidecar ? `memory and ${this.keeper?.sidecar}` : 'memory only (no sidecar file could take it)';
      throw new StoreError(
        'STORE_WRITE',
        `${errorMessage(error)}; the halt is kept in ${where} and written to the database before anything else once it takes writes again`,
        { cause: error },
      );
    }
  }

  /**
   * A halt the database file can no longer be trusted with (deleted or replaced under the bot):
   * kept in memory and in the sidecar for each team, so a restart on a new file is still halted.
   */
  keepHaltOutside(halt: Halt, teams: readonly string[]): void {
    for (const team of teams) this.keeper?.refused(team, halt, true);
  }

  clearHalt(): void {
    this.write('the start', () => writeHalt(this.db, this.scope.team, null));
    this.keeper?.taken(this.scope.team);
  }

  /** Drops the halt and cooldown of a team that left the config (after they were handed on). */
  forgetTeam(team: string): void {
    this.write('the team state', () => forgetState(this.db, team));
  }

  setCooldownUntil(at: number | null): void {
    this.write('the cooldown', () => writeCooldown(this.db, this.scope.team, at));
  }

  recordTick(at: number, o: TickOutcome): void {
    this.write('the tick', () => insertTick(this.db, this.scope.team, at, o));
  }

  recordTicks(ticks: readonly { readonly team: string; readonly at: number; readonly outcome: TickOutcome }[]): void {
    this.write('the ticks', () =>
      this.db.transaction(() => {
        for (const t of ticks) insertTick(this.db, t.team, t.at, t.outcome);
      })(),
    );
  }

  lastTick(): TickRow | undefined {
    return lastTick(this.db, this.mine('t.team'), false);
  }

  lastSkip(): TickRow | undefined {
    return lastTick(this.db, this.mine('t.team'), true);
  }

  ticksBetween(from: number, to: number): TickRow[] {
    return ticksBetween(this.db, this.mine('t.team'), from, to);
  }

  recordHealth(report: HealthReport): void {
    this.write('the health check', () => insertHealth(this.db, this.scope.team, report));
  }

  lastHealth(): HealthReport | undefined {
    return lastHealth(this.db, this.mine());
  }

  healthBetween(from: number, to: number): HealthReport[] {
    return healthBetween(this.db, this.mine(), from, to);
  }

  audit(e: AuditEntry): void {
    try {
      this.write('the audit entry', () => insertAudit(this.db, this.scope.only ? this.scope.team : null, e));
    } catch (error) {
      // Kept and written after the halt once the database takes writes: a stop is never missing from the audit log.
      this.keeper?.refusedAudit(this.scope.only ? this.scope.team : null, e);
      throw error;
    }
  }

  auditBetween(from: number, to: number): AuditEntry[] {
    return auditBetween(this.db, this.mine(), from, to);
  }

  instanceId(): string {
    // Fixed at creation: read once, so a database that fails later cannot change the ids on hosts.
    this.instance ??= String(prepared(this.db, `SELECT value FROM meta WHERE key = 'instance'`).pluck().get() ?? 'db');
    return this.instance;
  }

  /** Closes the file; a team's view leaves it to the root store. */
  close(): void {
    if (this.scope.only) return;
    this.keeper?.close();
    if (this.db.open) this.db.close();
  }
}
