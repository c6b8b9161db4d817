import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { allRows, prepared } from '../../../src/adapters/sqlite/statements.js';

describe('rows read as arrays', () => {
  const db = new Database(':memory:');
  afterAll(() => db.close());
  db.exec(`CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT, note TEXT, at INTEGER);
    INSERT INTO a (name, note, at) VALUES ('x', NULL, 5), ('y', 'n', 6);
    CREATE TABLE b (a_id INTEGER, name TEXT); INSERT INTO b VALUES (1, 'bx');`);

  it('gives the very objects all() gives: every column, nulls, and the last of a repeated name', () => {
    for (const sql of [
      'SELECT * FROM a ORDER BY id',
      'SELECT a.*, b.name AS name FROM a LEFT JOIN b ON b.a_id = a.id ORDER BY a.id',
    ]) {
      const statement = prepared(db, sql);
      expect(allRows(statement)).toEqual(statement.all());
    }
    expect(allRows(prepared(db, 'SELECT * FROM a WHERE at > ?'), 5)).toEqual([{ id: 2, name: 'y', note: 'n', at: 6 }]);
  });

  it('leaves the shared statement giving objects, also when the query fails', () => {
    const statement = prepared(db, 'SELECT * FROM a WHERE id = ?');
    allRows(statement, 1);
    expect(statement.get(1)).toEqual({ id: 1, name: 'x', note: null, at: 5 });
    expect(() => allRows(statement, 1, 2)).toThrow();
    expect(statement.get(2)).toEqual({ id: 2, name: 'y', note: 'n', at: 6 });
  });
});
