import type Database from 'better-sqlite3';
import type { People } from '../../ports/people.js';
import { prepared } from './statements.js';

/** Display names (migration 020). Reads fail quietly: a name is a nicety, the id is shown instead. */
export class SqlitePeople implements People {
  constructor(private readonly db: Database.Database) {}

  readonly nameOf = (id: string): string | undefined => {
    try {
      const row = prepared(this.db, 'SELECT name FROM people WHERE id = ?').get(id) as { name: string } | undefined;
      return row?.name;
    } catch {
      return undefined;
    }
  };

  remember(id: string, name: string, at: number): void {
    prepared(
      this.db,
      'INSERT INTO people (id, name, seen_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, seen_at = excluded.seen_at',
    ).run(id, name, at);
  }
}
