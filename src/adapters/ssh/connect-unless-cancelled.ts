import { startCancelled } from '../../ports/executor.js';
import type { Connection } from './connection.js';

/**
 * A stop while the connection is still being made settles the start at once: nothing was sent to
 * the host, so nothing can run there; the connection, if it is made after all, is closed unused.
 */
export function connectUnlessCancelled(connecting: Promise<Connection>, host: string, signal?: AbortSignal): Promise<Connection> {
  if (!signal) return connecting;
  if (signal.aborted) {
    void connecting.then(
      (c) => c.close(),
      () => {},
    );
    return Promise.reject(startCancelled(host));
  }
  return new Promise<Connection>((resolve, reject) => {
    const onAbort = () => {
      void connecting.then(
        (c) => c.close(),
        () => {},
      );
      reject(startCancelled(host));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    connecting.then(
      (c) => {
        signal.removeEventListener('abort', onAbort);
        if (!signal.aborted) resolve(c);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
