import type Database from 'better-sqlite3';
import type { BotState, Halt } from '../../domain/model.js';
import { prepared } from './statements.js';

interface StateRow {
  team: string;
  halted: number;
  halted_by: string | null;
  halted_at: number | null;
  halt_reason: string | null;
  cooldown_until: number | null;
}

function toState(r: StateRow | undefined): BotState {
  if (!r) return { halt: null, cooldownUntil: null };
  const halt: Halt | null = r.halted ? { by: r.halted_by ?? 'unknown', at: r.halted_at ?? 0, reason: r.halt_reason ?? '' } : null;
  return { halt, cooldownUntil: r.cooldown_until };
}

/** The halt latch and cooldown of each team (table team_state, migration 006); a team without a row is neither. */
export function readState(db: Database.Database, team: string): BotState {
  return toState(prepared(db, 'SELECT * FROM team_state WHERE team = ?').get(team) as StateRow | undefined);
}

export function allStates(db: Database.Database): { team: string; state: BotState }[] {
  return (prepared(db, 'SELECT * FROM team_state ORDER BY team').all() as StateRow[]).map((r) => ({
    team: r.team,
    state: toState(r),
  }));
}

export function writeHalt(db: Database.Database, team: string, halt: Halt | null): void {
  prepared(
    db,
    `INSERT INTO team_state (team, halted, halted_by, halted_at, halt_reason) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (team) DO UPDATE SET halted = excluded.halted, halted_by = excluded.halted_by,
       halted_at = excluded.halted_at, halt_reason = excluded.halt_reason`,
  ).run(team, halt ? 1 : 0, halt?.by ?? null, halt?.at ?? null, halt?.reason ?? null);
}

export function writeCooldown(db: Database.Database, team: string, until: number | null): void {
  prepared(
    db,
    `INSERT INTO team_state (team, cooldown_until) VALUES (?, ?)
     ON CONFLICT (team) DO UPDATE SET cooldown_until = excluded.cooldown_until`,
  ).run(team, until);
}

export function forgetState(db: Database.Database, team: string): void {
  prepared(db, 'DELETE FROM team_state WHERE team = ?').run(team);
}
