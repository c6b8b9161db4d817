import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBot } from '../support/run-bot.js';
import { REPO, writeTestConfig } from '../support/test-config.js';

const SLACK_DOC = readFileSync(join(REPO, 'docs', 'slack.md'), 'utf8');

/** Issue 14, item 1: a typo in an EnvironmentFile must not turn a Slack bot into a console nobody reads. */
describe('choosing the chat transport (the real process)', () => {
  // The third column: docs/slack.md shows this message as the program prints it.
  it.each<[Record<string, string>, RegExp, boolean]>([
    [{ SLACK_APP_TOKEN: 'xapp-1' }, /SLACK_BOT_TOKEN is not set \(SLACK_APP_TOKEN is\)/, true],
    [{ SLACK_SIGNING_SECRET: 's' }, /SLACK_BOT_TOKEN is not set \(SLACK_SIGNING_SECRET is\)/, false],
    [{ SLACK_API_URL: 'http://127.0.0.1:9/api/' }, /SLACK_BOT_TOKEN is not set \(SLACK_API_URL is\)/, false],
    [
      { SLACK_BOT_TOKEN: 'xoxb-1' },
      /SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN \(Socket Mode\) nor SLACK_SIGNING_SECRET/,
      true,
    ],
  ])('exits 2 naming the missing variable, having opened nothing, when Slack is partly set: %j', async (env, message, doc) => {
    const { dir, file } = writeTestConfig();
    const { code, stdout, stderr } = await runBot(['--config', file], 'status\n', env);
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`^chaoscat: ${message.source}`));
    expect(stdout).not.toMatch(/ChaosCat console/);
    expect(existsSync(join(dir, 'data'))).toBe(false);
    if (doc) expect(SLACK_DOC).toContain(stderr.trim());
  });

  it('opens the console chat when no Slack variable is set', async () => {
    const { file } = writeTestConfig();
    const { code, stdout, stderr } = await runBot(['--config', file], 'status\n');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/ChaosCat console/);
  });

  it('opens the console chat with --console even when Slack variables are set', async () => {
    const { file } = writeTestConfig();
    const { code, stdout, stderr } = await runBot(['run', '--console', '--config', file], 'status\n', {
      SLACK_APP_TOKEN: 'xapp-1',
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/ChaosCat console/);
  });

  it('treats a variable set to blanks as not set', async () => {
    const { file } = writeTestConfig();
    const { code, stdout } = await runBot(['--config', file], 'status\n', { SLACK_BOT_TOKEN: '  ' });
    expect(code).toBe(0);
    expect(stdout).toMatch(/ChaosCat console/);
  });
});
