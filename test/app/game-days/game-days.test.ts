import { afterEach, describe, expect, it } from 'vitest';
import { buildReport } from '../../../src/app/reports/report.js';
import type { ChatEvent } from '../../../src/ports/chat.js';
import { noticeWords } from '../../../src/words/notices.js';
import { plainText } from '../../../src/words/tokens.js';
import { type Harness, harness, say } from '../../support/bot-harness.js';
import { ScriptedHealth } from '../../support/fakes.js';
import { shown } from '../../support/shown.js';

// The harness clock starts Tue 2026-11-24 12:00 in Los Angeles. The game day is Fri 14:00 there;
// business hours are Mon–Thu only, so Friday is closed: a game day is its own window.
const FRI_14 = Date.parse('2026-11-27T22:00:00Z');
const THU_14 = FRI_14 - 24 * 3_600_000;
const NAME = 'checkout-latency-friday';

const ATTACKS = [
  { name: 'cpu-burn', weight: 10, targets: ['web'] },
  { name: 'network-latency', weight: 0, targets: ['web'], params: { DELAY_MS: 200 } },
];

function gameDayBot(extra: Record<string, unknown> = {}): Harness {
  return harness(
    {
      businessHours: { days: ['mon', 'tue', 'wed', 'thu'], start: '10:00', end: '16:00', holidays: [] },
      gameDays: [
        {
          name: NAME,
          at: '0 14 * * fri',
          attack: 'network-latency',
          params: { DELAY_MS: 5000 },
          blastRadius: { percent: 50 },
          announce: '24h',
          approvals: 1,
          ...extra,
        },
      ],
    },
    ATTACKS,
  );
}

const until = async (h: Harness, at: number) => {
  await h.timers.advance(at - h.clock.now());
  await h.bot.gameDays?.idle();
};
const notices = (h: Harness) => h.chat.events.filter((e) => e.kind === 'game-day-notice');
const said = (h: Harness) =>
  h.chat.events
    .filter((e): e is Extract<ChatEvent, { kind: 'notice' }> => e.kind === 'notice')
    .map((e) => noticeWords(e.notice, h.config.timezone));

let h: Harness | undefined;
afterEach(async () => {
  if (h) {
    h.bot.gameDays?.stop();
    await h.bot.shutdown('test over');
    h.close();
  }
  h = undefined;
});

