import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InstanceLock, InstanceLockError } from '../../../src/adapters/sqlite/instance-lock.js';

const dirs: string[] = [];
const held: InstanceLock[] = [];

/** A fresh temp dir by its real path, so expectations compare with what the lock resolves. */
function tempDir(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'chaoscat-lock-')));
  dirs.push(dir);
  return dir;
}

function acquire(database: string): InstanceLock {
  const lock = InstanceLock.acquire(database);
  held.push(lock);
  return lock;
}

afterEach(() => {
  for (const lock of held.splice(0)) lock.release();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('one bot per database file', () => {
  it('refuses a second bot on the same path', () => {
    const db = join(tempDir(), 'c.db');
    acquire(db);
    expect(() => acquire(db)).toThrow(InstanceLockError);
  });

  it('refuses a second bot that reaches the same database through a symlink to the file', () => {
    const dir = tempDir();
    const db = join(dir, 'c.db');
    writeFileSync(db, '');
    symlinkSync(db, join(dir, 'link.db'));
    acquire(db);
    expect(() => acquire(join(dir, 'link.db'))).toThrow(InstanceLockError);
  });

  it('refuses a second bot that reaches the same database through a symlinked directory', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'data'));
    symlinkSync(join(dir, 'data'), join(dir, 'alias'));
    acquire(join(dir, 'alias', 'c.db'));
    expect(() => acquire(join(dir, 'data', 'c.db'))).toThrow(InstanceLockError);
  });

  it('refuses a second bot that names the same database by a relative path with .. segments', () => {
    const db = join(tempDir(), 'c.db');
    const rel = relative(process.cwd(), db);
    expect(rel).toMatch(/^\.\./);
    acquire(db);
    expect(() => acquire(rel)).toThrow(InstanceLockError);
    expect(() => acquire(join(db, '..', '.', 'c.db'))).toThrow(InstanceLockError);
  });

  it('follows .. after a symlinked directory the way the kernel and SQLite do, not as text', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real', 'sub'), { recursive: true });
    symlinkSync(join(dir, 'real', 'sub'), join(dir, 'link'));
    // link/.. is real/, not dir/: the kernel enters the link before it goes up.
    acquire(join(dir, 'real', 'c.db'));
    expect(() => acquire(`${join(dir, 'link')}/../c.db`)).toThrow(InstanceLockError);
    expect(existsSync(join(dir, 'c.db.lock'))).toBe(false);
  });

  it('locks the target of a symlink whose database file does not exist yet', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'data'));
    const db = join(dir, 'data', 'c.db');
    symlinkSync(db, join(dir, 'link.db'));
    acquire(join(dir, 'link.db'));
    expect(() => acquire(db)).toThrow(InstanceLockError);
    expect(existsSync(`${db}.lock`)).toBe(true);
    expect(existsSync(join(dir, 'link.db.lock'))).toBe(false);
    expect(existsSync(db)).toBe(false);
  });

  it('follows a chain of symlinks, relative ones from the directory that holds each link', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'data'));
    mkdirSync(join(dir, 'etc'));
    symlinkSync('../data/c.db', join(dir, 'etc', 'hop.db'));
    symlinkSync('etc/hop.db', join(dir, 'link.db'));
    acquire(join(dir, 'link.db'));
    expect(() => acquire(join(dir, 'data', 'c.db'))).toThrow(InstanceLockError);
  });

  it('keeps the lock and pid files beside the real database file', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'data'));
    const db = join(dir, 'data', 'c.db');
    writeFileSync(db, '');
    symlinkSync(db, join(dir, 'link.db'));
    acquire(join(dir, 'link.db'));
    expect(existsSync(`${db}.lock`)).toBe(true);
    expect(existsSync(`${db}.pid`)).toBe(true);
    expect(existsSync(join(dir, 'link.db.lock'))).toBe(false);
    expect(existsSync(join(dir, 'link.db.pid'))).toBe(false);
  });

  it('names the path given, the real file and the holder when it refuses, and says what to do', () => {
    const dir = tempDir();
    const db = join(dir, 'c.db');
    symlinkSync(db, join(dir, 'link.db'));
    acquire(db);
    expect(() => acquire(join(dir, 'link.db'))).toThrow(
      `another ChaosCat is already running on ${join(dir, 'link.db')}, which is ${db} (pid ${process.pid}); stop it first, or point this one at another database (another path to the same file is the same database)`,
    );
    expect(() => acquire(db)).toThrow(
      `another ChaosCat is already running on ${db} (pid ${process.pid}); stop it first, or point this one at another database`,
    );
  });

  it('lets the next bot start once the first releases, through any path', () => {
    const dir = tempDir();
    const db = join(dir, 'c.db');
    symlinkSync(db, join(dir, 'link.db'));
    acquire(db).release();
    expect(existsSync(`${db}.pid`)).toBe(false);
    const next = acquire(join(dir, 'link.db'));
    expect(() => acquire(db)).toThrow(InstanceLockError);
    next.release();
    expect(() => acquire(db).release()).not.toThrow();
  });

  it('does not block a different database, in the same directory or behind a link', () => {
    const dir = tempDir();
    acquire(join(dir, 'a.db'));
    symlinkSync(join(dir, 'b.db'), join(dir, 'link.db'));
    expect(() => acquire(join(dir, 'link.db'))).not.toThrow();
    expect(() => acquire(join(dir, 'c.db'))).not.toThrow();
  });

  it('gives up on a symlink loop instead of spinning', () => {
    const dir = tempDir();
    symlinkSync(join(dir, 'b.db'), join(dir, 'a.db'));
    symlinkSync(join(dir, 'a.db'), join(dir, 'b.db'));
    expect(() => acquire(join(dir, 'a.db'))).toThrow(expect.objectContaining({ code: 'ELOOP' }));
  });
});
