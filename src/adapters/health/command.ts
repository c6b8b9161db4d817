import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type * as z from 'zod';
import type { commandProviderSchema } from '../../config/health-schema.js';
import { healthy, type Provider, unhealthy, unreadable, type Verdict } from './provider.js';

export type CommandProviderConfig = z.infer<typeof commandProviderSchema>;

/** Kept from each output stream, for the reason. */
const TAIL_BYTES = 4096;
const REASON_TAIL_CHARS = 160;
/** After the child exits, how long to wait for its pipes (a backgrounded grandchild may hold them). */
const PIPE_GRACE_MS = 250;

/**
 * `command`: runs an argv list (no shell) and is healthy on exit 0. The child runs in its own
 * process group; when the timeout aborts the probe, that group (and only it) is killed.
 */
export function commandProvider(config: CommandProviderConfig, name: string): Provider {
  return {
    name,
    kind: 'command',
    timeoutMs: config.timeout,
    secretEnv: [],
    probe: ({ signal, env }) => run(config.command, config.cwd, env, signal),
  };
}

function run(argv: readonly string[], cwd: string | undefined, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<Verdict> {
  const [file = '', ...args] = argv;
  return new Promise<Verdict>((resolve) => {
    if (signal.aborted) return resolve(unhealthy('aborted before start'));
    let settled = false;
    let graceTimer: NodeJS.Timeout | undefined;
    const stdout = new Tail(TAIL_BYTES);
    const stderr = new Tail(TAIL_BYTES);
    const child = spawn(file, args, { cwd, env, shell: false, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });

    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const onAbort = (): void => {
      killGroup();
      finish(unhealthy('killed after its timeout'));
    };
    const finish = (verdict: Verdict): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (graceTimer) clearTimeout(graceTimer);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve(verdict);
    };
    signal.addEventListener('abort', onAbort, { once: true });

    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => finish(unreadable(spawnFailure(file, cwd, error))));
    const onEnd = (code: number | null, sig: NodeJS.Signals | null): void => {
      finish(exitVerdict(code, sig, stderr.text() || stdout.text()));
    };
    child.on('close', onEnd);
    child.on('exit', (code, sig) => {
      // Real time on purpose: a grace for the child's pipes to drain after it exits (real I/O),
      // which the bot's injected timers, stepped by tests, would never let pass.
      graceTimer = setTimeout(() => onEnd(code, sig), PIPE_GRACE_MS);
      graceTimer.unref();
    });
  });
}

function exitVerdict(code: number | null, sig: NodeJS.Signals | null, output: string): Verdict {
  const tail = lastWords(output);
  if (code === 0) return healthy('exit 0');
  const how = code !== null ? `exit ${code}` : `killed by ${sig ?? 'a signal'}`;
  return unhealthy(tail ? `${how}: ${tail}` : how);
}

function spawnFailure(file: string, cwd: string | undefined, error: NodeJS.ErrnoException): string {
  // A missing working directory also surfaces as ENOENT.
  if (error.code === 'ENOENT' && cwd !== undefined && !existsSync(cwd)) return `working directory not found: ${cwd}`;
  if (error.code === 'ENOENT') return `command not found: ${file}`;
  if (error.code === 'EACCES') return `not executable: ${file}`;
  return `cannot run ${file}: ${error.code ?? 'spawn failed'}`;
}

/** The end of the output on one line, trimmed to fit a chat message. */
function lastWords(output: string): string {
  const flat = output.replace(/\s+/g, ' ').trim();
  return flat.length > REASON_TAIL_CHARS ? `...${flat.slice(-(REASON_TAIL_CHARS - 3))}` : flat;
}

/** Keeps only the last `limit` bytes written to it. */
class Tail {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - (this.chunks[0]?.length ?? 0) >= this.limit && this.chunks.length > 1) {
      this.size -= this.chunks.shift()?.length ?? 0;
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.limit)).toString('utf8');
  }
}
