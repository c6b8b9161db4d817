import { afterEach, describe, expect, it } from 'vitest';
import { NOTE_ACTION_ID } from '../../../src/adapters/slack/answer-blocks.js';
import type { SlackTransport } from '../../../src/adapters/slack/slack-transport.js';
import { startSlackTransport } from '../../../src/adapters/slack/start.js';
import { SqliteAnswerLog } from '../../../src/adapters/sqlite/answer-log.js';
import { SqliteStore } from '../../../src/adapters/sqlite/sqlite-store.js';
import { type Bot, createBot } from '../../../src/app/bot.js';
import { reportContent } from '../../../src/app/reports/report.js';
import type { Config } from '../../../src/config/config.js';
import { loadConfig } from '../../../src/config/load.js';
import { answerWords } from '../../../src/words/answers.js';
import { attackLine } from '../../../src/words/format.js';
import { TUESDAY_NOON } from '../../support/bot-harness.js';
import { eventually } from '../../support/eventually.js';
import {
  ControlledExecutor,
  FixedClock,
  ManualTimers,
  ScriptedHealth,
  ScriptedRandom,
  settle,
  silentLogger,
} from '../../support/fakes.js';
import { SlackStandin, STANDIN_APP_TOKEN, STANDIN_BOT_TOKEN, type StoredMessage } from '../../support/slack-standin.js';
import { MIGRATIONS, writeTestConfig } from '../../support/test-config.js';
import { CHANNEL, FAST } from './slack-harness.js';

const RUNBOOK = 'https://wiki.example.com/runbooks/cpu';
const ONCALL = 'U0ONCALL';

interface Setup {
  standin: SlackStandin;
  transport: SlackTransport;
  bot: Bot;
  store: SqliteStore;
  config: Config;
  clock: FixedClock;
  timers: ManualTimers;
  executor: ControlledExecutor;
  answers: SqliteAnswerLog;
}

let s: Setup | undefined;

/** The real bot, keeping answers, behind real Bolt on the stand-in; one live attack with a runbook. */
async function setup(): Promise<Setup> {
  const standin = await SlackStandin.start();
  const { file } = writeTestConfig(
    {
      dryRun: false,
      slack: { channel: CHANNEL, admins: ['U0ADMIN'] },
      verdict: { probeInterval: '5s', recoveryWindow: '10s', haltOnNotRecovered: false },
    },
    [{ name: 'cpu-burn', weight: 1, targets: ['web'], duration: '20s', runbook: RUNBOOK }],
  );
  const config = loadConfig(file);
  const store = new SqliteStore({ file: config.database, migrationsDir: MIGRATIONS });
  const answers = new SqliteAnswerLog(store.handle);
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
    answers,
  });
  return { standin, transport, bot, store, config, clock, timers, executor, answers };
}

afterEach(async () => {
  if (!s) return;
  const { standin, transport, bot, store } = s;
  s = undefined;
  await bot.shutdown('SIGTERM');
  await transport.stop();
  store.close();
  await standin.close();
});

