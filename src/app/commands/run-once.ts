import { ownerOf } from '../../config/teams.js';
import type { AttackDef, HostDef } from '../../domain/model.js';
import { checkParams } from '../../domain/params.js';
import { pickRequested } from '../../domain/picker.js';
import type { Reply } from '../../ports/chat.js';
import { knownHosts } from '../../ports/host-directory.js';
import { type RequestProblem, type RunOnceAnswer, runOnceText } from '../../words/command-replies.js';
import type { AppContext } from '../context.js';
import type { LaunchResult } from '../engine/attack-runner.js';
import { inFlightOf } from './status.js';

/**
 * `run-once [ATTACK] [HOST] [--force]`: one attack now, through the same admission as the
 * scheduler: the halt, one in flight and hearing hold; business hours and cooldown do not. The
 * health gate runs unless an admin forces it, and then it is skipped for the attack's whole life.
 */
export async function runOnce(
  ctx: Pick<AppContext, 'config' | 'hosts' | 'runner'>,
  actor: string,
  args: {
    attack?: string;
    host?: string;
    force: boolean;
    params?: Readonly<Record<string, string>>;
    blast?: { readonly count?: number; readonly percent?: number };
  },
): Promise<{ reply: Reply; outcome: string }> {
  const named = checkRequest(ctx, args);
  if (!named.ok) return named.refusal;
  const { attack, host } = named;
  const launched = await ctx.runner.request({
    asker: 'user',
    trigger: { kind: 'user', user: actor },
    want: {
      attack,
      host,
      ...(args.params ? { params: args.params } : {}),
      ...(args.blast ? { blast: args.blast } : {}),
    },
    force: args.force,
  });
  const tz = ctx.config.timezone;
  if (launched.ok) {
    return { reply: { text: runOnceText({ kind: 'started', record: launched.record, forced: args.force }, tz) }, outcome: 'ok' };
  }
  // Refused before anything was recorded (halted, outside hours, health…): the asker's alone; an
  // attack that was recorded and failed is told in the channel by its ending anyway.
  return {
    reply: { text: runOnceText(notStarted(ctx, launched), tz), ...(launched.record ? {} : { ephemeral: true }) },
    outcome: launched.record ? 'error' : 'refused',
  };
}

type RunOnceArgs = Parameters<typeof runOnce>[2];
type Refusal = { reply: Reply; outcome: string };

/** For the asker alone (in Slack, ephemeral): a typo, a host of another team, a pair that cannot work. */
function refused(
  ctx: Pick<AppContext, 'config'>,
  problem: RequestProblem,
  outcome: 'invalid' | 'refused',
): { ok: false; refusal: Refusal } {
  return { ok: false, refusal: { reply: { text: runOnceText(problem, ctx.config.timezone), ephemeral: true }, outcome } };
}

/**
 * The attack and host a run-once names, checked before anything is admitted: both known (and the
 * host this team's), the pair able to work, the parameters within bounds.
 */
function checkRequest(
  ctx: Pick<AppContext, 'config' | 'hosts'>,
  args: RunOnceArgs,
): { ok: true; attack: AttackDef | undefined; host: HostDef | undefined } | { ok: false; refusal: Refusal } {
  const { config } = ctx;
  let attack: AttackDef | undefined;
  if (args.attack !== undefined) {
    attack = config.attacks.find((a) => a.name === args.attack);
    if (!attack) {
      const known = config.attacks.map((a) => a.name);
      return refused(ctx, { kind: 'unknown-name', what: 'attack', name: args.attack, known }, 'invalid');
    }
  }
  let host: HostDef | undefined;
  const hosts = ctx.hosts.all();
  if (args.host !== undefined) {
    host = hosts.find((h) => h.name === args.host);
    const elsewhere = host ? undefined : knownHosts(ctx.hosts).find((h) => h.name === args.host);
    if (elsewhere) {
      // Only in a team's view: a host of another team (or of none) is named as such.
      const owner = ownerOf(config.teams, elsewhere)[0]?.name ?? null;
      const own = hosts.map((h) => h.name);
      return refused(ctx, { kind: 'foreign-host', host: elsewhere.name, owner, team: config.team, own }, 'invalid');
    }
    if (!host) {
      const known = hosts.map((h) => h.name);
      return refused(ctx, { kind: 'unknown-name', what: 'host', name: args.host, known }, 'invalid');
    }
  }
  if (attack && host) {
    // A named pair that cannot work is refused at once, before the health gate is asked.
    const fit = pickRequested(config.attacks, hosts, { attack, host }, () => 0);
    if (fit.kind === 'none') return refused(ctx, { kind: 'refused', refusal: fit.refusal }, 'refused');
  }
  if (attack && args.params) {
    // Out of bounds, unknown or not in the list: refused here, before anything is admitted.
    const checked = checkParams(attack, args.params);
    if (!checked.ok) return refused(ctx, { kind: 'bad-params', problem: checked.problem }, 'invalid');
  }
  return { ok: true, attack, host };
}

function notStarted(ctx: Pick<AppContext, 'runner'>, launched: Extract<LaunchResult, { ok: false }>): RunOnceAnswer {
  const inFlight = launched.refusal.kind === 'in-flight' ? inFlightOf(ctx) : [];
  return { kind: 'not-started', refusal: launched.refusal, record: launched.record ?? null, inFlight };
}
