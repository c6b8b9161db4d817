import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/cleanup.js';
import { startServer } from '../support/http-servers.js';
import { runBot } from '../support/run-bot.js';
import { writeTestConfig } from '../support/test-config.js';

const records = (text: string) =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { level: number; msg: string });

/** Issue 14, "Logs": the console chat owns the terminal; the JSON log goes to a file. */
describe('logs of the console chat', () => {
  it('go to data/chaoscat.log beside the database: no JSON on the console, none on stderr', async () => {
    const { dir, file } = writeTestConfig();
    const { code, stdout, stderr } = await runBot(['--config', file], 'run-once\nstatus\n');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/Started #1 cpu-burn/);
    expect(stdout.split('\n').filter((l) => /^\s*\{/.test(l))).toEqual([]);
    const log = records(readFileSync(join(dir, 'data', 'chaoscat.log'), 'utf8'));
    expect(log.map((r) => r.msg)).toEqual(expect.arrayContaining(['ready', 'shutting down']));
  });

  it('show a warning as one line on the console, the record in the log file', async () => {
    // The archive's port is taken: the bot runs without it and warns.
    const taken = await startServer((_req, res) => res.end());
    const port = Number(new URL(taken.url).port);
    const { file } = writeTestConfig({ web: { port } });
    const logFile = join(tempDir(), 'logs', 'bot.log');
    const { code, stdout, stderr } = await runBot(['--config', file], 'status\n', { CHAOSCAT_LOG_FILE: logFile });
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const notices = stdout.split('\n').filter((l) => l.startsWith('! '));
    expect(notices).toEqual([
      expect.stringMatching(
        new RegExp(
          `^! warning: report archive not started; the bot runs without it: .*EADDRINUSE.* \\(details in ${logFile}\\)$`,
        ),
      ),
    ]);
    const warned = records(readFileSync(logFile, 'utf8')).filter((r) => r.level === 40);
    expect(warned.map((r) => r.msg)).toEqual(['report archive not started; the bot runs without it']);
  });

  it('exit 1 with what to fix when the log file cannot be written', async () => {
    const { dir, file } = writeTestConfig();
    const notADir = join(dir, 'chaoscat.yaml', 'x.log');
    const { code, stdout, stderr } = await runBot(['--config', file], 'status\n', { CHAOSCAT_LOG_FILE: notADir });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `chaoscat: cannot write the log file ${notADir}: EEXIST: file already exists, mkdir '${join(dir, 'chaoscat.yaml')}'; set CHAOSCAT_LOG_FILE to a writable file\n`,
    );
  });
});
