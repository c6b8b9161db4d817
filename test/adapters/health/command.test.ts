import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../../support/eventually.js';
import { checkOne } from './gate-helpers.js';

const node = process.execPath;
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chaoscat-cmd-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Running, not a zombie: a killed orphan may wait a while for init to reap it. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('command health provider', () => {
  it('is healthy on exit 0 and names itself after the program', async () => {
    const result = await checkOne({ kind: 'command', command: [node, '-e', 'process.exit(0)'], timeout: '20s' });
    expect(result).toMatchObject({ name: 'command:node', kind: 'command', healthy: true, reason: 'exit 0' });
  });

  it('is unhealthy on exit 1, with the exit code and the end of stderr', async () => {
    const script = 'console.log("checking"); console.error("replica lag 42s > 10s"); process.exit(1)';
    const result = await checkOne({ kind: 'command', command: [node, '-e', script], timeout: '20s' });
    expect(result).toMatchObject({ healthy: false, reason: 'exit 1: replica lag 42s > 10s' });
  });

  it('falls back to stdout when stderr is empty, keeping only the end of long output', async () => {
    const script = 'console.log("x".repeat(5000) + " the end"); process.exit(3)';
    const result = await checkOne({ kind: 'command', command: [node, '-e', script], timeout: '20s' });
    expect(result.healthy).toBe(false);
    expect(result.reason).toMatch(/^exit 3: \.\.\.x+ the end$/);
    expect(result.reason.length).toBeLessThanOrEqual(200);
  });

  it('passes arguments without a shell', async () => {
    const script = 'process.exit(process.argv[1] === "$HOME; exit 1" ? 0 : 1)';
    const result = await checkOne({ kind: 'command', command: [node, '-e', script, '$HOME; exit 1'], timeout: '20s' });
    expect(result.healthy).toBe(true);
  });

  it('runs in the configured directory', async () => {
    const script = 'process.exit(process.cwd() === process.argv[1] ? 0 : 1)';
    const result = await checkOne({ kind: 'command', command: [node, '-e', script, dir], cwd: dir, timeout: '20s' });
    expect(result.healthy).toBe(true);
  });

  it('is unhealthy when it times out, and what it started (its process group) is killed', async () => {
    const script = `echo $$ > ${dir}/pid; sleep 600 & echo $! > ${dir}/grandchild; wait`;
    const result = await checkOne({ kind: 'command', command: ['/bin/sh', '-c', script], timeout: '3s' });
    expect(result).toMatchObject({ healthy: false, reason: 'timed out after 3s' });
    const pid = Number(await readFile(join(dir, 'pid'), 'utf8'));
    const grandchild = Number(await readFile(join(dir, 'grandchild'), 'utf8'));
    expect(pid).toBeGreaterThan(0);
    expect(grandchild).toBeGreaterThan(0);
    await eventually(() => !isAlive(pid) && !isAlive(grandchild), `processes ${pid} and ${grandchild} to be killed`, {
      timeoutMs: 15_000,
      everyMs: 25,
    });
  }, 30_000);

  it('is unhealthy when the program does not exist', async () => {
    const result = await checkOne({ kind: 'command', command: ['/nonexistent/chaoscat-check', '--fast'] });
    expect(result).toMatchObject({ healthy: false, reason: 'command not found: /nonexistent/chaoscat-check' });
  });

  it('says so when the working directory does not exist', async () => {
    const result = await checkOne({ kind: 'command', command: [node, '-e', '0'], cwd: join(dir, 'missing') });
    expect(result).toMatchObject({ healthy: false, reason: `working directory not found: ${join(dir, 'missing')}` });
  });

  it('is unhealthy when a signal kills it', async () => {
    const result = await checkOne({
      kind: 'command',
      command: [node, '-e', 'process.kill(process.pid, "SIGTERM")'],
      timeout: '20s',
    });
    expect(result).toMatchObject({ healthy: false, reason: 'killed by SIGTERM' });
  });
});
