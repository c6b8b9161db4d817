import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { cleanUp, deferCleanup, openFilesUnder, tempDir } from './cleanup.js';

describe('test cleanup', () => {
  it('removes every temp dir it made, with what is inside', async () => {
    const a = tempDir('chaoscat-cleanup-');
    const b = tempDir();
    writeFileSync(join(a, 'c.db'), 'x');
    await cleanUp();
    expect([existsSync(a), existsSync(b)]).toEqual([false, false]);
  });

  it('leaves a directory it did not make', async () => {
    const other = mkdtempSync(join(tmpdir(), 'chaoscat-other-'));
    tempDir();
    await cleanUp();
    expect(existsSync(other)).toBe(true);
    rmSync(other, { recursive: true });
  });

  it('runs the deferred cleanups last in first out, before the dirs go', async () => {
    const dir = tempDir();
    const order: string[] = [];
    deferCleanup(() => {
      order.push(`first, dir there: ${existsSync(dir)}`);
    });
    deferCleanup(async () => {
      order.push('second');
    });
    await cleanUp();
    expect(order).toEqual(['second', 'first, dir there: true']);
  });

  it('runs every step when one fails, then throws the failure', async () => {
    const dir = tempDir();
    let ran = false;
    deferCleanup(() => {
      ran = true;
    });
    deferCleanup(() => {
      throw new Error('server would not close');
    });
    await expect(cleanUp()).rejects.toThrow('server would not close');
    expect([ran, existsSync(dir)]).toEqual([true, false]);
  });

  it('runs each cleanup once', async () => {
    const fn = vi.fn();
    deferCleanup(fn);
    await cleanUp();
    await cleanUp();
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('names a file still open under a temp dir, and removes the dir anyway', async () => {
    const dir = tempDir();
    const fd = openSync(join(dir, 'left-open.db'), 'w');
    expect(openFilesUnder([dir])).toEqual([join(dir, 'left-open.db')]);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      await cleanUp();
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(join(dir, 'left-open.db')));
      expect(existsSync(dir)).toBe(false);
    } finally {
      warn.mockRestore();
      closeSync(fd);
    }
  });
});
