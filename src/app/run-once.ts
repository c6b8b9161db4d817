import { formatDuration } from '../domain/duration.js';
import type { AttackDef, HostDef } from '../domain/model.js';
import { eligibleHosts, pickUniform, pickWeighted } from '../domain/picker.js';
import { haltReason, healthSkip } from '../domain/policy.js';
import type { Reply } from '../ports/chat.js';
import type { AppContext } from './context.js';
import { attackLine } from './format.js';

function known(names: readonly string[]): string {
  return names.length ? names.join(', ') : '(none configured)';
}

/** Explains an unknown name, calling out look-alike characters that would otherwise hide. */
export function unknownName(kind: 'attack' | 'host', name: string, names: readonly string[]): string {
  const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  const lookalike = /[^\x20-\x7E]/.test(name) ? ' (it contains non-ASCII characters)' : '';
  return `Unknown ${kind} "${shown}"${lookalike}. Known ${kind}s: ${known(names)}.`;
}

/**
 * `run-once [ATTACK] [HOST] [--force]`: one attack now. Respects the halt and the one-in-flight
 * rule, not business hours or cooldown. The health gate runs unless an admin forces it.
 */
export async function runOnce(
  ctx: AppContext,
  actor: string,
  args: { attack?: string; host?: string; force: boolean },
): Promise<{ reply: Reply; outcome: string }> {
  const { config } = ctx;
  let attack: AttackDef | undefined;
  if (args.attack !== undefined) {
    attack = config.attacks.find((a) => a.name === args.attack);
    if (!attack)
      return {
        reply: {
          text: unknownName(
            'attack',
            args.attack,
            config.attacks.map((a) => a.name),
          ),
        },
        outcome: 'invalid',
      };
  }
  let host: HostDef | undefined;
  if (args.host !== undefined) {
    host = config.hosts.find((h) => h.name === args.host);
    if (!host)
      return {
        reply: {
          text: unknownName(
            'host',
            args.host,
            config.hosts.map((h) => h.name),
          ),
        },
        outcome: 'invalid',
      };
  }
  const state = ctx.latch.state();
  const halted = haltReason(state, config.timezone);
  if (halted) return { reply: { text: `Not starting: ${halted}. An admin can \`start\` to resume.` }, outcome: 'refused' };
  if (ctx.runner.inFlightCount > 0) {
    const current = ctx.runner.inFlight().map(attackLine).join(', ');
    return { reply: { text: `Not starting: an attack is in flight (${current}). One at a time.` }, outcome: 'refused' };
  }
  const hearing = ctx.ears.hearing();
  if (!hearing.ok) return { reply: { text: `Not starting: cannot hear stop (${hearing.reason}).` }, outcome: 'refused' };

  const rng = () => ctx.random.next();
  if (!attack) {
    // By name, any weight; drawn, weight 0 stays out. With a host named, only attacks that fit it.
    const fitting = config.attacks.filter((a) =>
      host ? eligibleHosts(a, [host]).length > 0 : eligibleHosts(a, config.hosts).length > 0,
    );
    attack = pickWeighted(fitting, (a) => a.weight, rng());
    if (!attack)
      return { reply: { text: 'Not starting: no attack with a weight above 0 fits any configured host.' }, outcome: 'refused' };
  }
  const eligible = eligibleHosts(attack, config.hosts);
  if (host && !eligible.some((h) => h.name === host?.name)) {
    const why = attack.targets.length
      ? `targets tags ${attack.targets.join(', ')}`
      : `needs host vars ${attack.hostVars.join(', ')}`;
    return { reply: { text: `Not starting: ${attack.name} does not run on ${host.name} (it ${why}).` }, outcome: 'refused' };
  }
  host = host ?? pickUniform(eligible, rng());
  if (!host) return { reply: { text: `Not starting: no host matches ${attack.name}.` }, outcome: 'refused' };

  let healthNote = '';
  if (args.force) {
    healthNote = ' Health gate skipped (--force).';
  } else {
    const report = await ctx.health.check();
    try {
      ctx.store.recordHealth(report);
    } catch (error) {
      return {
        reply: { text: `Not starting: cannot record the health check (${(error as Error).message}).` },
        outcome: 'refused',
      };
    }
    const skip = healthSkip(report);
    if (skip) return { reply: { text: `Not starting: ${skip.reason}. An admin may add \`--force\`.` }, outcome: 'refused' };
  }
  const launched = await ctx.runner.launch(attack, host, { kind: 'user', user: actor });
  if (!launched.ok) {
    const id = launched.record ? ` (#${launched.record.id})` : '';
    return { reply: { text: `${attack.name} on ${host.name} did not start${id}: ${launched.reason}` }, outcome: 'error' };
  }
  return {
    reply: {
      text: `Started ${attackLine(launched.record)} for ${formatDuration(attack.durationMs)}.${healthNote} Say \`stop\` to revert it.`,
    },
    outcome: 'ok',
  };
}
