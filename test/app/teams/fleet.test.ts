import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import type { HostDirectory } from '../../../src/ports/host-directory.js';
import { auditRows } from '../../support/endings.js';
import { eventually } from '../../support/eventually.js';
import { settle } from '../../support/fakes.js';
import { type FleetHarness, fleetHarness } from '../../support/fleet-harness.js';
import { startServer } from '../../support/http-servers.js';
import { twoTeams } from '../../support/teams-config.js';
import { writeTestConfig } from '../../support/test-config.js';

/** An attack without target tags: every host of the team is eligible. */
const ATTACKS = [{ name: 'cpu-burn', weight: 10 }];
/** Search may be attacked at any hour of any day in Tokyo. */
const ALWAYS = { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00', holidays: [] };

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
/** The halts a team's chat announced: who, why, and the ids of the attacks each reverts. */
const halts = (x: FleetHarness, name: string) =>
  chat(x, name).events.flatMap((e) =>
    e.kind === 'halted' ? [{ by: e.halt.by, reason: e.halt.reason, reverting: e.reverting.map((r) => r.id) }] : [],
  );

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
    await h.say('stop looking into search', 'U0NOBODY', 'C0SEARCH');
    expect(team(h, 'search').latch.state().halt).toMatchObject({ by: 'U0NOBODY', reason: 'looking into search' });
    expect(auditRows(team(h, 'search').store, 'stop')).toMatchObject([{ actor: 'U0NOBODY', outcome: 'ok', action: 'halted' }]);
    expect(auditRows(team(h, 'payments').store, 'stop')).toEqual([]);
    expect(team(h, 'payments').latch.state().halt).toBeNull();
    await settle();
    expect(h.executor.runs[0]?.aborted).toBeNull();
    expect(chat(h, 'search').kinds()).toEqual(['halted']);
    expect(halts(h, 'search')).toEqual([{ by: 'U0NOBODY', reason: 'looking into search', reverting: [] }]);
    expect(chat(h, 'payments').kinds()).not.toContain('halted');
  });

  it('a stop in a DM (no team named) halts every team and reverts what runs', async () => {
    h = fleetHarness(twoTeams(), ATTACKS);
    await h.fleet.tick();
    await h.say('stop', 'U0NOBODY', 'D0DIRECT');
    // Each team halted and said so in its own channel; only payments had an attack to revert.
    expect(halts(h, 'payments')).toEqual([{ by: 'U0NOBODY', reason: '', reverting: ['1'] }]);
    expect(halts(h, 'search')).toEqual([{ by: 'U0NOBODY', reason: '', reverting: [] }]);
    for (const name of ['payments', 'search']) {
      expect(auditRows(team(h, name).store, 'stop')).toMatchObject([{ actor: 'U0NOBODY', outcome: 'ok', action: 'halted' }]);
    }
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
    await h.say(text, 'U0NOBODY', channel);
    for (const name of ['payments', 'search']) {
      expect(team(h, name).latch.state().halt).toMatchObject({ by: 'U0NOBODY', reason });
      expect(halts(h, name)).toEqual([{ by: 'U0NOBODY', reason, reverting: [] }]);
    }
  });

  it('a formatted stop naming a team halts that team only: *Stop!* search', async () => {
    h = fleetHarness(twoTeams(), ATTACKS);
    await h.say('*Stop!* search db is slow', 'U0NOBODY', 'C0RANDOM');
    expect(team(h, 'search').latch.state().halt).toMatchObject({ by: 'U0NOBODY', reason: 'search db is slow' });
    expect(halts(h, 'search')).toEqual([{ by: 'U0NOBODY', reason: 'search db is slow', reverting: [] }]);
    expect(team(h, 'payments').latch.state().halt).toBeNull();
    expect(chat(h, 'payments').events).toEqual([]);
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
    await h.say('stop', 'U0NOBODY', 'C0SEARCH');
    // The stop answered while search's check still hangs: its latch is set and its channel told.
    expect(team(h, 'search').latch.state().halt).toMatchObject({ by: 'U0NOBODY' });
    expect(halts(h, 'search')).toEqual([{ by: 'U0NOBODY', reason: '', reverting: [] }]);
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
    expect((await h.say('hosts', 'U0NOBODY', 'C0SEARCH')).tables).toBeUndefined();
  });

  it('start all needs a global admin; a team admin starts only their own team', async () => {
    h = fleetHarness(twoTeams(), ATTACKS);
    await h.say('stop', 'U0NOBODY');
    await h.say('start all', 'U0PAYLEAD', 'C0PAY');
    expect(team(h, 'payments').latch.state().halt).not.toBeNull();
    expect(team(h, 'search').latch.state().halt).not.toBeNull();
    const audit = () => h?.store.auditBetween(0, Number.MAX_SAFE_INTEGER).filter((a) => a.command === 'start') ?? [];
    expect(audit()).toMatchObject([{ actor: 'U0PAYLEAD', text: 'start all', outcome: 'refused' }]);
    await h.say('start search', 'U0PAYLEAD', 'C0PAY');
    expect(auditRows(team(h, 'search').store, 'start')).toMatchObject([{ actor: 'U0PAYLEAD', outcome: 'refused' }]);
    expect(team(h, 'search').latch.state().halt).not.toBeNull();
    await h.say('start', 'U0PAYLEAD', 'C0PAY');
    expect(auditRows(team(h, 'payments').store, 'start')).toMatchObject([
      { actor: 'U0PAYLEAD', outcome: 'ok', action: 'resumed' },
    ]);
    expect(chat(h, 'payments').events).toMatchObject([{ kind: 'halted' }, { kind: 'resumed', by: 'U0PAYLEAD' }]);
    expect(team(h, 'payments').latch.state().halt).toBeNull();
    expect(team(h, 'search').latch.state().halt).not.toBeNull();
    // No team named outside a team's channel: asked which, and nothing resumed.
    await h.say('start', 'U0GLOBAL', 'D0DIRECT');
    expect(audit().at(-1)).toMatchObject({ actor: 'U0GLOBAL', text: 'start', outcome: 'invalid' });
    expect(team(h, 'search').latch.state().halt).not.toBeNull();
    await h.say('start all', 'U0GLOBAL', 'D0DIRECT');
    expect(auditRows(team(h, 'search').store, 'start').at(-1)).toMatchObject({
      actor: 'U0GLOBAL',
      outcome: 'ok',
      action: 'resumed',
    });
    expect(chat(h, 'search').events.at(-1)).toMatchObject({ kind: 'resumed', by: 'U0GLOBAL' });
    expect(team(h, 'search').latch.state().halt).toBeNull();
  });

  it("run-once names its team outside a team's channel, and attacks only that team's hosts", async () => {
    h = fleetHarness(twoTeams(), ATTACKS);
    // No team named outside a team's channel: the fleet asks which (invalid input), and no team is asked.
    await h.say('run-once cpu-burn', 'U0GLOBAL', 'D0DIRECT');
    expect(h.store.auditBetween(0, Number.MAX_SAFE_INTEGER)).toMatchObject([
      { actor: 'U0GLOBAL', command: 'run-once', text: 'run-once cpu-burn', outcome: 'invalid' },
    ]);
    // Another team's host: payments refuses it as invalid input, and search never hears of it.
    await h.say('run-once payments cpu-burn search-1', 'U0GLOBAL');
    expect(auditRows(team(h, 'payments').store, 'run-once')).toMatchObject([{ actor: 'U0GLOBAL', outcome: 'invalid' }]);
    await h.say('run-once cpu-burn', 'U0PAYLEAD', 'C0SEARCH');
    expect(auditRows(team(h, 'search').store, 'run-once')).toMatchObject([{ actor: 'U0PAYLEAD', outcome: 'refused' }]);
    expect(h.executor.startCalls).toBe(0);
    // run-once ignores business hours (closed in Tokyo), not the team.
    await h.say('run-once search cpu-burn', 'U0SEARCHLEAD', 'D0DIRECT');
    expect(auditRows(team(h, 'search').store, 'run-once').at(-1)).toMatchObject({ actor: 'U0SEARCHLEAD', outcome: 'ok' });
    expect(auditRows(team(h, 'payments').store, 'run-once')).toHaveLength(1);
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
    // Kept: status's own words are the behaviour under test (one line per team); no data carries them.
    expect(status.text.split('\n')).toEqual([
      '2 teams:',
      expect.stringMatching(/^payments: \*Running\* \(dry run\) — in flight: #1 cpu-burn on pay-\d \(dry run\); next attack: /),
      expect.stringMatching(/^search: \*Halted\* — halted by <@U0NOBODY> at /),
    ]);
    // Kept: a team's answer is labelled with its team; no data carries the label.
    expect((await h.say('status', 'U0NOBODY', 'C0PAY')).text).toMatch(/^\[payments\] \*Running\*/);
    const all = await h.say('history', 'U0NOBODY', 'D0DIRECT');
    expect(all.tables?.[0]?.columns.slice(0, 3)).toEqual(['#', 'team', 'time']);
    expect(all.tables?.[0]?.rows.map((r) => r.slice(0, 2))).toEqual([['1', 'payments']]);
    expect((await h.say('history', 'U0NOBODY', 'C0SEARCH')).tables).toBeUndefined();
    const theirs = await h.say('history payments', 'U0NOBODY', 'C0SEARCH');
    expect(theirs.tables?.[0]?.rows.map((r) => r[0])).toEqual(['1']);
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
