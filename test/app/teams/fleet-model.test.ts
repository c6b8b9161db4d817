import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { isFinal } from '../../../src/domain/model.js';
import type { AttackJob } from '../../../src/ports/executor.js';
import { ControlledHealth, settle } from '../../support/fakes.js';
import { type FleetHarness, fleetHarness } from '../../support/fleet-harness.js';
import { twoTeams } from '../../support/teams-config.js';

/**
 * Model-based: random interleavings of ticks, run-once, stops and starts in every scope (a team's
 * channel, a team named, `all`, a DM), health answering late and hosts ending, against the real
 * fleet of two teams (real SQLite; executor, health and chat faked at their ports). The model is
 * which teams are halted; after every step the real latches must agree, and no attack may start on
 * a halted team's host or beside another attack of the same team.
 */

const TEAMS = ['payments', 'search'] as const;
type Team = (typeof TEAMS)[number];
const CHANNEL: Record<Team, string> = { payments: 'C0PAY', search: 'C0SEARCH' };
const ALWAYS = { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00', holidays: [] };

interface Model {
  halted: Record<Team, boolean>;
}
interface Real {
  h: FleetHarness;
  health: Record<Team, ControlledHealth>;
  inflight: Promise<unknown>[];
  violations: string[];
}
type Cmd = fc.AsyncCommand<Model, Real>;

const teamOf = (host: string): Team => (host.startsWith('pay-') ? 'payments' : 'search');
const team = fc.constantFrom(...TEAMS);

function command(name: string, run: (m: Model, r: Real) => Promise<void> | void): Cmd {
  return {
    check: () => true,
    run: async (m, r) => {
      await run(m, r);
      await settle();
      expect(r.violations, `after ${name}`).toEqual([]);
      for (const t of TEAMS) {
        const ctx = r.h.fleet.teams.find((b) => b.team.name === t)?.bot.context;
        expect(ctx?.latch.state().halt !== null, `after ${name}: ${t} halted?`).toBe(m.halted[t]);
      }
    },
    toString: () => name,
  };
}

type StopScope = { kind: 'channel'; team: Team } | { kind: 'named'; team: Team } | { kind: 'all' } | { kind: 'dm' };
const stopScope: fc.Arbitrary<StopScope> = fc.oneof(
  team.map((t) => ({ kind: 'channel' as const, team: t })),
  team.map((t) => ({ kind: 'named' as const, team: t })),
  fc.constant({ kind: 'all' as const }),
  fc.constant({ kind: 'dm' as const }),
);

const commands = [
  fc.constant(command('tick', (_m, r) => void r.inflight.push(r.h.fleet.tick()))),
  team.map((t) =>
    command(`run-once in ${t}'s channel`, (_m, r) => void r.inflight.push(r.h.say('run-once', 'U0GLOBAL', CHANNEL[t]))),
  ),
  stopScope.map((s) =>
    command(`stop (${JSON.stringify(s)})`, async (m, r) => {
      const [text, channel] =
        s.kind === 'channel'
          ? ['stop', CHANNEL[s.team]]
          : s.kind === 'named'
            ? [`stop ${s.team} is failing`, 'D0DIRECT']
            : s.kind === 'all'
              ? ['stop all', CHANNEL.payments]
              : ['stop', 'D0DIRECT'];
      await r.h.say(text, 'U0ANYONE', channel);
      for (const t of TEAMS) if (s.kind === 'all' || s.kind === 'dm' || s.team === t) m.halted[t] = true;
    }),
  ),
  fc.oneof(team, fc.constant('all' as const)).map((s) =>
    command(`start ${s}`, async (m, r) => {
      await r.h.say(s === 'all' ? 'start all' : 'start', 'U0GLOBAL', s === 'all' ? 'D0DIRECT' : CHANNEL[s]);
      for (const t of TEAMS) if (s === 'all' || s === t) m.halted[t] = false;
    }),
  ),
  fc
    .tuple(team, fc.boolean())
    .map(([t, ok]) => command(`${t}'s health answers ${ok ? 'healthy' : 'unhealthy'}`, (_m, r) => void r.health[t].answer(ok))),
  fc.constant(
    command('the hosts end their attacks', (_m, r) => {
      for (const run of r.h.executor.runs) if (!run.ended) run.finish();
    }),
  ),
  fc.integer({ min: 1, max: 30 }).map((s) => command(`${s} s pass`, (_m, r) => r.h.timers.advance(s * 1000))),
];

let h: FleetHarness | undefined;
afterEach(() => h?.close());

describe('teams under any interleaving (model-based)', () => {
  it('a stop halts exactly the teams it names; no team attacks while halted or twice at once; every attack ends', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 40 }), async (cmds) => {
        h?.close();
        const health = {} as Record<Team, ControlledHealth>;
        h = fleetHarness(
          {
            ...twoTeams({ businessHours: ALWAYS }, { businessHours: ALWAYS }),
            dryRun: false,
            schedule: { tick: '* * * * *', cooldown: '0s', healthInterval: '10s' },
          },
          [{ name: 'cpu-burn', weight: 1 }],
          {
            health: (t, clock) => {
              health[t as Team] = new ControlledHealth(clock);
              return health[t as Team];
            },
          },
        );
        const real: Real = { h, health, inflight: [], violations: [] };
        const started = new Set<string>();
        h.executor.onExec = (job: AttackJob) => {
          const t = teamOf(job.host.name);
          const ctx = real.h.fleet.teams.find((b) => b.team.name === t)?.bot.context;
          const halt = ctx?.latch.state().halt;
          if (halt) real.violations.push(`started ${job.id} on ${job.host.name} while ${t} was halted by ${halt.by}`);
          const live = real.h.executor.runs.filter((x) => !x.ended && teamOf(x.job.host.name) === t).length;
          if (live > 0) real.violations.push(`started ${job.id} while ${live} attack(s) of ${t} still ran`);
          started.add(job.id.split('-').pop() as string);
        };
        await fc.asyncModelRun(() => ({ model: { halted: { payments: false, search: false } }, real }), cmds);
        // Let everything end: health answers, hosts finish, time passes.
        for (let i = 0; i < 50; i++) {
          const busy =
            TEAMS.some((t) => health[t].pending > 0) ||
            h.executor.runs.some((x) => !x.ended) ||
            h.fleet.teams.some((b) => b.bot.context.runner.inFlightCount > 0);
          if (!busy) break;
          for (const t of TEAMS) while (health[t].answer(true)) await settle();
          for (const run of h.executor.runs) if (!run.ended) run.finish();
          await h.timers.advance(10_000);
        }
        await Promise.all(real.inflight);
        expect(real.violations).toEqual([]);
        for (const id of started) {
          const record = h.store.getAttack(id);
          expect(record && isFinal(record.state), `#${id} is ${record?.state}`).toBe(true);
          expect(record?.team).toBe(teamOf(record?.host ?? ''));
        }
        expect(h.store.unfinishedAttacks()).toEqual([]);
      }),
      { numRuns: 100, seed: 20261125, endOnFailure: true },
    );
  }, 120_000);
});
