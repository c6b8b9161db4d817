import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { ControlHandler } from '../adapters/control/control-server.js';
import { admitPipeline, awaitVerdict, interruptPipeline } from '../app/commands/pipeline-run.js';
import type { Fleet } from '../app/teams/fleet.js';
import { errorMessage } from '../ports/errors.js';
import { fail, readConfig } from './cli.js';

export const PIPELINE_USAGE = `Usage: chaoscat run-once ATTACK [HOST] [NAME=VALUE…] [--wait] [--json] [--team NAME] [--config PATH]
  asks the running bot through its control socket (control.socket, default chaoscat.sock beside the database)
  --wait   wait for the verdict; Ctrl-C (SIGINT/SIGTERM) is a stop for the attack (it also halts the team)
  --json   print the attack record as JSON
Exit: 0 held or recovered, 1 no running bot or a runtime failure, 2 usage, 3 not recovered,
      4 refused (halted, in flight, outside business hours, health, cannot hear stop), 5 failed`;

interface Line {
  readonly kind: 'admitted' | 'result';
  readonly code?: number;
  readonly id?: string;
  readonly message: string;
  readonly record?: unknown;
}

/** `chaoscat run-once …`: a pipeline step; it never starts a bot. */
export async function pipelineStep(argv: readonly string[]): Promise<void> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    fail(`${errorMessage(error)}\n${PIPELINE_USAGE}`, 2);
  }
  if (parsed.values.help) {
    process.stdout.write(`${PIPELINE_USAGE}\n`);
    return;
  }
  const [command, attack, ...rest] = parsed.positionals;
  if (command !== 'run-once' || !attack) fail(`expected an attack: run-once ATTACK\n${PIPELINE_USAGE}`, 2);
  const params: Record<string, string> = {};
  let host: string | undefined;
  for (const word of rest) {
    const eq = word.indexOf('=');
    if (eq > 0) params[word.slice(0, eq)] = word.slice(eq + 1);
    else if (host === undefined && Object.keys(params).length === 0) host = word;
    else fail(`unexpected "${word}": HOST comes once, before NAME=VALUE\n${PIPELINE_USAGE}`, 2);
  }
  const config = readConfig(parsed.values.config ? ['--config', parsed.values.config] : []);
  const path = config.controlSocket ?? '';
  if (!existsSync(path)) fail(`no running bot at ${path}`, 1);
  const request = {
    op: 'run-once',
    attack,
    host,
    params,
    team: parsed.values.team,
    user: userInfo().username,
    wait: parsed.values.wait === true,
  };
  const code = await ask(path, request, parsed.values.json === true);
  process.exit(code);
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      wait: { type: 'boolean' },
      json: { type: 'boolean' },
      team: { type: 'string' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** Sends the request, prints what comes back; a signal closes the connection, which the bot takes as a stop. */
function ask(path: string, request: object, json: boolean): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(path);
    let buffer = '';
    let code: number | null = null;
    const onSignal = (signal: NodeJS.Signals) => {
      process.stderr.write(`chaoscat: ${signal}: stopping the attack\n`);
      code = 130;
      socket.destroy();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('error', (error) => {
      process.stderr.write(`chaoscat: no running bot at ${path} (${error.message})\n`);
      code ??= 1;
    });
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = JSON.parse(buffer.slice(0, nl)) as Line;
        buffer = buffer.slice(nl + 1);
        if (line.kind === 'admitted') {
          process.stderr.write(`chaoscat: ${line.message}\n`);
          if (!(request as { wait: boolean }).wait) {
            if (json) process.stdout.write(`${JSON.stringify(line.record ?? null)}\n`);
            else process.stdout.write(`${line.id}\n`);
            code = 0;
          }
        } else {
          code = line.code ?? 1;
          if (json) process.stdout.write(`${JSON.stringify(line.record ?? null)}\n`);
          else process.stdout.write(`${line.message}\n`);
        }
      }
    });
    socket.on('close', () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(code ?? 1);
    });
  });
}

/** The bot's side: a team by name, else the only team (several teams need --team). */
export function controlHandler(fleet: () => Fleet | null): ControlHandler {
  const team = (name: string | undefined) => {
    const f = fleet();
    if (!f) return null;
    if (name !== undefined) return f.teams.find((t) => t.team.name === name) ?? null;
    return f.teams.length === 1 ? (f.teams[0] ?? null) : null;
  };
  return {
    admit: async (name, req) => {
      const t = team(name);
      if (!t) return { code: 2, message: name ? `no team ${name}` : 'several teams: say which with --team NAME' };
      return { ...(await admitPipeline(t.bot.context, req)), team: t.team.name };
    },
    wait: (name, id) => {
      const t = team(name);
      if (!t) return { done: Promise.resolve({ code: 1, message: 'the team is gone' }), cancel: () => {} };
      return awaitVerdict(t.bot.context, id);
    },
    interrupt: (name, user) => {
      const t = team(name);
      return t ? interruptPipeline(t.bot.context, user) : 'no team';
    },
  };
}
