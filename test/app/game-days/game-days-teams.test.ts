import { afterEach, describe, expect, it } from 'vitest';
import { SqliteGameDayStore } from '../../../src/adapters/sqlite/game-day-store.js';
import { plainText } from '../../../src/words/tokens.js';
import { auditRows } from '../../support/endings.js';
import { type FleetHarness, fleetHarness } from '../../support/fleet-harness.js';
import { twoTeams } from '../../support/teams-config.js';

// Fri 2026-11-27 14:00 in Tokyo is 05:00 UTC; the harness starts Tue 2026-11-24 18:30 UTC.
const FRI_14_TOKYO = Date.parse('2026-11-27T05:00:00Z');
const NAME = 'search-friday';
const ATTACKS = [{ name: 'cpu-burn', weight: 10 }];

let h: FleetHarness | null = null;
afterEach(async () => {
  for (const t of h?.fleet.teams ?? []) t.bot.gameDays?.stop();
  await h?.fleet.shutdown('SIGTERM');
  h?.close();
  h = null;
});

const until = async (x: FleetHarness, at: number) => {
  await x.timers.advance(at - x.clock.now());
  for (const t of x.fleet.teams) await t.bot.gameDays?.idle();
};

describe("a team's game days", () => {
  it("run in the team's zone, post in its channel, and only the team's admins approve them", async () => {
    const x = fleetHarness(
      twoTeams({ gameDays: [{ name: NAME, at: '0 14 * * fri', attack: 'cpu-burn', announce: '2h', approvals: 1 }] }),
      ATTACKS,
    );
    h = x;
    for (const t of x.fleet.teams) t.bot.gameDays?.start();
    await until(x, FRI_14_TOKYO - 2 * 3_600_000);
    expect(x.chats.get('search')?.kinds()).toEqual(['game-day-notice']);
    expect(x.chats.get('payments')?.events).toEqual([]);

    const searchStore = x.fleet.teams.find((t) => t.team.name === 'search')?.bot.context.store;
    if (!searchStore) throw new Error('no team search');
    const approvals = () => new SqliteGameDayStore(x.store.handle, 'search').occurrence(NAME, FRI_14_TOKYO)?.approvedBy;
    await x.say(`approve ${NAME}`, 'U0PAYLEAD', 'C0SEARCH');
    expect(auditRows(searchStore, 'approve')).toMatchObject([{ actor: 'U0PAYLEAD', outcome: 'refused' }]);
    expect(approvals()).toEqual([]);
    const unscoped = await x.say(`approve ${NAME}`, 'U0SEARCHLEAD');
    // Kept: the reply tells the approver how to name the team; only its words carry that.
    expect(unscoped.text).toMatch(/Which team\? `approve TEAM search-friday`/);
    expect(approvals()).toEqual([]);
    await x.say(`approve search ${NAME}`, 'U0SEARCHLEAD');
    expect(auditRows(searchStore, 'approve').at(-1)).toMatchObject({
      actor: 'U0SEARCHLEAD',
      outcome: 'ok',
    });
    expect(approvals()).toEqual(['U0SEARCHLEAD']);
    // Kept: status's own line, in the team's zone, is the behaviour under test; no data carries it.
    expect(plainText((await x.say('status')).text)).toMatch(
      /search: .*Next game day: search-friday — cpu-burn at Fri 2026-11-27 14:00 GMT\+9/,
    );

    await until(x, FRI_14_TOKYO);
    const [drill] = x.store.history({ limit: 5 });
    expect(drill).toMatchObject({ team: 'search', host: 'search-1', trigger: { kind: 'game-day', name: NAME } });
  });
});
