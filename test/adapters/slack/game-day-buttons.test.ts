import { afterEach, describe, expect, it } from 'vitest';
import { APPROVE_ACTION_ID, SKIP_ACTION_ID } from '../../../src/adapters/slack/game-day-blocks.js';
import type { SlackTransport } from '../../../src/adapters/slack/slack-transport.js';
import { startSlackTransport } from '../../../src/adapters/slack/start.js';
import { SqliteGameDayStore } from '../../../src/adapters/sqlite/game-day-store.js';
import { SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import { type Bot, createBot } from '../../../src/app/bot.js';
import { loadConfig } from '../../../src/config/load.js';
import { approversText, whenText } from '../../../src/words/game-day.js';
import { plainText } from '../../../src/words/tokens.js';
import { TUESDAY_NOON } from '../../support/bot-harness.js';
import { eventually } from '../../support/eventually.js';
import {
  ControlledExecutor,
  FixedClock,
  ManualTimers,
  ScriptedHealth,
  ScriptedRandom,
  silentLogger,
} from '../../support/fakes.js';
import { SlackStandin, STANDIN_APP_TOKEN, STANDIN_BOT_TOKEN, type StoredMessage } from '../../support/slack-standin.js';
import { MIGRATIONS, writeTestConfig } from '../../support/test-config.js';
import { ADMIN, CHANNEL, FAST, NOBODY } from './slack-harness.js';

// Fri 2026-11-27 14:00 in Los Angeles; the notice is due 24 h earlier.
const FRI_14 = Date.parse('2026-11-27T22:00:00Z');
const THU_14 = FRI_14 - 86_400_000;
const NAME = 'checkout-latency-friday';

interface Setup {
  standin: SlackStandin;
  transport: SlackTransport;
  bot: Bot;
  store: SqliteStore;
  clock: FixedClock;
  timers: ManualTimers;
  executor: ControlledExecutor;
}

let s: Setup | undefined;

async function setup(approvals = 1): Promise<Setup> {
  const standin = await SlackStandin.start();
  const { file } = writeTestConfig(
    {
      slack: { channel: CHANNEL, admins: [ADMIN] },
      gameDays: [
        { name: NAME, at: '0 14 * * fri', attack: 'network-latency', params: { DELAY_MS: 5000 }, announce: '24h', approvals },
      ],
    },
    [{ name: 'network-latency', weight: 0, targets: ['web'], params: { DELAY_MS: 200 } }],
  );
  const config = loadConfig(file);
  const store = new SqliteStore({ file: config.database, migrationsDir: MIGRATIONS });
  const clock = new FixedClock(Date.parse(TUESDAY_NOON));
  const timers = new ManualTimers(clock);
  const executor = new ControlledExecutor(clock);
  let bot: Bot | null = null;
  const transport = await startSlackTransport({
    env: { SLACK_BOT_TOKEN: STANDIN_BOT_TOKEN, SLACK_API_URL: standin.apiUrl, SLACK_APP_TOKEN: STANDIN_APP_TOKEN },
    slack: config.slack,
    timezone: config.timezone,
    dryRun: config.dryRun,
    logger: silentLogger,
    handle: async (inbound) => (bot as Bot).handle(inbound),
    tuning: FAST,
  });
  bot = createBot({
    config,
    store,
    executor,
    health: ScriptedHealth.healthy(clock),
    announcer: transport,
    ears: transport,
    authorizer: transport,
    clock,
    timers,
    random: new ScriptedRandom([0.1]),
    logger: silentLogger,
    gameDayStore: new SqliteGameDayStore(store.handle, config.team),
  });
  return { standin, transport, bot, store, clock, timers, executor };
}

afterEach(async () => {
  if (!s) return;
  const { standin, transport, bot, store } = s;
  s = undefined;
  bot.gameDays?.stop();
  await bot.shutdown('SIGTERM');
  await transport.stop();
  store.close();
  await standin.close();
});

const until = async (x: Setup, at: number) => {
  await x.timers.advance(at - x.clock.now());
  await x.bot.gameDays?.idle();
};
const notice = (x: Setup): StoredMessage | undefined =>
  x.standin.messages.find((m) => m.channel === CHANNEL && m.text.includes(`Game day ${NAME}`) && m.blocks !== undefined);
const buttonValue = (m: StoredMessage, actionId: string): string => {
  for (const block of m.blocks ?? []) {
    const button = ((block as { elements?: { action_id?: string; value?: string }[] }).elements ?? []).find(
      (e) => e.action_id === actionId,
    );
    if (button?.value) return button.value;
  }
  throw new Error(`no ${actionId} button`);
};
const press = (x: Setup, m: StoredMessage, user: string, actionId: string) =>
  x.standin.pressButton({ user, channel: CHANNEL, messageTs: m.ts, actionId, value: buttonValue(m, actionId) });

describe('game-day buttons in Slack (real Bolt against the stand-in)', () => {
  it("posts the notice with Approve and Skip; an admin's Approve counts, a non-admin's is refused; the drill starts at 14:00", async () => {
    const x = await setup();
    s = x;
    x.bot.gameDays?.start();
    await until(x, THU_14);
    await eventually(() => notice(x) !== undefined, 'the notice');
    const posted = notice(x) as StoredMessage;
    expect(plainText(posted.text)).toContain(plainText(whenText(FRI_14, 'America/Los_Angeles')));
    const occurrence = () => new SqliteGameDayStore(x.store.handle, 'default').occurrence(NAME, FRI_14);
    expect(occurrence()).toMatchObject({ state: 'announced', approvedBy: [] });

    const refused = press(x, posted, NOBODY, APPROVE_ACTION_ID);
    await eventually(() => x.standin.acks.has(refused), 'the refused press to be acknowledged');
    await eventually(() => x.standin.okCalls('chat.postEphemeral').length > 0, 'the refusal');
    expect(x.standin.okCalls('chat.postEphemeral')[0]?.args).toMatchObject({ user: NOBODY });
    expect(occurrence()?.approvedBy).toEqual([]);

    press(x, posted, ADMIN, APPROVE_ACTION_ID);
    await eventually(() => x.standin.messages.some((m) => m.text.includes('approved game day')), 'the approval reply');
    expect(occurrence()?.approvedBy).toEqual([ADMIN]);
    expect(x.standin.messages.find((m) => m.text.includes('approved game day'))?.text).toContain(approversText(1, [ADMIN]));

    await until(x, FRI_14);
    await eventually(() => x.executor.runs.length === 1, 'the drill to start');
    expect(x.store.getAttack('1')).toMatchObject({ trigger: { kind: 'game-day', name: NAME }, createdAt: FRI_14 });
    await eventually(
      () => x.standin.messages.some((m) => JSON.stringify(m.blocks ?? []).includes(`game day ${NAME}`)),
      'the attack announcement naming the game day',
    );
  });

  it("an admin's Skip cancels the occurrence and the channel is told why nothing ran", async () => {
    const x = await setup();
    s = x;
    x.bot.gameDays?.start();
    await until(x, THU_14);
    await eventually(() => notice(x) !== undefined, 'the notice');
    press(x, notice(x) as StoredMessage, ADMIN, SKIP_ACTION_ID);
    await eventually(() => x.standin.messages.some((m) => m.text.includes('is cancelled: skipped by <@U0ADMIN>')), 'the skip');
    await until(x, FRI_14);
    expect(x.executor.runs).toHaveLength(0);
  });
});
