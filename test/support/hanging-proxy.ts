import net from 'node:net';

/**
 * A TCP proxy in front of one sshd: it forwards both ways until `hang()`, then holds every byte
 * (a hung host: the connection stays open, nothing goes through) until `release()` flushes them.
 */
export interface HangingProxy {
  readonly port: number;
  hang(): void;
  release(): void;
  close(): Promise<void>;
}

export async function hangingProxy(upstreamPort: number): Promise<HangingProxy> {
  let hung = false;
  const held: (() => void)[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const pass = (from: net.Socket, to: net.Socket) =>
      from.on('data', (chunk) => {
        if (hung) held.push(() => to.write(chunk));
        else to.write(chunk);
      });
    pass(client, upstream);
    pass(upstream, client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    hang: () => {
      hung = true;
    },
    release: () => {
      hung = false;
      for (const write of held.splice(0)) write();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
