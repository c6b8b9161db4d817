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

/** Items grouped by their attack id, each group in the order given. */
export function byAttack<T>(items: readonly T[], idOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(idOf(item));
    if (list) list.push(item);
    else out.set(idOf(item), [item]);
  }
  return out;
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
    return this.answersFor([attackId]).get(attackId) ?? [];
  }

  markFixed(f: GapFix): void {
    prepared(
      this.db,
      `INSERT INTO gap_fixes (attack_id, person, at, note) VALUES (?, ?, ?, ?)
       ON CONFLICT (attack_id) DO UPDATE SET person = excluded.person, at = excluded.at, note = excluded.note`,
    ).run(Number(f.attackId), f.by, f.at, f.note);
  }

  fixesFor(attackIds: readonly string[]): Map<string, GapFix> {
    const rows = prepared(this.db, 'SELECT * FROM gap_fixes WHERE attack_id IN (SELECT value FROM json_each(?))').all(
      JSON.stringify(attackIds.map(Number)),
    ) as { attack_id: number; person: string; at: number; note: string }[];
    return new Map(
      rows.map((r) => [String(r.attack_id), { attackId: String(r.attack_id), by: r.person, at: r.at, note: r.note }]),
    );
  }

  answersFor(attackIds: readonly string[]): Map<string, Answer[]> {
    // The ids as one JSON array (as the journal export does): no statement per count of ids, no bound on them.
    const rows = prepared(
      this.db,
      'SELECT * FROM attack_answers WHERE attack_id IN (SELECT value FROM json_each(?)) ORDER BY at, person',
    ).all(JSON.stringify(attackIds.map(Number))) as AnswerRow[];
    return byAttack(rows.map(toAnswer), (a) => a.attackId);
  }
}