/** Runs one attack to its end and its verdict; returns the questions posted in its thread. */
async function questionsAfterVerdict(x: Setup): Promise<StoredMessage> {
  await x.bot.tick();
  await eventually(() => x.executor.runs.length === 1, 'the attack to start');
  await x.timers.advance(20_000);
  x.executor.runs[0]?.finish();
  await settle();
  await x.timers.advance(10_000);
  await settle();
  const asked = () => x.standin.messages.find((m) => m.threadTs && /What did we learn from #1/.test(m.text));
  await eventually(() => asked() !== undefined, 'the questions in the thread');
  return asked() as StoredMessage;
}

const buttons = (m: StoredMessage) =>
  (m.blocks ?? []).flatMap(
    (b) => (b as { elements?: { action_id: string; value: string; text: { text: string } }[] }).elements ?? [],
  );

describe('what we learned, asked in the thread (real Bolt against the stand-in)', () => {
  it('asks in the attack thread with buttons, linking the runbook; a press is an answer told to its author alone', async () => {
    const x = await setup();
    s = x;
    const asked = await questionsAfterVerdict(x);
    const top = x.standin.messages.find((m) => !m.threadTs && m.text.includes('cpu-burn'));
    expect(asked.threadTs).toBe(top?.ts);
    expect(JSON.stringify(asked.blocks)).toContain(`<${RUNBOOK}|wiki.example.com/runbooks/cpu>`);
    expect(buttons(asked).map((b) => b.text.text)).toEqual([
      'Yes',
      'No',
      'Not my service',
      'Yes',
      'Partly',
      'No',
      'No runbook',
      'Add a note',
    ]);

    const no = buttons(asked).find((b) => b.value === '1:paged:no');
    x.standin.pressButton({
      user: ONCALL,
      channel: CHANNEL,
      messageTs: asked.ts,
      actionId: no?.action_id ?? '',
      value: no?.value ?? '',
    });
    await eventually(() => x.answers.answersOf('1').length === 1, 'the answer');
    expect(x.answers.answersOf('1')[0]).toMatchObject({ by: ONCALL, paged: 'no', runbook: null });
    await eventually(() => x.standin.okCalls('chat.postEphemeral').length > 0, 'the thanks');
    const thanks = x.standin.okCalls('chat.postEphemeral')[0]?.args;
    expect(thanks).toMatchObject({ user: ONCALL, channel: CHANNEL });
    // The thanks names the attack and repeats the answer as it was stored.
    expect(String(thanks?.text)).toContain(attackLine(x.store.getAttack('1')!));
    expect(String(thanks?.text)).toContain(answerWords(x.answers.answersOf('1')[0]!));

    const partly = buttons(asked).find((b) => b.value === '1:runbook:partly');
    x.standin.pressButton({
      user: ONCALL,
      channel: CHANNEL,
      messageTs: asked.ts,
      actionId: partly?.action_id ?? '',
      value: partly?.value ?? '',
    });
    await eventually(() => x.answers.answersOf('1')[0]?.runbook === 'partly', 'the second answer');
    // The latest answer of the person counts, field by field: still not paged.
    expect(x.answers.answersOf('1')).toHaveLength(1);
    expect(x.answers.answersOf('1')[0]?.paged).toBe('no');

    const report = reportContent({ store: x.store, clock: x.clock, config: x.config, answers: x.answers }, '2026-11-24');
    expect(report.kind === 'report' && report.lines.find((l) => l.startsWith('*What we learned:*'))).toBe(
      '*What we learned:* 1 of 1 live attack answered; not paged: #1 cpu-burn on web-1; runbook gaps: #1 cpu-burn on web-1',
    );
  });

  it('"Add a note" opens a modal (views.open); its submission is kept as the note', async () => {
    const x = await setup();
    s = x;
    const asked = await questionsAfterVerdict(x);
    const note = buttons(asked).find((b) => b.action_id === NOTE_ACTION_ID);
    x.standin.pressButton({
      user: ONCALL,
      channel: CHANNEL,
      messageTs: asked.ts,
      actionId: NOTE_ACTION_ID,
      value: note?.value ?? '',
    });
    await eventually(() => x.standin.modals.size === 1, 'the modal');
    const [trigger, modal] = [...x.standin.modals][0] as [string, Record<string, unknown>];
    expect(modal).toMatchObject({ type: 'modal', callback_id: 'chaoscat_answer_note_view', title: { text: 'A note on #1' } });
    x.standin.submitModal({
      user: ONCALL,
      trigger,
      values: { note: { text: 'the CPU alert waits 10 minutes before it pages\n\nand nobody knew the dashboard' } },
    });
    await eventually(() => x.answers.answersOf('1').length === 1, 'the note');
    expect(x.answers.answersOf('1')[0]).toMatchObject({
      by: ONCALL,
      note: 'the CPU alert waits 10 minutes before it pages and nobody knew the dashboard',
      paged: null,
    });
    await eventually(() => x.standin.okCalls('chat.postEphemeral').length > 0, 'the thanks');
    expect(String(x.standin.okCalls('chat.postEphemeral')[0]?.args.text)).toContain(answerWords(x.answers.answersOf('1')[0]!));
  });
});
