import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killAndWait } from '../support/daemon.js';
import { eventually } from '../support/eventually.js';
import { type LiveBot, runBot, SOURCE_ENTRY, startBot } from '../support/run-bot.js';
import { REPO, writeTestConfig } from '../support/test-config.js';

// Every day, all day: the step keeps to business hours, and the test runs at any hour.
const ALWAYS = {
  businessHours: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00', holidays: [] },
  verdict: { recoveryWindow: '1s', probeInterval: '200ms', haltOnNotRecovered: true },
};
const ATTACKS = [
  { name: 'cpu-burn', weight: 0, targets: ['web'], duration: '1s' },
  { name: 'long-burn', weight: 0, targets: ['web'], duration: '60s' },
];

let bot: LiveBot | undefined;
afterEach(async () => {
  if (bot) await killAndWait(bot.child, () => bot?.child.exitCode !== null || bot?.child.signalCode !== null);
  bot = undefined;
});

async function live(): Promise<{ file: string; socket: string }> {
  const { dir, file } = writeTestConfig(ALWAYS, ATTACKS);
  const socket = join(dir, 'data', 'chaoscat.sock');
  bot = await startBot(['run', '--console', '--config', file]);
  await eventually(() => existsSync(socket), 'the control socket', { timeoutMs: 10_000, everyMs: 20 });
  return { file, socket };
}

describe('the pipeline step (run-once --wait through the control socket)', () => {
  it('exits 0 with the record for a harmless attack, announced in the chat as pipeline:<user>', async () => {
    const { file, socket } = await live();
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    const step = await runBot(['run-once', 'cpu-burn', 'web-1', '--wait', '--json', '--config', file], '');
    expect(step.code, step.stderr).toBe(0);
    const record = JSON.parse(step.stdout.trim());
    expect(record).toMatchObject({ attack: 'cpu-burn', host: 'web-1', state: 'completed' });
    expect(record.trigger.user).toMatch(/^pipeline:/);
    await bot?.waitFor(/cpu-burn/);
  });

  it('exits 4 when the bot is halted, and 2 for an attack it does not know', async () => {
    const { file } = await live();
    bot?.say('stop');
    await bot?.waitFor(/Halted/);
    const step = await runBot(['run-once', 'cpu-burn', '--wait', '--config', file], '');
    expect(step.code, step.stderr).toBe(4);
    expect(step.stdout).toMatch(/halted/);
    const unknown = await runBot(['run-once', 'cpu-brun', '--config', file], '');
    expect(unknown.code).toBe(2);
  });

  it('Ctrl-C on the step is a stop: the attack is reverted and the team halted', async () => {
    const { file } = await live();
    const step = spawn(process.execPath, [...SOURCE_ENTRY, 'run-once', 'long-burn', 'web-1', '--wait', '--config', file], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    step.stderr.on('data', (d) => {
      err += d;
    });
    const exited = new Promise<number | null>((resolve) => step.on('exit', (code) => resolve(code)));
    await eventually(() => /Started/.test(err), 'the step to start the attack', { timeoutMs: 30_000, everyMs: 20 });
    expect(err).toMatch(/Started #\d+ long-burn on web-1/);
    step.kill('SIGINT');
    expect(await exited).toBe(130);
    await bot?.waitFor(/Halted by pipeline:/);
    bot?.say('history');
    await bot?.waitFor(/long-burn.*(reverted|cancelled)/);
  });

  it('exits 1 with "no running bot at <path>" when no bot runs', async () => {
    const { dir, file } = writeTestConfig(ALWAYS, ATTACKS);
    const step = await runBot(['run-once', 'cpu-burn', '--wait', '--config', file], '');
    expect(step.code).toBe(1);
    expect(step.stderr).toContain(`no running bot at ${join(dir, 'data', 'chaoscat.sock')}`);
  });
});
