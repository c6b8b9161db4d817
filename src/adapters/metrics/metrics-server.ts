import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { CodedError } from '../../ports/errors.js';
import { answerProbe, type ReadinessProbe } from '../system/http-probes.js';

export interface MetricsServer {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  close(): Promise<void>;
}

/** Errors of the metrics endpoint carry a stable code; the cause is the socket error. */
export class MetricsError extends CodedError<'METRICS_LISTEN'> {}

const TEXT = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };

async function answer(
  registry: Registry,
  req: IncomingMessage,
  res: ServerResponse,
  logger?: Logger,
  readiness?: ReadinessProbe,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path !== '/metrics' && path !== '/healthz' && path !== '/readyz') {
    res.writeHead(404, TEXT).end('Not found. Metrics are at /metrics; /healthz and /readyz answer probes.\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...TEXT, allow: 'GET, HEAD' }).end('Method not allowed.\n');
    return;
  }
  if (path !== '/metrics') {
    answerProbe(path, readiness, req.method === 'HEAD', res);
    return;
  }
  try {
    const body = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (error) {
    logger?.error({ err: error }, 'metrics: cannot collect');
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Cannot collect metrics.\n');
  }
}

/**
 * The Prometheus text endpoint GET /metrics, the liveness probe GET /healthz (200 while the process
 * answers) and the readiness probe GET /readyz (200 when `readiness` says ready, else 503 and why);
 * 404 elsewhere. Side effects: listens on host:port (127.0.0.1 by default: the numbers are not
 * secret, but nothing outside needs to reach the bot); /readyz runs `readiness`.
 */
export function serveMetrics(
  registry: Registry,
  port: number,
  host: string,
  logger?: Logger,
  readiness?: ReadinessProbe,
): Promise<MetricsServer> {
  const server = createServer((req, res) => void answer(registry, req, res, logger, readiness));
  return new Promise((resolve, reject) => {
    server.once('error', (error) => {
      reject(new MetricsError('METRICS_LISTEN', `cannot serve metrics on ${host}:${port}: ${error.message}`, { cause: error }));
    });
    server.listen(port, host, () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