describe('game days', () => {
  it('posts the notice 24 h ahead and, approved by an admin, starts the drill at 14:00 outside business hours', async () => {
    h = gameDayBot();
    h.bot.gameDays?.start();
    await until(h, THU_14 - 60_000);
    expect(notices(h)).toHaveLength(0);
    await until(h, THU_14);
    expect(notices(h)).toEqual([
      expect.objectContaining({
        notice: expect.objectContaining({ name: NAME, attack: 'network-latency', at: FRI_14, approvals: 1, approvedBy: [] }),
      }),
    ]);
    const refused = await say(h, `approve ${NAME}`, 'U0INTERN');
    expect(refused.text).toMatch(/only admins may approve/);
    expect((await say(h, `approve ${NAME}`)).text).toMatch(/approved game day checkout-latency-friday .*1 of 1 approval: admin/);
    expect((await say(h, `approve ${NAME}`)).text).toMatch(/already approved.*counts once: 1 of 1 approval/);
    expect(plainText((await say(h, 'status')).text)).toContain(
      `Next game day: ${NAME} — network-latency at Fri 2026-11-27 14:00`,
    );

    await until(h, FRI_14 - 60_000);
    expect(h.executor.runs).toHaveLength(0);
    await until(h, FRI_14);
    await h.bot.gameDays?.idle();
    expect(h.executor.runs).toHaveLength(1);
    const record = h.store.getAttack('1');
    expect(record).toMatchObject({ attack: 'network-latency', trigger: { kind: 'game-day', name: NAME }, createdAt: FRI_14 });
    expect(h.store.history({ limit: 5 })[0]?.trigger).toEqual({ kind: 'game-day', name: NAME });
    expect(shown(await say(h, 'history'))).toContain(`game day ${NAME}`);
    const report = await buildReport({ store: h.store, clock: h.clock, config: h.config }, '2026-11-27');
    expect(plainText(report.text)).toMatch(
      /\*Game days \(1\):\* #1 network-latency on web-\d at 14:00 \(game day checkout-latency-friday\)/,
    );
  });

  it('skips the drill with the reason in the channel when no admin approved it', async () => {
    h = gameDayBot();
    h.bot.gameDays?.start();
    await until(h, FRI_14);
    expect(h.executor.runs).toHaveLength(0);
    expect(said(h)).toEqual([
      expect.stringMatching(/Game day checkout-latency-friday .* skipped: not approved: 0 of 1 approval/),
    ]);
    expect(h.store.history({ limit: 5 })).toHaveLength(0);
  });

  it('skips an approved drill when the team is halted', async () => {
    h = gameDayBot();
    h.bot.gameDays?.start();
    await until(h, THU_14);
    await say(h, `approve ${NAME}`);
    await say(h, 'stop maintenance', 'U0INTERN');
    await until(h, FRI_14);
    expect(h.executor.runs).toHaveLength(0);
    expect(said(h).at(-1)).toMatch(/skipped: halted by <@U0INTERN> .*maintenance/);
  });

  it('skips an approved drill when the health gate fails', async () => {
    h = gameDayBot();
    h.bot.gameDays?.start();
    await until(h, THU_14);
    await say(h, `approve ${NAME}`);
    h.health.report = ScriptedHealth.failing(h.clock, 'HTTP 503').report;
    await until(h, FRI_14);
    expect(h.executor.runs).toHaveLength(0);
    expect(said(h).at(-1)).toMatch(/skipped: unhealthy: api: HTTP 503/);
  });

  it('skips an approved drill when the bot cannot hear stop', async () => {
    h = gameDayBot();
    h.bot.gameDays?.start();
    await until(h, THU_14);
    await say(h, `approve ${NAME}`);
    h.chat.hearingState = { ok: false, reason: 'Slack Socket Mode is not connected' };
    await until(h, FRI_14);
    expect(h.executor.runs).toHaveLength(0);
    expect(said(h).at(-1)).toMatch(/skipped: cannot hear stop: Slack Socket Mode is not connected/);
  });

  it("an admin's skip cancels that occurrence; a non-admin's is refused", async () => {
    h = gameDayBot({ approvals: 0 });
    h.bot.gameDays?.start();
    await until(h, THU_14);
    expect((await say(h, `skip ${NAME}`, 'U0INTERN')).text).toMatch(/only admins may skip/);
    expect((await say(h, `skip ${NAME}`)).text).toMatch(/is cancelled: skipped by admin/);
    await until(h, FRI_14);
    expect(h.executor.runs).toHaveLength(0);
    expect((await say(h, `approve ${NAME}`)).text).toMatch(/Nothing to approve yet/);
  });

  it('a drill that needs no approval starts on time', async () => {
    h = gameDayBot({ approvals: 0 });
    h.bot.gameDays?.start();
    await until(h, FRI_14);
    expect(h.executor.runs).toHaveLength(1);
  });

  it('keeps the notice and its approvals across a restart between the notice and the start', async () => {
    const first = gameDayBot({ approvals: 1 });
    h = first;
    first.bot.gameDays?.start();
    await until(first, THU_14 + 60_000);
    await say(first, `approve ${NAME}`);
    first.bot.gameDays?.stop();
    const second = first.restart();
    h = second;
    second.bot.gameDays?.start();
    await second.bot.gameDays?.idle();
    expect((await say(second, 'status')).text).toContain('notice posted; 1 of 1 approval: admin');
    await until(second, FRI_14);
    // The notice is not posted again after the restart, and the drill starts.
    expect(notices(second)).toHaveLength(0);
    expect(second.executor.runs).toHaveLength(1);
    expect(second.store.getAttack('1')?.trigger).toEqual({ kind: 'game-day', name: NAME });
  });

  it('a button for an occurrence that is over changes nothing', async () => {
    h = gameDayBot();
    h.bot.gameDays?.start();
    await until(h, THU_14);
    const reply = await say(h, `approve ${NAME} @${FRI_14 - 7 * 86_400_000}`);
    expect(plainText(reply.text)).toMatch(/That notice was for Fri 2026-11-20 14:00 .*nothing changed/);
    expect((await say(h, 'status')).text).toContain('0 of 1 approval');
  });
});
