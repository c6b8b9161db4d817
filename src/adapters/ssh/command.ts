import type { Timers } from '../../ports/timers.js';
import { systemTimers } from '../system/timers.js';
import type { Connection } from './connection.js';
import { SshError } from './errors.js';
import { TailBuffer } from './tail-buffer.js';

export interface CommandResult {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a short command to its end (pre-flight, halt) with `input` (default none) on stdin, then stdin closed. Output is bounded; a command
 * still running after `timeoutMs` is abandoned (its channel closed) with SSH_TIMEOUT.
 */
export async function runCommand(
  conn: Connection,
  command: string,
  timeoutMs: number,
  input = '',
  timers: Timers = systemTimers,
): Promise<CommandResult> {
  const channel = await conn.exec(command);
  const stdout = new TailBuffer(65_536);
  const stderr = new TailBuffer(16_384);
  let code: number | null = null;
  let signal: string | null = null;
  return new Promise((resolve, reject) => {
    const cancel = timers.after(timeoutMs, () => {
      channel.close();
      reject(
        new SshError('SSH_TIMEOUT', `${conn.host}: the command did not finish within ${Math.round(timeoutMs / 1000)} s`, {
          host: conn.host,
        }),
      );
    });
    channel.on('data', (chunk: Buffer) => stdout.push(chunk));
    channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    channel.on('exit', (exitCode: number | null, exitSignal?: string) => {
      code = exitCode ?? null;
      signal = exitSignal ?? null;
    });
    channel.on('close', () => {
      cancel();
      resolve({ code, signal, stdout: stdout.text(), stderr: stderr.text() });
    });
    channel.end(input);
  });
}
