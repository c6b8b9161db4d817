import { type JournalCursor, type JournalEntry, type JournalRange, journalEntry } from '../../domain/journal.js';
import type { AttackRecord, ProbeRecord } from '../../domain/model.js';
import type { JournalSource } from '../../ports/journal.js';
import { SqliteAnswerLog } from './answer-log.js';
import type { SqliteStore } from './sqlite-store.js';

interface SampleRow {
  readonly attack_id: number;
  readonly at: number;
  readonly phase: ProbeRecord['phase'];
  readonly healthy: number;
  readonly results: string;
}

/**
 * The journal export's pages on the SQLite store: keyset paging on (created_at, id), which the
 * attacks_created index serves in order, so each page costs the same however deep the export is.
 * Records come from the store's own getAttack, so the journal always carries the full record; the
 * probe samples of a whole page come in one query (probe_samples_attack serves it). Read-only.
 */
export function sqliteJournal(store: SqliteStore): JournalSource {
  const ids = store.handle
    .prepare(
      `SELECT id FROM attacks INDEXED BY attacks_created
       WHERE (created_at, id) > (?, ?) AND created_at < ?
       ORDER BY created_at, id LIMIT ?`,
    )
    .pluck();
  const samples = store.handle.prepare(
    `SELECT attack_id, at, phase, healthy, results FROM probe_samples
     WHERE attack_id IN (SELECT value FROM json_each(?))
     ORDER BY attack_id, at, rowid`,
  );
  const answers = new SqliteAnswerLog(store.handle);
  return {
    page(range: JournalRange, after: JournalCursor | null, limit: number): JournalEntry[] {
      const from = after ? [after.createdAt, Number(after.id)] : [range.since, -1];
      const page = ids.all(from[0], from[1], range.until, limit) as number[];
      const byAttack = new Map<string, ProbeRecord[]>();
      for (const row of samples.all(JSON.stringify(page)) as SampleRow[]) {
        const sample: ProbeRecord = {
          at: row.at,
          phase: row.phase,
          healthy: row.healthy === 1,
          results: JSON.parse(row.results),
        };
        const list = byAttack.get(String(row.attack_id));
        if (list) list.push(sample);
        else byAttack.set(String(row.attack_id), [sample]);
      }
      const taught = answers.answersFor(page.map(String));
      return page
        .map((id) => store.getAttack(String(id)))
        .filter((r): r is AttackRecord => r !== undefined)
        .map((r) => journalEntry(r, byAttack.get(r.id) ?? [], taught.get(r.id) ?? []));
    },
  };
}
