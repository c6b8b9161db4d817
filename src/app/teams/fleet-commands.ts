import type { TeamConfig } from '../../config/config.js';
import { parseCommand } from '../../domain/command-parser.js';
import { teamScope } from '../../domain/team-scope.js';
import type { Authorizer, Inbound, Reply } from '../../ports/chat.js';
import { fleetAnswerText } from '../../words/command-replies.js';
import type { Bot } from '../bot.js';
import { auditCommand } from '../commands/commands.js';
import { statusLine } from '../commands/status.js';
import type { AppContext } from '../context.js';

export interface TeamBot {
  readonly team: TeamConfig;
  readonly bot: Bot;
}

interface Routing {
  readonly teams: readonly TeamBot[];
  readonly byName: ReadonlyMap<string, TeamBot>;
  readonly byChannel: ReadonlyMap<string, string>;
  readonly root: Bot;
  readonly multi: boolean;
  /** The global admins only: who may `start all`. */
  readonly deps: Pick<AppContext, 'clock' | 'logger' | 'store'> & { readonly globalAuthorizer: Authorizer };
}

/** `[payments] …` on every line a team answered, when the bot serves several teams. */
function labelled(r: Routing, team: string, reply: Reply): Reply {
  return r.multi ? { ...reply, text: `[${team}] ${reply.text}` } : reply;
}

function joined(replies: readonly Reply[], head: string): Reply {
  return { text: [head, ...replies.map((x) => x.text)].join('\n') };
}

/**
 * Routes a command to the team it names or was said in. Without a team: `stop` halts every team
 * (a stop never asks a question back), `status` lists every team, `start` and `run-once` ask which
 * team; the rest (history, attacks, hosts, report, help) answer over every team.
 */
export async function fleetCommand(r: Routing, inbound: Inbound): Promise<Reply> {
  const names = r.teams.map((t) => t.team.name);
  const channelTeam = inbound.channel === undefined ? undefined : r.byChannel.get(inbound.channel);
  let scope = teamScope(inbound.text, names, channelTeam);
  if (!r.multi && scope.kind === 'all' && names[0] !== undefined) scope = { kind: 'team', team: names[0], text: scope.text };
  const forwarded = { ...inbound, text: scope.text };
  if (scope.kind === 'team') {
    const t = r.byName.get(scope.team);
    if (t) return labelled(r, t.team.name, await t.bot.handle(forwarded));
  }
  const cmd = parseCommand(scope.text);
  switch (cmd.kind) {
    case 'stop': {
      // Every team's latch is set before the first await of any of them: nothing can start between.
      const replies = r.teams.map((t) => t.bot.handle(forwarded).then((reply) => labelled(r, t.team.name, reply)));
      return joined(await Promise.all(replies), fleetAnswerText({ kind: 'stop-all', teams: names }));
    }
    case 'start':
      if (scope.kind === 'all') return startAll(r, inbound, forwarded);
      return asked(r, inbound, 'start', names);
    case 'run-once':
      return asked(r, inbound, 'run-once', names);
    case 'status': {
      const head = fleetAnswerText({ kind: 'status-all', count: r.teams.length });
      return audited(r, inbound, 'status', { text: [head, ...r.teams.map((t) => statusLine(t.bot.context))].join('\n') });
    }
    case 'help': {
      const reply = await r.root.handle(forwarded);
      if (!r.multi) return reply;
      return { ...reply, text: `${reply.text}\n${fleetAnswerText({ kind: 'help-teams', teams: names })}` };
    }
    default:
      return r.root.handle(forwarded);
  }
}

async function startAll(r: Routing, inbound: Inbound, forwarded: Inbound): Promise<Reply> {
  if (!(await r.deps.globalAuthorizer.isAdmin(inbound.actor))) {
    return audited(
      r,
      inbound,
      'start',
      { text: fleetAnswerText({ kind: 'not-global-admin', admins: r.deps.globalAuthorizer.describeAdmins() }), ephemeral: true },
      'refused',
    );
  }
  const replies = await Promise.all(r.teams.map(async (t) => labelled(r, t.team.name, await t.bot.handle(forwarded))));
  return joined(replies, fleetAnswerText({ kind: 'start-all' }));
}

/** Which team a `start` or `run-once` said without one is for: asked back, to the asker alone. */
function asked(r: Routing, inbound: Inbound, command: 'start' | 'run-once', teams: readonly string[]): Reply {
  const text = fleetAnswerText({ kind: 'which-team', command, teams });
  return audited(r, inbound, command, { text, ephemeral: true }, 'invalid');
}

/** The fleet's own answers are audited like every command (with no team). */
function audited(r: Routing, inbound: Inbound, command: string, reply: Reply, outcome = 'ok'): Reply {
  auditCommand(r.deps, inbound, command, outcome, reply);
  return reply;
}
