import { afterEach, describe, expect, it } from 'vitest';
import { SqliteGameDayStore } from '../../../src/adapters/sqlite/game-day-store.js';
import { buildReport } from '../../../src/app/reports/report.js';
import type { ChatEvent } from '../../../src/ports/chat.js';
import { plainText } from '../../../src/words/tokens.js';
import { type Harness, harness, say } from '../../support/bot-harness.js';
import { audited, launches } from '../../support/endings.js';
import { ScriptedHealth } from '../../support/fakes.js';

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
/** The game days the channel was told were skipped: which, and which start. */
const skipped = (h: Harness) =>
  h.chat.events
    .filter((e): e is Extract<ChatEvent, { kind: 'notice' }> => e.kind === 'notice')
    .flatMap((e) => (e.notice.kind === 'game-day-skipped' ? [{ name: e.notice.name, at: e.notice.at }] : []));
/** The stored occurrence of the game day at that start: its state, approvers and why it ended. */
const occurrence = (h: Harness, at = FRI_14) => new SqliteGameDayStore(h.store.handle, h.config.team).occurrence(NAME, at);

let h: Harness | undefined;
afterEach(async () => {
  if (h) {
    h.bot.gameDays?.stop();
    await h.bot.shutdown('SIGTERM');
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
    await say(h, `approve ${NAME}`, 'U0INTERN');
    expect(audited(h, 'approve')).toEqual(['refused']);
    expect(occurrence(h)).toMatchObject({ state: 'announced', approvedBy: [] });
    await say(h, `approve ${NAME}`);
    expect(audited(h, 'approve')).toEqual(['refused', 'ok']);
    expect(occurrence(h)).toMatchObject({ state: 'announced', approvedBy: ['admin'] });
    // The same admin again: an approval counts once.
    await say(h, `approve ${NAME}`);
    expect(audited(h, 'approve')).toEqual(['refused', 'ok', 'ok']);
    expect(occurrence(h)?.approvedBy).toEqual(['admin']);
    // Kept: status's own line about the next game day is the behaviour under test; no data carries it.
    expect(plainText((await say(h, 'status')).text)).toContain(
      `Next game day: ${NAME} — network-latency at Fri 2026-11-27 14:00`,
    );

    await until(h, FRI_14 - 60_000);
    expect(h.executor.runs).toHaveLength(0);
    await until(h, FRI_14);
    await h.bot.gameDays?.idle();
    expect(h.executor.runs).toHaveLength(1);
    expect(occurrence(h)).toMatchObject({ state: 'started', detail: '#1' });
    const record = h.store.getAttack('1');
    expect(record).toMatchObject({ attack: 'network-latency', trigger: { kind: 'game-day', name: NAME }, createdAt: FRI_14 });
    expect(h.store.history({ limit: 5 })[0]?.trigger).toEqual({ kind: 'game-day', name: NAME });
    expect((await say(h, 'history')).tables?.[0]?.rows[0]).toEqual(expect.arrayContaining(['1', `game day ${NAME}`]));
    // Kept: the report's game-day line is the behaviour under test; its words are the report.
    const report = await buildReport({ store: h.store, clock: h.clock, config: h.config }, '2026-11-27');
    expect(plainText(report.text)).toMatch(
      /\*Game days \(1\):\* #1 network-latency on web-\d at 14:00 \(game day checkout-latency-friday\)/,
    );
  });

  it('skips the drill with the reason in the channel when no admin approved it', async () => {
    h = gameDayBot();
    const launched = launches(h);
    h.bot.gameDays?.start();
    await until(h, FRI_14);
    expect(h.executor.runs).toHaveLength(0);
    // Refused before the runner was asked: not approved (0 of 1), the only gate that comes first.
    expect(launched).toEqual([]);
    expect(occurrence(h)).toMatchObject({ state: 'skipped', approvedBy: [] });
    expect(skipped(h)).toEqual([{ name: NAME, at: FRI_14 }]);
    expect(h.store.history({ limit: 5 })).toHaveLength(0);
  });

  it('skips an approved drill when the team is halted', async () => {
    h = gameDayBot();
    h.bot.gameDays?.start();
    await until(h, THU_14);
    await say(h, `approve ${NAME}`);
    await say(h, 'stop maintenance', 'U0INTERN');
    const launched = launches(h);
    await until(h, FRI_14);
    expect(h.executor.runs).toHaveLength(0);
    expect(launched).toEqual([{ ok: false, refusal: expect.objectContaining({ kind: 'halted' }) }]);
    expect(occurrence(h)).toMatchObject({ state: 'skipped', approvedBy: ['admin'] });
    expect(skipped(h)).toEqual([{ name: NAME, at: FRI_14 }]);
    expect(h.bot.context.latch.state().halt).toMatchObject({ by: 'U0INTERN', reason: 'maintenance' });
  });

  it('skips an approved drill when the health gate fails', async () => {
    h = gameDayBot();
    h.bot.gameDays?.start();
    await until(h, THU_14);
    await say(h, `approve ${NAME}`);
    h.health.report = ScriptedHealth.failing(h.clock, 'HTTP 503').report;
    const launched = launches(h);
    await until(h, FRI_14);
    expect(h.executor.runs).toHaveLength(0);
    expect(launched).toEqual([{ ok: false, refusal: expect.objectContaining({ kind: 'unhealthy' }) }]);
    expect(occurrence(h)).toMatchObject({ state: 'skipped', approvedBy: ['admin'] });
    expect(skipped(h)).toEqual([{ name: NAME, at: FRI_14 }]);
  });

  it('skips an approved drill when the bot cannot hear stop', async () => {
    h = gameDayBot();
    h.bot.gameDays?.start();
    await until(h, THU_14);
    await say(h, `approve ${NAME}`);
    h.chat.hearingState = { ok: false, reason: 'Slack Socket Mode is not connected' };
    const launched = launches(h);
    await until(h, FRI_14);
    expect(h.executor.runs).toHaveLength(0);
    expect(launched).toEqual([{ ok: false, refusal: expect.objectContaining({ kind: 'deaf' }) }]);
    expect(occurrence(h)).toMatchObject({ state: 'skipped', approvedBy: ['admin'] });
    expect(skipped(h)).toEqual([{ name: NAME, at: FRI_14 }]);
  });

  it("an admin's skip cancels that occurrence; a non-admin's is refused", async () => {
    h = gameDayBot({ approvals: 0 });
    h.bot.gameDays?.start();
    await until(h, THU_14);
    await say(h, `skip ${NAME}`, 'U0INTERN');
    expect(audited(h, 'skip')).toEqual(['refused']);
    expect(occurrence(h)?.state).toBe('announced');
    await say(h, `skip ${NAME}`);
    expect(audited(h, 'skip')).toEqual(['refused', 'ok']);
    expect(occurrence(h)).toMatchObject({ state: 'skipped', detail: expect.stringContaining('admin') });
    const launched = launches(h);
    await until(h, FRI_14);
    expect(h.executor.runs).toHaveLength(0);
    expect(launched).toEqual([]);
    // Nothing announced to approve until the next notice: invalid, and nothing is recorded.
    await say(h, `approve ${NAME}`);
    expect(audited(h, 'approve')).toEqual(['invalid']);
    expect(new SqliteGameDayStore(h.store.handle, h.config.team).announced()).toEqual([]);
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
    expect(occurrence(second)).toMatchObject({ state: 'announced', approvedBy: ['admin'] });
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
    expect(reply).toMatchObject({ ephemeral: true });
    expect(audited(h, 'approve')).toEqual(['invalid']);
    expect(occurrence(h, FRI_14 - 7 * 86_400_000)).toBeUndefined();
    expect(occurrence(h)).toMatchObject({ state: 'announced', approvedBy: [] });
  });
});
