import type Database from 'better-sqlite3';
import type {
  AttackRecord,
  BotState,
  Halt,
  HealthReport,
  ProbeRecord,
  TickOutcome,
  VerdictKindStored,
} from '../../domain/model.js';
import type { AttackFinish, AuditEntry, HistoryQuery, HostSummary, NewAttack, Store, TickRow } from '../../ports/store.js';
import { openDatabase, openReadOnly, StoreError } from './open.js';
import { insertSample, samplesOf, unverified } from './probe-samples.js';
import { type AttackRow, toRecord, toTick } from './rows.js';

export { StoreError } from './open.js';

export interface SqliteStoreOptions {
  readonly file: string;
  readonly migrationsDir: string;
  /** A second connection that can never write (the web archive): no migrations, every write fails. */
  readonly readOnly?: boolean;
}

const FINAL = "('completed', 'reverted', 'failed', 'cancelled', 'orphaned')";

/** The Store on a better-sqlite3 file in WAL mode. */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private instance: string | undefined;

  constructor(options: SqliteStoreOptions) {
    this.db = options.readOnly ? openReadOnly(options.file) : openDatabase(options.file, options.migrationsDir);
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
      const info = this.db
        .prepare(
          `INSERT INTO attacks (attack, host, trigger_kind, trigger_user, dry_run, state, created_at, deadline_at, duration_ms)
           VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
        )
        .run(
          a.attack,
          a.host,
          a.trigger.kind,
          a.trigger.kind === 'user' ? a.trigger.user : null,
          a.dryRun ? 1 : 0,
          a.createdAt,
          a.deadlineAt,
          a.durationMs,
        );
      return String(info.lastInsertRowid);
    });
  }

  markRunning(id: string, startedAt: number, remotePgid: number | null): void {
    this.write('the attack start', () =>
      this.db
        // A stop during the start may have written `aborting` first: keep it, but record the start.
        .prepare(
          `UPDATE attacks SET state = CASE state WHEN 'pending' THEN 'running' ELSE state END, started_at = ?, remote_pgid = ?
           WHERE id = ? AND state NOT IN ${FINAL}`,
        )
        .run(startedAt, remotePgid, Number(id)),
    );
  }

  markAborting(id: string, reason: string): void {
    this.write('the abort', () =>
      this.db
        .prepare(`UPDATE attacks SET state = 'aborting', reason = ? WHERE id = ? AND state NOT IN ${FINAL}`)
        .run(reason, Number(id)),
    );
  }

  finishAttack(id: string, f: AttackFinish): boolean {
    return this.write('the attack outcome', () => {
      const info = this.db
        .prepare(
          `UPDATE attacks SET state = ?, ended_at = ?, exit_code = COALESCE(?, exit_code), signal = COALESCE(?, signal),
             output_tail = COALESCE(?, output_tail), reason = COALESCE(?, reason), rollback_ok = COALESCE(?, rollback_ok),
             unconfirmed = ?
           WHERE id = ? AND state NOT IN ${FINAL}`,
        )
        .run(
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
    const rows = (
      host === undefined
        ? this.db.prepare('SELECT * FROM attacks WHERE unconfirmed = 1 ORDER BY id').all()
        : this.db.prepare('SELECT * FROM attacks WHERE unconfirmed = 1 AND host = ? ORDER BY id').all(host)
    ) as AttackRow[];
    return rows.map(toRecord);
  }

  recordSample(attackId: string, sample: ProbeRecord): void {
    this.write('a probe sample', () => insertSample(this.db, attackId, sample));
  }

  unverifiedAttacks(): AttackRecord[] {
    return unverified(this.db);
  }

  samplesOf(attackId: string): ProbeRecord[] {
    return samplesOf(this.db, attackId);
  }

  setVerdict(attackId: string, v: { kind: VerdictKindStored; ttdMs: number | null; ttrMs: number | null; detail: string }): void {
    this.write('the verdict', () =>
      this.db
        .prepare('UPDATE attacks SET verdict = ?, ttd_ms = ?, ttr_ms = ?, verdict_detail = ? WHERE id = ?')
        .run(v.kind, v.ttdMs, v.ttrMs, v.detail, Number(attackId)),
    );
  }

  confirmAttack(id: string, found: string, rollbackOk: boolean | null): void {
    this.write('what the host check found', () =>
      this.db
        .prepare(
          `UPDATE attacks SET unconfirmed = 0, reason = COALESCE(reason || '; ', '') || ?, rollback_ok = COALESCE(?, rollback_ok)
           WHERE id = ? AND unconfirmed = 1`,
        )
        .run(found, rollbackOk === null ? null : rollbackOk ? 1 : 0, Number(id)),
    );
  }

  getAttack(id: string): AttackRecord | undefined {
    const row = this.db.prepare('SELECT * FROM attacks WHERE id = ?').get(Number(id)) as AttackRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  unfinishedAttacks(): AttackRecord[] {
    const rows = this.db
      .prepare(`SELECT * FROM attacks WHERE state IN ('pending', 'running', 'aborting') ORDER BY id`)
      .all() as AttackRow[];
    return rows.map(toRecord);
  }

  history(q: HistoryQuery): AttackRecord[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.host !== undefined) where.push('host = ?') && args.push(q.host);
    if (q.attack !== undefined) where.push('attack = ?') && args.push(q.attack);
    if (q.failedOnly) where.push(`(state IN ('failed', 'orphaned') OR unconfirmed = 1 OR verdict = 'not-recovered')`);
    if (q.since !== undefined) where.push('created_at >= ?') && args.push(q.since);
    if (q.until !== undefined) where.push('created_at < ?') && args.push(q.until);
    const sql = `SELECT * FROM attacks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, q.limit) as AttackRow[]).map(toRecord);
  }

  hostSummary(): HostSummary[] {
    const rows = this.db
      .prepare(
        `SELECT host, COUNT(*) AS total,
           SUM(state = 'completed') AS completed, SUM(state = 'reverted') AS reverted,
           SUM(state = 'failed') AS failed, SUM(state = 'orphaned') AS orphaned, MAX(created_at) AS lastAt
         FROM attacks GROUP BY host ORDER BY host`,
      )
      .all() as HostSummary[];
    return rows;
  }

  getState(): BotState {
    const r = this.db.prepare('SELECT * FROM bot_state WHERE id = 1').get() as {
      halted: number;
      halted_by: string | null;
      halted_at: number | null;
      halt_reason: string | null;
      cooldown_until: number | null;
    };
    const halt: Halt | null = r.halted
      ? { by: r.halted_by ?? 'unknown', at: r.halted_at ?? 0, reason: r.halt_reason ?? '' }
      : null;
    return { halt, cooldownUntil: r.cooldown_until };
  }

  setHalt(halt: Halt): void {
    this.write('the halt', () =>
      this.db
        .prepare('UPDATE bot_state SET halted = 1, halted_by = ?, halted_at = ?, halt_reason = ? WHERE id = 1')
        .run(halt.by, halt.at, halt.reason),
    );
  }

  clearHalt(): void {
    this.write('the start', () =>
      this.db
        .prepare('UPDATE bot_state SET halted = 0, halted_by = NULL, halted_at = NULL, halt_reason = NULL WHERE id = 1')
        .run(),
    );
  }

  setCooldownUntil(at: number | null): void {
    this.write('the cooldown', () => this.db.prepare('UPDATE bot_state SET cooldown_until = ? WHERE id = 1').run(at));
  }

  recordTick(at: number, o: TickOutcome): void {
    this.write('the tick', () =>
      o.kind === 'attacked'
        ? this.db.prepare(`INSERT INTO ticks (at, outcome, attack_id) VALUES (?, 'attacked', ?)`).run(at, Number(o.attackId))
        : this.db.prepare(`INSERT INTO ticks (at, outcome, code, reason) VALUES (?, 'skipped', ?, ?)`).run(at, o.code, o.reason),
    );
  }

  private tickSelect = `SELECT t.*, a.attack AS attack, a.host AS host FROM ticks t LEFT JOIN attacks a ON a.id = t.attack_id`;

  lastTick(): TickRow | undefined {
    const r = this.db.prepare(`${this.tickSelect} ORDER BY t.rowid DESC LIMIT 1`).get() as
      | Parameters<typeof toTick>[0]
      | undefined;
    return r ? toTick(r) : undefined;
  }

  lastSkip(): TickRow | undefined {
    const r = this.db.prepare(`${this.tickSelect} WHERE t.outcome = 'skipped' ORDER BY t.rowid DESC LIMIT 1`).get() as
      | Parameters<typeof toTick>[0]
      | undefined;
    return r ? toTick(r) : undefined;
  }

  ticksBetween(from: number, to: number): TickRow[] {
    return (
      this.db.prepare(`${this.tickSelect} WHERE t.at >= ? AND t.at < ? ORDER BY t.at`).all(from, to) as Parameters<
        typeof toTick
      >[0][]
    ).map(toTick);
  }

  recordHealth(report: HealthReport): void {
    this.write('the health check', () =>
      this.db
        .prepare('INSERT INTO health_checks (at, healthy, results) VALUES (?, ?, ?)')
        .run(report.checkedAt, report.healthy ? 1 : 0, JSON.stringify(report.results)),
    );
  }

  private toHealth(r: { at: number; healthy: number; results: string }): HealthReport {
    return { checkedAt: r.at, healthy: r.healthy === 1, results: JSON.parse(r.results) };
  }

  lastHealth(): HealthReport | undefined {
    const r = this.db.prepare('SELECT * FROM health_checks ORDER BY rowid DESC LIMIT 1').get() as
      | { at: number; healthy: number; results: string }
      | undefined;
    return r ? this.toHealth(r) : undefined;
  }

  healthBetween(from: number, to: number): HealthReport[] {
    const rows = this.db.prepare('SELECT * FROM health_checks WHERE at >= ? AND at < ? ORDER BY at').all(from, to) as {
      at: number;
      healthy: number;
      results: string;
    }[];
    return rows.map((r) => this.toHealth(r));
  }

  audit(e: AuditEntry): void {
    this.write('the audit entry', () =>
      this.db
        .prepare('INSERT INTO audit (at, actor, transport, command, text, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(e.at, e.actor, e.transport, e.command, e.text.slice(0, 2000), e.outcome, e.detail.slice(0, 2000)),
    );
  }

  auditBetween(from: number, to: number): AuditEntry[] {
    return this.db
      .prepare('SELECT at, actor, transport, command, text, outcome, detail FROM audit WHERE at >= ? AND at < ? ORDER BY id')
      .all(from, to) as AuditEntry[];
  }

  instanceId(): string {
    // Fixed at creation: read once, so a database that fails later cannot change the ids on hosts.
    this.instance ??= String(this.db.prepare(`SELECT value FROM meta WHERE key = 'instance'`).pluck().get() ?? 'db');
    return this.instance;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
