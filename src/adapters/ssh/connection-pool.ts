import type { ClientChannel } from 'ssh2';
import type { Cancel, Timers } from '../../ports/timers.js';
import { systemTimers } from '../system/timers.js';
import type { Connection } from './connection.js';

/** How long an idle connection to a host is kept for the next attack or halt there. */
export const IDLE_MS = 15 * 60_000;

/**
 * Idle SSH connections, kept per route after an attack or a halt is done with them, so the next
 * pre-flight, start or halt on that host skips the handshake (the largest share of a dispatch). A
 * connection goes back only when none of its channels is still open; one kept longer than IDLE_MS
 * is closed. Dead ones are dropped when taken (ssh2's keepalive closes a connection whose host
 * stopped answering). Side effects: holds sockets open, closes them.
 */
export class ConnectionPool {
  private readonly idle = new Map<string, { conn: Connection; cancel: Cancel }[]>();

  constructor(
    private readonly idleMs = IDLE_MS,
    private readonly timers: Timers = systemTimers,
  ) {}

  /** An open idle connection for `route`, or null. */
  take(route: string): Connection | null {
    const list = this.idle.get(route);
    while (list && list.length > 0) {
      const entry = list.pop();
      if (!entry) break;
      entry.cancel();
      if (entry.conn.isOpen()) return entry.conn;
      entry.conn.close();
    }
    return null;
  }

  /** Keeps `conn` for `route` if it is open and idle; closes it otherwise. */
  give(route: string, conn: Connection, openChannels: number): void {
    if (!conn.isOpen() || openChannels > 0) {
      conn.close();
      return;
    }
    const list = this.idle.get(route) ?? [];
    const cancel = this.timers.after(this.idleMs, () => {
      const at = list.findIndex((e) => e.conn === conn);
      if (at >= 0) list.splice(at, 1);
      conn.close();
    });
    list.push({ conn, cancel });
    this.idle.set(route, list);
    void conn.closed.then(() => {
      const at = list.findIndex((e) => e.conn === conn);
      if (at >= 0) {
        list[at]?.cancel();
        list.splice(at, 1);
      }
    });
  }

  closeAll(): void {
    for (const list of this.idle.values())
      for (const e of list.splice(0)) {
        e.cancel();
        e.conn.close();
      }
  }
}

/**
 * A lease on a connection: the same connection, whose `close()` hands it back to the pool instead
 * (when none of the channels opened through the lease is still open). `discard()` really closes it.
 */
export function lease(conn: Connection, giveBack: (conn: Connection, openChannels: number) => void): Connection {
  let open = 0;
  let released = false;
  return {
    host: conn.host,
    closed: conn.closed,
    isOpen: () => !released && conn.isOpen(),
    async exec(command: string): Promise<ClientChannel> {
      const channel = await conn.exec(command);
      open += 1;
      channel.once('close', () => {
        open -= 1;
      });
      return channel;
    },
    close() {
      if (released) return;
      released = true;
      giveBack(conn, open);
    },
  };
}
