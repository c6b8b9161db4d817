import { linkSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runBot, startBot } from '../support/run-bot.js';
import { storedEnding } from '../support/stored-ending.js';
import { writeTestConfig } from '../support/test-config.js';

describe('one instance per database', () => {
  it('a second bot on the same database refuses to start; after kill -9 of the first, a new one starts', async () => {
    const { file } = writeTestConfig();
    const first = await startBot(['--config', file]);
    try {
      const second = await runBot(['--config', file], '');
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/another ChaosCat is already running on .*chaoscat\.db \(pid \d+\)/);
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
    }
    const third = await runBot(['--config', file], 'status\n');
    expect(third.code).toBe(0);
    expect(third.stdout).toMatch(/Running — dry run/);
  });

  it('a second bot that reaches the same database through a symlink refuses to start, and the first keeps running', async () => {
    const { dir, file } = writeTestConfig();
    const alias = writeTestConfig({ database: 'link.db' });
    try {
      const first = await startBot(['--config', file]);
      try {
        symlinkSync(join(dir, 'data', 'chaoscat.db'), join(alias.dir, 'link.db'));
        const second = await runBot(['--config', alias.file], '');
        expect(second.code).toBe(1);
        expect(second.stderr).toMatch(
          /another ChaosCat is already running on .*link\.db, which is .*data\/chaoscat\.db \(pid \d+\); stop it first/,
        );
        expect(first.child.exitCode).toBeNull();
        first.say('status');
        await first.waitFor(/Running — dry run/);
      } finally {
        first.child.kill('SIGKILL');
        await first.exited;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(alias.dir, { recursive: true, force: true });
    }
  });

  it('a second bot through a hard link to the database refuses to start, naming the holder (issue 22, case 1)', async () => {
    const { dir, file } = writeTestConfig();
    const alias = writeTestConfig({ database: 'link.db' });
    try {
      const first = await startBot(['--config', file]);
      try {
        linkSync(join(dir, 'data', 'chaoscat.db'), join(alias.dir, 'link.db'));
        const second = await runBot(['--config', alias.file], 'run-once\n');
        expect(second.code).toBe(1);
        expect(second.stderr).toMatch(/another ChaosCat \(pid \d+, through .*data\/chaoscat\.db\) holds this database/);
        expect(second.stdout).not.toMatch(/Started #/);
        first.say('status');
        await first.waitFor(/Running — dry run/);
      } finally {
        first.child.kill('SIGKILL');
        await first.exited;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(alias.dir, { recursive: true, force: true });
    }
  });

  it('a database file deleted under the bot latches a halt, says so, and a restart on a new file is still halted (issue 22, 9a)', async () => {
    const { dir, file } = writeTestConfig();
    const first = await startBot(['--config', file]);
    try {
      rmSync(join(dir, 'data', 'chaoscat.db'));
      await first.waitFor(/Halted: the database file .*chaoscat\.db was deleted while the bot ran/, 20_000);
      first.say('run-once');
      await first.waitFor(/Not starting: halted by system/);
      first.say('stop now');
      await first.waitFor(/Already halted by system/);
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
    }
    const again = await runBot(['--config', file], 'status\nrun-once\n');
    expect(again.code).toBe(0);
    expect(again.stdout, `${again.stdout}\n${again.stderr}`).toMatch(/Halted.*was deleted while the bot ran/);
    expect(again.stdout).not.toMatch(/Started #/);
  });

  it('SIGTERM mid-attack reverts it before exit', async () => {
    const { dir, file } = writeTestConfig();
    const bot = await startBot(['--config', file]);
    bot.say('run-once');
    await bot.waitFor(/Started #1/);
    bot.child.kill('SIGTERM');
    const { code } = await bot.exited;
    expect(code).toBe(0);
    // Ended by the shutdown, which names the signal, and reverted on its host.
    expect(storedEnding(join(dir, 'data', 'chaoscat.db'), 1)).toEqual({
      kind: 'shutdown',
      signal: 'SIGTERM',
      revert: 'reverted',
    });
    const db = new Database(join(dir, 'data', 'chaoscat.db'), { readonly: true });
    expect(db.prepare('SELECT state FROM attacks').get()).toEqual({ state: 'reverted' });
    // Shutdown does not latch a halt.
    expect(db.prepare(`SELECT halted FROM team_state WHERE team = 'default'`).pluck().get() ?? 0).toBe(0);
    db.close();
  });
});

describe('store faults', () => {
  it('a corrupt database is refused at start with a clear message, and nothing is deleted', async () => {
    const { dir, file } = writeTestConfig();
    mkdirSync(join(dir, 'data'));
    const dbFile = join(dir, 'data', 'chaoscat.db');
    const garbage = Buffer.alloc(8192, 'not a database ');
    writeFileSync(dbFile, garbage);
    const { code, stderr } = await runBot(['--config', file], '');
    expect(code).toBe(1);
    expect(stderr).toMatch(/is not a readable ChaosCat database .*nothing was changed or deleted/);
    expect(readFileSync(dbFile).equals(garbage)).toBe(true);
  });
});
