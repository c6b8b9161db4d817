import type { ClientChannel } from 'ssh2';
import type { Timers } from '../../ports/timers.js';
import { systemTimers } from '../system/timers.js';
import type { Connection } from './connection.js';
import { SshError } from './errors.js';
import { LineSplitter } from './protocol.js';
import { TailBuffer } from './tail-buffer.js';

/** The pre-flight's last line; a pre-flight that passed then waits for the wrapper on its stdin. */
export const PREFLIGHT_DONE = 'CHAOSCAT_PREFLIGHT=done';

export interface PreflightRun {
  readonly lines: readonly string[];
  readonly stderr: string;
  readonly code: number | null;
  readonly signal: string | null;
  /**
   * The channel, paused, when the done line came and it is still open: a passed pre-flight's shell
   * now waits for the wrapper on it (the start sends it as one base64 line). Null once it closed.
   */
  readonly channel: ClientChannel | null;
}

/**
 * Runs the pre-flight and reads its lines up to the done line. It does not wait for the channel to
 * close: a pre-flight that passed keeps its shell waiting for the start, on this same channel.
 * A pre-flight that has not printed its done line after `timeoutMs` is abandoned with SSH_TIMEOUT.
 */
export async function runPreflight(
  conn: Connection,
  command: string,
  timeoutMs: number,
  timers: Timers = systemTimers,
): Promise<PreflightRun> {
  const channel = await conn.exec(command);
  const splitter = new LineSplitter();
  const lines: string[] = [];
  const stderr = new TailBuffer(16_384);
  let code: number | null = null;
  let signal: string | null = null;
  return new Promise((resolve, reject) => {
    const detach = () => {
      cancel();
      channel.removeListener('data', onData);
      channel.stderr.removeListener('data', onStderr);
      channel.removeListener('exit', onExit);
      channel.removeListener('close', onClose);
    };
    const cancel = timers.after(timeoutMs, () => {
      detach();
      channel.close();
      reject(
        new SshError('SSH_TIMEOUT', `${conn.host}: the pre-flight did not finish within ${Math.round(timeoutMs / 1000)} s`, {
          host: conn.host,
        }),
      );
    });
    const onData = (chunk: Buffer) => {
      for (const line of splitter.push(chunk)) {
        lines.push(line);
        if (line !== PREFLIGHT_DONE) continue;
        detach();
        // Whatever comes next belongs to the start: nothing may flow until it listens.
        channel.pause();
        channel.stderr.pause();
        resolve({ lines, stderr: stderr.text(), code, signal, channel });
        return;
      }
    };
    const onStderr = (chunk: Buffer) => stderr.push(chunk);
    const onExit = (exitCode: number | null, exitSignal?: string) => {
      code = exitCode ?? null;
      signal = exitSignal ?? null;
    };
    const onClose = () => {
      detach();
      resolve({ lines, stderr: stderr.text(), code, signal, channel: null });
    };
    channel.on('data', onData);
    channel.stderr.on('data', onStderr);
    channel.on('exit', onExit);
    channel.on('close', onClose);
  });
}
