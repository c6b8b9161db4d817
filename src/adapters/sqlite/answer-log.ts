import type Database from 'better-sqlite3';
import type { Answer, AnswerInput, Coverage, GapFix, Paged } from '../../domain/answers.js';
import type { AnswerLog } from '../../ports/answer-log.js';
import { prepared } from './statements.js';

interface AnswerRow {
  attack_id: number;
  person: string;
  at: number;
  paged: string | null;
  runbook: string | null;
  note: string | null;
}

function toAnswer(r: AnswerRow): Answer {
  return {
    attackId: String(r.attack_id),
    by: r.person,
    at: r.at,
    paged: r.paged as Paged | null,
    runbook: r.runbook as Coverage | null,
    note: r.note,
  };
}

/** The answers of migration 016: attack ids are global, so one log serves every team. */
export class SqliteAnswerLog implements AnswerLog {
  constructor(private readonly db: Database.Database) {}

  record(a: AnswerInput): void {
    prepared(
      this.db,
      `INSERT INTO attack_answers (attack_id, person, at, paged, runbook, note) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (attack_id, person) DO UPDATE SET at = excluded.at,
         paged = COALESCE(excluded.paged, paged), runbook = COALESCE(excluded.runbook, runbook), note = COALESCE(excluded.note, note)`,
    ).run(Number(a.attackId), a.by, a.at, a.paged ?? null, a.runbook ?? null, a.note ?? null);
  }

  answersOf(attackId: string): Answer[] {
    const rows = prepared(this.db, 'SELECT * FROM attack_answers WHERE attack_id = ? ORDER BY at, person').all(
      Number(attackId),
    ) as AnswerRow[];
    return rows.map(toAnswer);
  }

  markFixed(f: GapFix): void {
    prepared(
      this.db,
      `INSERT INTO gap_fixes (attack_id, person, at, note) VALUES (?, ?, ?, ?)
       ON CONFLICT (attack_id) DO UPDATE SET person = excluded.person, at = excluded.at, note = excluded.note`,
    ).run(Number(f.attackId), f.by, f.at, f.note);
  }

  fixesFor(attackIds: readonly string[]): Map<string, GapFix> {
    const out = new Map<string, GapFix>();
    for (let i = 0; i < attackIds.length; i += 500) {
      const ids = attackIds.slice(i, i + 500).map(Number);
      const rows = this.db
        .prepare(`SELECT * FROM gap_fixes WHERE attack_id IN (${ids.map(() => '?').join(',')})`)
        .all(...ids) as { attack_id: number; person: string; at: number; note: string }[];
      for (const r of rows) out.set(String(r.attack_id), { attackId: String(r.attack_id), by: r.person, at: r.at, note: r.note });
    }
    return out;
  }

  answersFor(attackIds: readonly string[]): Map<string, Answer[]> {
    const out = new Map<string, Answer[]>();
    // In slices: SQLite binds at most 32,766 parameters per statement.
    for (let i = 0; i < attackIds.length; i += 500) {
      const ids = attackIds.slice(i, i + 500).map(Number);
      const rows = this.db
        .prepare(`SELECT * FROM attack_answers WHERE attack_id IN (${ids.map(() => '?').join(',')}) ORDER BY at, person`)
        .all(...ids) as AnswerRow[];
      for (const r of rows) {
        const a = toAnswer(r);
        out.set(a.attackId, [...(out.get(a.attackId) ?? []), a]);
      }
    }
    return out;
  }
}
