import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { packageVersion, startSlackTransport } from '../../../src/adapters/slack/start.js';
import { tempDir } from '../../support/cleanup.js';
import { eventually } from '../../support/eventually.js';
import { freePort } from '../../support/http-servers.js';
import { SlackStandin, STANDIN_APP_TOKEN, STANDIN_BOT_TOKEN } from '../../support/slack-standin.js';
import { REPO } from '../../support/test-config.js';
import { FAST, recordingLogger } from './slack-harness.js';

let standin: SlackStandin | undefined;
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

const slack = {
  channel: 'C0CHAOS',
  channels: [],
  admins: [],
  adminGroups: [],
  escalate: 'here',
  stopReactions: ['octagonal_sign'],
};

function start(env: NodeJS.ProcessEnv, settings: typeof slack = slack) {
  return startSlackTransport({
    env,
    slack: settings,
    timezone: 'UTC',
    dryRun: true,
    logger: recordingLogger().logger,
    handle: async () => ({ text: 'ok' }),
    tuning: { ...FAST, startTimeoutMs: 3_000 },
  });
}

describe('starting the Slack transport', () => {
  it.each([
    [{}, /SLACK_BOT_TOKEN is not set/],
    [{ SLACK_BOT_TOKEN: 'xapp-1' }, /SLACK_BOT_TOKEN holds an app-level token/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /neither SLACK_APP_TOKEN .* nor SLACK_SIGNING_SECRET/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-2' }, /SLACK_APP_TOKEN must be an app-level token/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PORT: 'http' }, /PORT must be a TCP port number/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_API_URL: 'slack' }, /SLACK_API_URL is not a URL/],
  ])('names the variable to fix: %j', async (env, message) => {
    await expect(start(env)).rejects.toMatchObject({ code: 'SLACK_CONFIG', message: expect.stringMatching(message) });
  });

  it('needs slack.channel for its announcements', async () => {
    await expect(
      start({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }, { ...slack, channel: undefined as never }),
    ).rejects.toMatchObject({
      code: 'SLACK_CONFIG',
      message: expect.stringContaining('slack.channel'),
    });
  });

  it('says when Slack rejects the bot token', async () => {
    standin = await SlackStandin.start();
    await expect(
      start({ SLACK_BOT_TOKEN: 'xoxb-wrong', SLACK_APP_TOKEN: STANDIN_APP_TOKEN, SLACK_API_URL: standin.apiUrl }),
    ).rejects.toMatchObject({ code: 'SLACK_AUTH', message: 'Slack rejected SLACK_BOT_TOKEN: invalid_auth' });
  });

  it('says when Slack rejects the app token', async () => {
    standin = await SlackStandin.start();
    await expect(
      start({ SLACK_BOT_TOKEN: STANDIN_BOT_TOKEN, SLACK_APP_TOKEN: 'xapp-wrong', SLACK_API_URL: standin.apiUrl }),
    ).rejects.toMatchObject({ code: 'SLACK_AUTH', message: 'Slack rejected SLACK_APP_TOKEN: invalid_auth' });
  });

  it('says when the Web API cannot be reached', async () => {
    const port = await freePort();
    await expect(
      start({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_API_URL: `http://127.0.0.1:${port}/api` }),
    ).rejects.toMatchObject({ code: 'SLACK_UNREACHABLE', message: expect.stringContaining(`127.0.0.1:${port}/api/`) });
  });

  it('gives up when Socket Mode never connects within the start timeout', async () => {
    standin = await SlackStandin.start();
    standin.holdHello = true;
    await expect(
      start({ SLACK_BOT_TOKEN: STANDIN_BOT_TOKEN, SLACK_APP_TOKEN: STANDIN_APP_TOKEN, SLACK_API_URL: standin.apiUrl }),
    ).rejects.toMatchObject({ code: 'SLACK_CONNECT' });
    // Stopped: no reconnection attempts keep going after the failure.
    const accepted = standin.connectionsAccepted;
    await new Promise((r) => setTimeout(r, 300));
    expect(standin.connectionsAccepted).toBe(accepted);
  });

  it('stops cleanly: deaf at once, disconnected after', async () => {
    standin = await SlackStandin.start();
    const transport = await start({
      SLACK_BOT_TOKEN: STANDIN_BOT_TOKEN,
      SLACK_APP_TOKEN: STANDIN_APP_TOKEN,
      SLACK_API_URL: standin.apiUrl,
    });
    expect(transport.hearing().ok).toBe(true);
    const stopping = transport.stop();
    expect(transport.hearing()).toEqual({ ok: false, reason: 'the Slack transport is stopping' });
    await stopping;
    const s = standin;
    await eventually(() => s.openSockets === 0, 'every socket to close');
  });
});

describe("the start-up notice's version", () => {
  const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

  it('is found from src/ (tsx), dist/ (tsc) and dist/bundle/ (one bundle) alike', () => {
    expect(packageVersion(pathToFileURL(join(REPO, 'src', 'adapters', 'slack', 'start.ts')).href)).toBe(version);
    expect(packageVersion(pathToFileURL(join(REPO, 'dist', 'adapters', 'slack', 'start.js')).href)).toBe(version);
    expect(packageVersion(pathToFileURL(join(REPO, 'dist', 'bundle', 'main.vm.js')).href)).toBe(version);
  });

  it("skips another project's package.json on the way up, and says so when there is none", () => {
    const dir = tempDir('chaoscat-version-');
    mkdirSync(join(dir, 'app', 'dist', 'bundle'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'chaoscat', version: '9.8.7' }));
    writeFileSync(join(dir, 'app', 'package.json'), JSON.stringify({ name: 'someone-else', version: '1.0.0' }));
    expect(packageVersion(pathToFileURL(join(dir, 'app', 'dist', 'bundle', 'main.vm.js')).href)).toBe('9.8.7');
    const bare = tempDir('chaoscat-version-');
    mkdirSync(join(bare, 'dist', 'bundle'), { recursive: true });
    expect(packageVersion(pathToFileURL(join(bare, 'dist', 'bundle', 'main.vm.js')).href)).toBe('unknown version');
  });
});
