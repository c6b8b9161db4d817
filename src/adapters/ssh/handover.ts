import type { ClientChannel } from 'ssh2';
import type { Cancel, Timers } from '../../ports/timers.js';
import type { Connection } from './connection.js';

/**
 * Passed pre-flights, by attack id: the connection and the channel whose shell waits for the
 * wrapper, until the start takes them or `keepMs` passes (then closing them ends that shell). A
 * start for the same id but another route (host, port, user, jump) never takes them.
 */
export class HandoverShelf {
  private readonly kept = new Map<
    string,
    { route: string; conn: Connection; channel: ClientChannel; carries: string; cancel: Cancel; open: boolean }
  >();

  constructor(
    private readonly timers: Timers,
    private readonly keepMs: number,
  ) {}

  /** Keeps the pre-flight's connection and waiting channel for the start of `id`; `carries` is what its shell will run on the go line. */
  keep(id: string, route: string, conn: Connection, channel: ClientChannel, carries = ''): void {
    this.kept.get(id)?.conn.close();
    const cancel = this.timers.after(this.keepMs, () => {
      if (this.kept.get(id)?.conn === conn) this.kept.delete(id);
      conn.close();
    });
    const entry = { route, conn, channel, carries, cancel, open: true };
    channel.once('close', () => {
      entry.open = false;
    });
    this.kept.set(id, entry);
  }

  /**
   * The kept connection and channel for `id` on this route, still open and carrying `carries` (when
   * given); else null (and it is closed: its shell then ends with nothing run).
   */
  take(id: string, route: string, carries?: string): { readonly conn: Connection; readonly channel: ClientChannel } | null {
    const entry = this.kept.get(id);
    if (!entry) return null;
    this.kept.delete(id);
    entry.cancel();
    const same = carries === undefined || entry.carries === carries;
    if (entry.open && entry.conn.isOpen() && entry.route === route && same) return entry;
    entry.conn.close();
    return null;
  }

  /** Forgets everything kept (the executor closes the connections itself). */
  clear(): void {
    for (const entry of this.kept.values()) entry.cancel();
    this.kept.clear();
  }
}
