import type Database from 'better-sqlite3';
import type { Occurrence, OccurrenceState } from '../../domain/game-day.js';
import { errorMessage } from '../../ports/errors.js';
import type { GameDayStore } from '../../ports/game-day-store.js';
import { StoreError } from './open.js';
import { prepared } from './statements.js';

interface OccurrenceRow {
  name: string;
  occurs_at: number;
  state: OccurrenceState;
  announced_at: number;
  detail: string | null;
}

/** One team's game days in the tables of migration 008. */
export class SqliteGameDayStore implements GameDayStore {
  constructor(
    private readonly db: Database.Database,
    private readonly team: string,
  ) {}

  occurrence(name: string, at: number): Occurrence | undefined {
    const row = prepared(this.db, 'SELECT * FROM game_days WHERE team = ? AND name = ? AND occurs_at = ?').get(
      this.team,
      name,
      at,
    ) as OccurrenceRow | undefined;
    return row ? this.toOccurrence(row) : undefined;
  }

  private toOccurrence(row: OccurrenceRow): Occurrence {
    return {
      name: row.name,
      at: row.occurs_at,
      state: row.state,
      announcedAt: row.announced_at,
      approvedBy: this.approvers(row.name, row.occurs_at),
      detail: row.detail,
    };
  }

  announced(): readonly Occurrence[] {
    const rows = prepared(this.db, "SELECT * FROM game_days WHERE team = ? AND state = 'announced' ORDER BY occurs_at").all(
      this.team,
    ) as OccurrenceRow[];
    return rows.map((row) => this.toOccurrence(row));
  }

  announce(name: string, at: number, announcedAt: number): void {
    this.write('the game-day notice', () =>
      prepared(
        this.db,
        `INSERT INTO game_days (team, name, occurs_at, state, announced_at) VALUES (?, ?, ?, 'announced', ?)
           ON CONFLICT (team, name, occurs_at) DO NOTHING`,
      ).run(this.team, name, at, announcedAt),
    );
  }

  approve(name: string, at: number, user: string, approvedAt: number): readonly string[] {
    this.write('the approval', () =>
      prepared(
        this.db,
        `INSERT INTO game_day_approvals (team, name, occurs_at, user, approved_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (team, name, occurs_at, user) DO NOTHING`,
      ).run(this.team, name, at, user, approvedAt),
    );
    return this.approvers(name, at);
  }

  settle(name: string, at: number, state: 'skipped' | 'started', detail: string): boolean {
    const info = this.write('the game-day outcome', () =>
      prepared(
        this.db,
        `UPDATE game_days SET state = ?, detail = ? WHERE team = ? AND name = ? AND occurs_at = ? AND state = 'announced'`,
      ).run(state, detail, this.team, name, at),
    );
    return info.changes > 0;
  }

  private approvers(name: string, at: number): string[] {
    return prepared(
      this.db,
      'SELECT user FROM game_day_approvals WHERE team = ? AND name = ? AND occurs_at = ? ORDER BY approved_at, rowid',
    )
      .pluck()
      .all(this.team, name, at) as string[];
  }

  private write<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw new StoreError('STORE_WRITE', `cannot record ${what}: ${errorMessage(error)}`, { cause: error });
    }
  }
}
