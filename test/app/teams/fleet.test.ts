import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import type { HostDirectory } from '../../../src/ports/host-directory.js';
import { eventually } from '../../support/eventually.js';
import { settle } from '../../support/fakes.js';
import { type FleetHarness, fleetHarness } from '../../support/fleet-harness.js';
import { startServer } from '../../support/http-servers.js';
import { shown } from '../../support/shown.js';
import { twoTeams } from '../../support/teams-config.js';
import { writeTestConfig } from '../../support/test-config.js';

/** An attack without target tags: every host of the team is eligible. */
const ATTACKS = [{ name: 'cpu-burn', weight: 10 }];
/** Search may be attacked at any hour of any day in Tokyo. */
const ALWAYS = { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '23:59', holidays: [] };

let h: FleetHarness | null = null;
afterEach(() => {
  h?.close();
  h = null;
});

const team = (x: FleetHarness, name: string) => {
  const t = x.fleet.teams.find((b) => b.team.name === name);
  if (!t) throw new Error(`no team ${name}`);
  return t.bot.context;
};
const chat = (x: FleetHarness, name: string) => x.chats.get(name) as NonNullable<ReturnType<typeof x.chats.get>>;

describe('teams: one bot, many on-call teams', () => {
  it("attacks only the team inside its business hours, in its own zone, announced in that team's channel", async () => {
    // Tuesday 10:30 in Los Angeles is Wednesday 03:30 in Tokyo.
    h = fleetHarness(twoTeams(), ATTACKS);
    const [payments, search] = await h.fleet.tick();
    expect(payments).toMatchObject({ kind: 'attacked', attack: 'cpu-burn', host: expect.stringMatching(/^pay-/) });
    expect(search).toMatchObject({ kind: 'skipped', code: 'closed', reason: expect.stringMatching(/Wed 10:00 GMT\+9/) });
    expect(chat(h, 'payments').kinds()[0]).toBe('attack-started');
    expect(chat(h, 'search').events).toEqual([]);
    expect(h.global.events).toEqual([]);
    expect(h.store.history({ limit: 5 }).map((r) => [r.team, r.host])).toEqual([
      ['payments', payments?.kind === 'attacked' ? payments.host : ''],
    ]);
  });

  it("a stop in a team's channel halts that team only; the other team's attack runs on", async () => {
    h = fleetHarness(twoTeams(), ATTACKS);
    await h.fleet.tick();
    const reply = await h.say('stop looking into search', 'U0NOBODY', 'C0SEARCH');
    expect(reply.text).toMatch(/^\[search\] Halted by <@U0NOBODY>: looking into search/);
    expect(team(h, 'search').latch.state().halt).toMatchObject({ by: 'U0NOBODY' });
    expect(team(h, 'payments').latch.state().halt).toBeNull();
    await settle();
    expect(h.executor.runs[0]?.aborted).toBeNull();
    expect(chat(h, 'search').kinds()).toEqual(['halted']);
    expect(chat(h, 'payments').kinds()).not.toContain('halted');
  });

  it('a stop in a DM (no team named) halts every team and reverts what runs', async () => {
    h = fleetHarness(twoTeams(), ATTACKS);
    await h.fleet.tick();
    const reply = await h.say('stop', 'U0NOBODY', 'D0DIRECT');
    expect(reply.text).toMatch(/^Stop for every team \(payments, search\):/);
    expect(reply.text).toMatch(/^\[payments\] Halted by <@U0NOBODY>\./m);
    expect(reply.text).toMatch(/^Reverting 1 attack: #1;/m);
    expect(reply.text).toMatch(/^\[search\] Halted by <@U0NOBODY>\./m);
    for (const name of ['payments', 'search']) expect(team(h, name).latch.state().halt).toMatchObject({ by: 'U0NOBODY' });
    await eventually(() => h?.executor.runs[0]?.aborted !== null, 'the revert');
    // Both halts survive a restart.
    h = h.restart();
    for (const name of ['payments', 'search']) expect(team(h, name).latch.state().halt).toMatchObject({ by: 'U0NOBODY' });
  });

  it.each([
    ['STOP!!!', 'C0RANDOM', ''],
    [':octagonal_sign: `stop` checkout', 'D0DIRECT', 'checkout'],
  ])('a formatted stop outside a team channel (%j in %s) halts every team', async (text, channel, reason) => {
    h = fleetHarness(twoTeams(), ATTACKS);
    const reply = await h.say(text, 'U0NOBODY', channel);
    expect(reply.text).toMatch(/^Stop for every team \(payments, search\):/);
    for (const name of ['payments', 'search']) expect(team(h, name).latch.state().halt).toMatchObject({ by: 'U0NOBODY', reason });
  });

  it('a formatted stop naming a team halts that team only: *Stop!* search', async () => {
    h = fleetHarness(twoTeams(), ATTACKS);
    const reply = await h.say('*Stop!* search db is slow', 'U0NOBODY', 'C0RANDOM');
    expect(reply.text).toMatch(/^\[search\] Halted by <@U0NOBODY>/);
    expect(team(h, 'search').latch.state().halt).toMatchObject({ by: 'U0NOBODY' });
    expect(team(h, 'payments').latch.state().halt).toBeNull();
  });

  it("a failing health provider of one team does not block the other's attack", async () => {
    const failing = await startServer((_req, res) => {
      res.writeHead(500).end('down');
    });
    h = fleetHarness(
      twoTeams({ businessHours: ALWAYS, health: [{ kind: 'http', name: 'search-api', url: `${failing.url}/health` }] }),
      ATTACKS,
    );
    const [payments, search] = await h.fleet.tick();
    expect(payments).toMatchObject({ kind: 'attacked' });
    expect(search).toMatchObject({ kind: 'skipped', code: 'unhealthy', reason: expect.stringMatching(/search-api: HTTP 500/) });
  });

  it("one team's slow health check delays neither the other team's tick nor a stop", async () => {
    const held: ServerResponse[] = [];
    const slow = await startServer((_req, res) => {
      held.push(res);
    });
    h = fleetHarness(
      twoTeams({
        businessHours: ALWAYS,
        schedule: { healthTimeout: '60s' },
        health: [{ kind: 'http', name: 'slow', url: slow.url }],
      }),
      ATTACKS,
    );
    const ticking = h.fleet.tick();
    await eventually(
      () => held.length === 1 && (h?.executor.runs.length ?? 0) === 1,
      "payments' attack while search's check hangs",
    );
    expect(h.executor.runs[0]?.job.host.name).toMatch(/^pay-/);
    // The next minute: payments ticks as usual; search, still waiting on its check, sits it out.
    expect(await h.fleet.tick()).toEqual([expect.objectContaining({ kind: 'skipped', code: 'in-flight' })]);
    const stopped = await h.say('stop', 'U0NOBODY', 'C0SEARCH');
    expect(stopped.text).toMatch(/^\[search\] Halted/);
    for (const res of held) res.writeHead(200).end('ok');
    const [, search] = await ticking;
    // Decided again after the await: the stop that came meanwhile wins.
    expect(search).toMatchObject({ kind: 'skipped' });
    expect(h.executor.runs.map((r) => r.job.host.name)).toEqual([expect.stringMatching(/^pay-/)]);
  });

  it('teams checking at the same moment share one probe of a global provider', async () => {
    const held: ServerResponse[] = [];
    let holding = true;
    const global = await startServer((_req, res) => {
      if (holding) held.push(res);
      else res.writeHead(200).end('ok');
    });
    h = fleetHarness(
      { ...twoTeams({ businessHours: ALWAYS }), health: [{ kind: 'http', name: 'edge', url: `${global.url}/ready` }] },
      ATTACKS,
    );
    const ticking = h.fleet.tick();
    await eventually(() => held.length === 1, 'the probe');
    for (let i = 0; i < 5; i++) await settle();
    // Both teams' gates wait on the one probe (later requests are the attacks' own steady-state probes).
    expect(global.requests).toHaveLength(1);
    holding = false;
    for (const res of held) res.writeHead(200).end('ok');
    const outcomes = await ticking;
    expect(outcomes.map((o) => (o.kind === 'skipped' ? o.reason : o.kind))).toEqual(['attacked', 'attacked']);
    for (const name of ['payments', 'search']) {
      expect(
        team(h, name)
          .store.lastHealth()
          ?.results.map((r) => r.name),
      ).toEqual(['edge']);
    }
  });

  it('teams select inventory hosts by tag like any other; a host two teams select is attacked by neither', async () => {
    const inventory = [
      { name: 'inv-pay-1', address: '10.0.0.1', port: 22, tags: ['payments'], vars: {}, source: 'ansible:/inv' },
      { name: 'inv-both', address: '10.0.0.2', port: 22, tags: ['payments', 'search'], vars: {}, source: 'ansible:/inv' },
    ];
    const directory: HostDirectory = { all: () => inventory, sources: () => [] };
    h = fleetHarness({ ...twoTeams(), hosts: [] }, ATTACKS, { hosts: directory });
    for (let i = 0; i < 5; i++) {
      const [payments] = await h.fleet.tick();
      expect(payments, JSON.stringify(payments)).toMatchObject({ kind: 'attacked', host: 'inv-pay-1' });
      for (const run of h.executor.runs) if (!run.ended) run.finish();
      await h.timers.advance(660_000);
    }
    const hosts = await h.say('hosts', 'U0NOBODY', 'D0DIRECT');
    expect(hosts.tables?.[0]?.rows.find((r) => r[0] === 'inv-pay-1')?.at(-1)).toBe('payments');
    expect(hosts.tables?.[0]?.rows.find((r) => r[0] === 'inv-both')?.at(-1)).toBe('payments and search: never attacked');
    expect((await h.say('hosts', 'U0NOBODY', 'C0SEARCH')).text).toBe('[search] 0 hosts.');
  });

  it('start all needs a global admin; a team admin starts only their own team', async () => {
    h = fleetHarness(twoTeams(), ATTACKS);
    await h.say('stop', 'U0NOBODY');
    const refused = await h.say('start all', 'U0PAYLEAD', 'C0PAY');
    expect(refused.text).toMatch(/only global admins may `start all`/);
    expect(team(h, 'payments').latch.state().halt).not.toBeNull();
    expect((await h.say('start search', 'U0PAYLEAD', 'C0PAY')).text).toMatch(/^\[search\] Sorry, only admins may `start`/);
    expect((await h.say('start', 'U0PAYLEAD', 'C0PAY')).text).toMatch(/^\[payments\] Resumed by <@U0PAYLEAD>/);
    expect(team(h, 'payments').latch.state().halt).toBeNull();
    expect(team(h, 'search').latch.state().halt).not.toBeNull();
    expect((await h.say('start', 'U0GLOBAL', 'D0DIRECT')).text).toMatch(/^Which team\? `start TEAM` \(payments, search\)/);
    const all = await h.say('start all', 'U0GLOBAL', 'D0DIRECT');
    expect(all.text).toMatch(/^\[search\] Resumed by <@U0GLOBAL>/m);
    expect(team(h, 'search').latch.state().halt).toBeNull();
    const audit = h.store.auditBetween(0, Number.MAX_SAFE_INTEGER);
    expect(audit.find((a) => a.text === 'start all' && a.outcome === 'refused')).toBeTruthy();
  });

  it("run-once names its team outside a team's channel, and attacks only that team's hosts", async () => {
    h = fleetHarness(twoTeams(), ATTACKS);
    expect((await h.say('run-once cpu-burn', 'U0GLOBAL', 'D0DIRECT')).text).toMatch(/^Which team\? `run-once TEAM/);
    expect((await h.say('run-once payments cpu-burn search-1', 'U0GLOBAL')).text).toMatch(
      /^\[payments\] search-1 is team search's host; payments attacks only its own hosts: pay-1, pay-2\./,
    );
    expect((await h.say('run-once cpu-burn', 'U0PAYLEAD', 'C0SEARCH')).text).toMatch(/^\[search\] Sorry, only admins/);
    expect(h.executor.startCalls).toBe(0);
    // run-once ignores business hours (closed in Tokyo), not the team.
    const started = await h.say('run-once search cpu-burn', 'U0SEARCHLEAD', 'D0DIRECT');
    expect(started.text).toMatch(/^\[search\] /);
    expect(h.executor.runs.map((r) => r.job.host.name)).toEqual(['search-1']);
    expect(chat(h, 'search').kinds()[0]).toBe('attack-started');
    expect(chat(h, 'payments').events).toEqual([]);
    expect(h.store.getAttack('1')?.team).toBe('search');
  });

  it('status lists every team in a line; history names the team, and a team channel shows only its own', async () => {
    h = fleetHarness(twoTeams(), ATTACKS);
    await h.fleet.tick();
    await h.say('stop', 'U0NOBODY', 'C0SEARCH');
    const status = await h.say('status', 'U0NOBODY', 'D0DIRECT');
    expect(status.text.split('\n')).toEqual([
      '2 teams:',
      expect.stringMatching(/^payments: \*Running\* \(dry run\) — in flight: #1 cpu-burn on pay-\d \(dry run\); next attack: /),
      expect.stringMatching(/^search: \*Halted\* — halted by <@U0NOBODY> at /),
    ]);
    expect((await h.say('status', 'U0NOBODY', 'C0PAY')).text).toMatch(/^\[payments\] \*Running\*/);
    const all = await h.say('history', 'U0NOBODY', 'D0DIRECT');
    expect(shown(all)).toMatch(/^#\s+team\s+time/m);
    expect(shown(all)).toMatch(/^1\s+payments\s+/m);
    expect((await h.say('history', 'U0NOBODY', 'C0SEARCH')).text).toBe('[search] No attacks recorded yet.');
    expect((await h.say('history payments', 'U0NOBODY', 'C0SEARCH')).text).toMatch(/^\[payments\] Last 1 attack:/);
  });

  it('a halt latched for a team that left the config halts every team after the restart, and its attacks are recovered', async () => {
    h = fleetHarness(twoTeams(), ATTACKS);
    await h.fleet.tick();
    await h.say('stop maintenance', 'U0NOBODY', 'C0SEARCH');
    // The config loses its teams: the running payments attack and search's halt must not be lost.
    const { file } = writeTestConfig({ ...twoTeams(), teams: undefined, database: h.config.database }, ATTACKS);
    h = h.restart(loadConfig(file));
    await h.fleet.recover();
    expect(h.fleet.multi).toBe(false);
    expect(team(h, 'default').latch.state().halt).toMatchObject({
      by: 'U0NOBODY',
      reason: 'maintenance (latched for team search, no longer configured)',
    });
    // Handed to the only team left and recovered by it (a dry run: nothing to revert on the host).
    expect(h.store.getAttack('1')).toMatchObject({ team: 'default', state: 'orphaned' });
    expect(chat(h, 'default').kinds()).toContain('orphan-recovered');
    expect(h.store.teamStates().map((s) => s.team)).toEqual(['default']);
  });
});
