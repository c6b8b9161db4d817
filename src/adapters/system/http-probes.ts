import type { ServerResponse } from 'node:http';
import type { Readiness } from '../../domain/readiness.js';

/** Readiness as the composition root computes it; evaluated on every GET /readyz. Never throws. */
export type ReadinessProbe = () => Readiness;

export const PROBE_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

const TEXT = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };

/**
 * Answers a probe, on the metrics port and on the archive's port alike. /healthz: 200 while the
 * process answers. /readyz: 200 or 503 with the reasons as JSON (probes read the status, people the
 * body). Without a readiness probe wired, not ready (fail closed).
 */
export function answerProbe(path: string, readiness: ReadinessProbe | undefined, head: boolean, res: ServerResponse): void {
  if (path === '/healthz') {
    res.writeHead(200, TEXT).end(head ? undefined : 'ok\n');
    return;
  }
  const r: Readiness = readiness ? readiness() : { ready: false, reasons: ['readiness is not wired in this process'] };
  const body = `${JSON.stringify(r)}\n`;
  res.writeHead(r.ready ? 200 : 503, { ...TEXT, 'content-type': 'application/json' }).end(head ? undefined : body);
}
