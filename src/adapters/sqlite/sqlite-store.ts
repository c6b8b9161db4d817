import type Database from 'better-sqlite3';
import {
  type AttackRecord,
  type BotState,
  DEFAULT_TEAM,
  type Halt,
  type HealthReport,
  type ProbeRecord,
  type TickOutcome,
  type VerdictKindStored,
} from '../../domain/model.js';
import type { AttackFinish, AuditEntry, HistoryQuery, HostSummary, NewAttack, Store, TickRow } from '../../ports/store.js';
import { attackById, history, hostSummary, runMembers, unconfirmed, unfinished } from './attack-queries.js';
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

const FINAL = "('completed', 'reverted', 'failed', 'cancelled', 'orphaned')";

/** The Store on a better-sqlite3 file in WAL mode. */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
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
    } else {
      if (options.readOnly) this.db = openReadOnly(options.file);
      else ({ db: this.db, migration: this.migration } = openDatabase(options.file, options.migrationsDir));
      this.scope = { team: DEFAULT_TEAM, only: false };
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
      return fn();
    } catch (error) {
      throw new StoreError('STORE_WRITE', `cannot record ${what}: ${(error as Error).message}`, { cause: error });
    }
  }

  insertAttack(a: NewAttack): string {
    return this.write('the attack', () => {
      const info = prepared(
        this.db,
        `INSERT INTO attacks (team, attack, host, trigger_kind, trigger_user, trigger_name, dry_run, state, created_at, deadline_at,
                              duration_ms, run_id, run_hosts, params)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?)`,
      ).run(
        this.scope.team,
        a.attack,
        a.host,
        // A game day is stored as a scheduled attack with its name (see migration 008).
        a.trigger.kind === 'game-day' ? 'schedule' : a.trigger.kind,
        a.trigger.kind === 'user' ? a.trigger.user : null,
        a.trigger.kind === 'game-day' ? a.trigger.name : null,
        a.dryRun ? 1 : 0,
        a.createdAt,
        a.deadlineAt,
        a.durationMs,
        a.runId ? Number(a.runId) : null,
        a.hosts && a.hosts.length > 1 ? a.hosts.join(',') : null,
        a.params && Object.keys(a.params).length > 0 ? JSON.stringify(a.params) : null,
      );
      return String(info.lastInsertRowid);
    });
  }

  markRunning(id: string, startedAt: number, remotePgid: number | null): void {
    // A stop during the start may have written `aborting` first: keep it, but record the start.
    this.write('the attack start', () =>
      prepared(
        this.db,
        `UPDATE attacks SET state = CASE state WHEN 'pending' THEN 'running' ELSE state END, started_at = ?, remote_pgid = ?
           WHERE id = ? AND state NOT IN ${FINAL}`,
      ).run(startedAt, remotePgid, Number(id)),
    );
  }

  markAborting(id: string, reason: string): void {
    this.write('the abort', () =>
      prepared(this.db, `UPDATE attacks SET state = 'aborting', reason = ? WHERE id = ? AND state NOT IN ${FINAL}`).run(
        reason,
        Number(id),
      ),
    );
  }

  finishAttack(id: string, f: AttackFinish): boolean {
    return this.write('the attack outcome', () => {
      const info = prepared(
        this.db,
        `UPDATE attacks SET state = ?, ended_at = ?, exit_code = COALESCE(?, exit_code), signal = COALESCE(?, signal),
             output_tail = COALESCE(?, output_tail), reason = COALESCE(?, reason), rollback_ok = COALESCE(?, rollback_ok),
             unconfirmed = ?
           WHERE id = ? AND state NOT IN ${FINAL}`,
      ).run(
        f.state,
        f.endedAt,
        f.exitCode ?? null,
        f.signal ?? null,
        f.outputTail ?? null,
        f.reason ?? null,
        f.rollbackOk === undefined || f.rollbackOk === null ? null : f.rollbackOk ? 1 : 0,
        f.unconfirmed ? 1 : 0,
        Number(id),
      );
      return info.changes > 0;
    });
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

  setVerdict(attackId: string, v: { kind: VerdictKindStored; ttdMs: number | null; ttrMs: number | null; detail: string }): void {
    this.write('the verdict', () =>
      prepared(this.db, 'UPDATE attacks SET verdict = ?, ttd_ms = ?, ttr_ms = ?, verdict_detail = ? WHERE id = ?').run(
        v.kind,
        v.ttdMs,
        v.ttrMs,
        v.detail,
        Number(attackId),
      ),
    );
  }

  confirmAttack(id: string, found: string, rollbackOk: boolean | null): void {
    this.write('what the host check found', () =>
      prepared(
        this.db,
        `UPDATE attacks SET unconfirmed = 0, reason = COALESCE(reason || '; ', '') || ?, rollback_ok = COALESCE(?, rollback_ok)
           WHERE id = ? AND unconfirmed = 1`,
      ).run(found, rollbackOk === null ? null : rollbackOk ? 1 : 0, Number(id)),
    );
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
    return readState(this.db, this.scope.team);
  }

  /** Every team's halt and cooldown, including teams no longer configured (read at start). */
  teamStates(): { team: string; state: BotState }[] {
    return allStates(this.db);
  }

  setHalt(halt: Halt): void {
    this.write('the halt', () => writeHalt(this.db, this.scope.team, halt));
  }

  clearHalt(): void {
    this.write('the start', () => writeHalt(this.db, this.scope.team, null));
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
    this.write('the audit entry', () => insertAudit(this.db, this.scope.only ? this.scope.team : null, e));
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
    if (this.db.open) this.db.close();
  }
}
