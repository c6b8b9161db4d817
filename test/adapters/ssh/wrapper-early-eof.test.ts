import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { scriptCommand } from '../../../src/adapters/ssh/shell.js';
import { workDir, wrapperScript } from '../../../src/adapters/ssh/wrapper.js';

// The wrapper run here, on this machine, as the login shell would run it: no SSH between. Its stdin
// ends at once, as when a start times out (the bot closes stdin) or the connection drops right after
// the go line: the watcher then stops before the attack's first process may have written its pgid.

const ids: string[] = [];

afterEach(() => {
  for (const id of ids.splice(0)) rmSync(workDir(id), { recursive: true, force: true });
});

function runClosed(id: string): Promise<string> {
  ids.push(id);
  const script = wrapperScript({ id, env: {}, run: 'sleep 4', rollback: 'true', sudo: false, durationS: 4 });
  const { command } = scriptCommand(script, `CHAOSCAT_WRAPPER=${id}`);
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.on('error', reject);
    child.on('close', () => resolve(out));
    child.stdin.end();
  });
}

describe('the wrapper when stdin ends before the attack is under way', () => {
  it('stops the attack instead of letting it run to its deadline', async () => {
    // A stop that found nothing would let the attack run to its deadline (attack=124). The window is a
    // fork's width: sixteen at once make it likelier, they do not make it certain.
    const outs = await Promise.all(Array.from({ length: 16 }, (_, i) => runClosed(`early-eof-${process.pid}-${i}`)));
    for (const out of outs) {
      expect(out).toMatch(/^CHAOSCAT_END attack=143 rollback=0 stopped=0 dropped=1\b/m);
    }
  });
});
