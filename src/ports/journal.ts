import type { JournalCursor, JournalEntry, JournalRange } from '../domain/journal.js';

/** Read-only pages of journal entries, oldest first. Side effects: none (reads the database). */
export interface JournalSource {
  /** At most `limit` entries in the range after the cursor (from the start when null). */
  page(range: JournalRange, after: JournalCursor | null, limit: number): JournalEntry[];
}
