import type Database from 'better-sqlite3';

const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * The prepared statement for this SQL on this database, prepared once: preparing costs more than
 * running most of our queries, and every team's tick runs the same few.
 */
export function prepared(db: Database.Database, sql: string): Database.Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}

const shapes = new WeakMap<Database.Statement, { names: string[]; template: Record<string, unknown> }>();

/**
 * All rows of a query as objects keyed by column, like `statement.all()`, but read as arrays:
 * better-sqlite3 builds each row object key by key, which for a day's 1,500 ticks or 500 attacks
 * costs two to four times the query itself. Copying one template object per row and filling it in
 * costs a fraction. A repeated column name keeps its last value, as `all()` does.
 */
export function allRows<T>(statement: Database.Statement, ...args: unknown[]): T[] {
  let shape = shapes.get(statement);
  if (!shape) {
    const names = statement.columns().map((c) => c.name);
    shape = { names, template: Object.fromEntries(names.map((n) => [n, null])) };
    shapes.set(statement, shape);
  }
  const { names, template } = shape;
  let values: unknown[][];
  statement.raw(true);
  try {
    values = statement.all(...args) as unknown[][];
  } finally {
    statement.raw(false);
  }
  return values.map((v) => {
    const row: Record<string, unknown> = { ...template };
    for (let i = 0; i < names.length; i++) row[names[i] as string] = v[i];
    return row as T;
  });
}
