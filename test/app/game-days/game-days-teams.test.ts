import { afterEach, describe, expect, it } from 'vitest';
import { plainText } from '../../../src/words/tokens.js';
import { type FleetHarness, fleetHarness } from '../../support/fleet-harness.js';
import { twoTeams } from '../../support/teams-config.js';

// Fri 2026-11-27 14:00 in Tokyo is 05:00 UTC; the harness starts Tue 2026-11-24 18:30 UTC.
const FRI_14_TOKYO = Date.parse('2026-11-27T05:00:00Z');
const NAME = 'search-friday';
const ATTACKS = [{ name: 'cpu-burn', weight: 10 }];

let h: FleetHarness | null = null;
afterEach(async () => {
  for (const t of h?.fleet.teams ?? []) t.bot.gameDays?.stop();
  await h?.fleet.shutdown('test over');
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

    const other = await x.say(`approve ${NAME}`, 'U0PAYLEAD', 'C0SEARCH');
    expect(other.text).toMatch(/\[search\] Sorry, only admins may approve a game day/);
    const unscoped = await x.say(`approve ${NAME}`, 'U0SEARCHLEAD');
    expect(unscoped.text).toMatch(/Which team\? `approve TEAM search-friday`/);
    const ok = await x.say(`approve search ${NAME}`, 'U0SEARCHLEAD');
    expect(plainText(ok.text)).toMatch(
      /\[search\] @U0SEARCHLEAD approved game day search-friday \(Fri 2026-11-27 14:00 GMT\+9\): 1 of 1 approval/,
    );
    expect(plainText((await x.say('status')).text)).toMatch(
      /search: .*Next game day: search-friday — cpu-burn at Fri 2026-11-27 14:00 GMT\+9/,
    );

    await until(x, FRI_14_TOKYO);
    const [drill] = x.store.history({ limit: 5 });
    expect(drill).toMatchObject({ team: 'search', host: 'search-1', trigger: { kind: 'game-day', name: NAME } });
  });
});
