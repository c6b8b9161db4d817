import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { errorMessage } from '../../ports/errors.js';
import type { PipelineAnswer, PipelineRequest } from '../../ports/pipeline.js';

/**
 * The local control socket: one JSON line in (a pipeline step's request), JSON lines out
 * (`admitted`, then `result`). Mode 0600 in the bot user's name: whoever can connect is the bot's
 * own user, so the request is trusted as an admin's. Nothing read here reaches a shell.
 */
export interface ControlHandler {
  /** Admission: the record when admitted, else a refusal code. */
  admit(team: string | undefined, req: PipelineRequest): Promise<PipelineAnswer & { team?: string }>;
  /** Waits for the verdict of an admitted attack. */
  wait(team: string | undefined, id: string): { done: Promise<PipelineAnswer>; cancel: () => void };
  /** The step went away before the end: a stop. */
  interrupt(team: string | undefined, user: string): string;
}

export interface ControlRequest extends PipelineRequest {
  readonly wait: boolean;
  readonly team?: string | undefined;
}

const MAX_LINE = 64 * 1024;

function parseRequest(line: string): ControlRequest | string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return 'expected one JSON line';
  }
  if (typeof v !== 'object' || v === null) return 'expected a JSON object';
  const o = v as Record<string, unknown>;
  if (o.op !== 'run-once') return 'expected op "run-once"';
  if (typeof o.attack !== 'string' || o.attack === '') return 'expected attack: a name';
  if (o.host !== undefined && typeof o.host !== 'string') return 'expected host: a name';
  if (o.team !== undefined && typeof o.team !== 'string') return 'expected team: a name';
  if (typeof o.user !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(o.user)) return 'expected user: a login name';
  const params: Record<string, string> = {};
  if (typeof o.params !== 'object' || o.params === null) return 'expected params: an object';
  for (const [k, val] of Object.entries(o.params)) {
    if (typeof val !== 'string') return `expected params.${k}: a string`;
    params[k] = val;
  }
  return {
    attack: o.attack,
    host: o.host as string | undefined,
    team: o.team as string | undefined,
    user: o.user,
    params,
    wait: o.wait === true,
  };
}

function send(socket: Socket, message: object): void {
  if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`);
}

async function serve(socket: Socket, handler: ControlHandler, logger: Logger, line: string): Promise<void> {
  const req = parseRequest(line);
  if (typeof req === 'string') {
    send(socket, { kind: 'result', code: 2, message: req });
    socket.end();
    return;
  }
  // Every await is a window: a step interrupted while its attack was being admitted still stops it.
  let gone = false;
  socket.once('close', () => {
    gone = true;
  });
  const admitted = await handler.admit(req.team, req);
  const id = admitted.record?.id;
  if (admitted.code !== 0 || id === undefined) {
    send(socket, { kind: 'result', code: admitted.code, message: admitted.message, record: admitted.record });
    socket.end();
    return;
  }
  send(socket, { kind: 'admitted', id, message: admitted.message, record: admitted.record });
  if (!req.wait) {
    socket.end();
    return;
  }
  const team = admitted.team ?? req.team;
  const interrupted = () => {
    const said = handler.interrupt(team, req.user);
    logger.warn({ id, user: req.user }, `pipeline step went away: ${said}`);
  };
  if (gone) {
    interrupted();
    return;
  }
  const waiting = handler.wait(team, id);
  let over = false;
  socket.on('close', () => {
    if (over) return;
    waiting.cancel();
    interrupted();
  });
  const result = await waiting.done;
  over = true;
  send(socket, { kind: 'result', code: result.code, message: result.message, record: result.record });
  socket.end();
}

export async function startControlServer(path: string, handler: ControlHandler, logger: Logger): Promise<Server> {
  // The database lock keeps a second bot out, so a socket file left here is a dead bot's.
  if (existsSync(path)) unlinkSync(path);
  const server = createServer((socket) => {
    let buffer = '';
    socket.setEncoding('utf8');
    const onData = (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_LINE) {
        socket.destroy();
        return;
      }
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      socket.off('data', onData);
      serve(socket, handler, logger, buffer.slice(0, nl)).catch((error) => {
        logger.error({ err: error }, 'control request failed');
        send(socket, { kind: 'result', code: 1, message: `error: ${errorMessage(error)}` });
        socket.end();
      });
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
  });
  const old = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
  } finally {
    process.umask(old);
  }
  chmodSync(path, 0o600);
  return server;
}
