import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { runBot, startBot } from '../support/run-bot.js';
import { writeTestConfig } from '../support/test-config.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** The "done when": report in the console, the metrics endpoint after an attack, the export CLI. */
describe('report, metrics and export from the real process', () => {
  it('report prints the summary and writes the PNG; /metrics counts the attack; export writes its record', async () => {
    const port = await freePort();
    const { dir, file } = writeTestConfig(
      { metrics: { port }, timezone: 'UTC', schedule: { tick: '0 0 1 1 *', cooldown: '10m' } },
      [{ name: 'cpu-burn', weight: 1, duration: '1s', targets: ['web'] }],
    );
    const bot = await startBot(['--config', file]);
    try {
      bot.say('run-once cpu-burn web-1');
      await bot.waitFor(/#1 cpu-burn on web-1 \(dry run\) completed/);

      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/chaoscat_attacks_total\{team="default",attack="cpu-burn",host="web-1",outcome="completed"\} 1/);
      expect(metrics).toMatch(/chaoscat_halted\{team="default"\} 0/);

      const today = DateTime.utc().toISODate();
      bot.say(`report ${today}`);
      await bot.waitFor(/\.png/);
      const path = /(\/\S+\.png)/.exec(bot.stdout())?.[1] as string;
      expect(path.startsWith(join(dir, 'data', 'reports'))).toBe(true);
      expect(existsSync(path)).toBe(true);
      expect(readFileSync(path).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect(bot.stdout()).toMatch(/cpu-burn/);
    } finally {
      bot.child.stdin.end();
      await bot.exited;
    }

    const since = DateTime.utc().minus({ days: 1 }).toISODate() as string;
    const out = join(dir, 'journal.jsonl');
    const exported = await runBot(['export', '--since', since, '--out', out, '--config', file], '');
    expect(exported.code).toBe(0);
    expect(exported.stderr).toMatch(/exported 1 attack\b/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ id: '1', attack: 'cpu-burn', host: 'web-1', state: 'completed' });
  });
});
