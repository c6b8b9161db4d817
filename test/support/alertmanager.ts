import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deferCleanup, tempDir } from './cleanup.js';
import { isReady, killAndWait } from './daemon.js';
import { eventually } from './eventually.js';
import { freePort } from './http-servers.js';

/** Where the Debian package prometheus-alertmanager installs the binary. */
export const ALERTMANAGER_BIN = process.env.ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager';

export function alertmanagerAvailable(): boolean {
  return existsSync(ALERTMANAGER_BIN);
}

export interface Alert {
  readonly labels: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly startsAt?: string;
  readonly endsAt?: string;
}

export interface AmAlert {
  readonly labels: Record<string, string>;
  readonly status: { readonly state: string; readonly silencedBy: string[] };
  readonly endsAt?: string;
}

export interface RealAlertmanager {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly pid: number;
  /** Posts alerts through its own API (`POST /api/v2/alerts`). */
  postAlerts(alerts: readonly Alert[]): Promise<void>;
  /** Creates a silence for exact label matches; returns its id. */
  silence(labels: Record<string, string>): Promise<string>;
  /** All alerts it knows, whatever their state. */
  alerts(): Promise<AmAlert[]>;
  /** Polls the API until `predicate` holds for the alert list (or throws after `timeoutMs`). */
  waitFor(predicate: (alerts: AmAlert[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Stops the process we started (by its PID) and removes its temp directory. Safe to call twice; done after the test file anyway. */
  stop(): Promise<void>;
}

const CONFIG = `route:
  receiver: blackhole
  group_wait: 1h
  group_interval: 1h
  repeat_interval: 24h
receivers:
  - name: blackhole
`;

/**
 * Starts a real Alertmanager on a free loopback port with a temp config and storage, clustering off,
 * and waits until /-/ready answers. Retries on another port if the chosen one was taken meanwhile.
 */
export async function startAlertmanager(): Promise<RealAlertmanager> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce();
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOnce(): Promise<RealAlertmanager> {
  const dir = tempDir('chaoscat-am-');
  const configFile = join(dir, 'alertmanager.yml');
  await writeFile(configFile, CONFIG);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    ALERTMANAGER_BIN,
    [
      `--config.file=${configFile}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const pid = child.pid;
  if (pid === undefined) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`could not start ${ALERTMANAGER_BIN}`);
  }

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await killAndWait(child, () => exited);
    await rm(dir, { recursive: true, force: true });
  };
  deferCleanup(stop);

  const giveUp = () => (exited ? 'it exited during start-up' : undefined);
  await eventually(() => isReady(url), 'alertmanager to be ready', { timeoutMs: 30_000, everyMs: 100, giveUp }).catch(
    async (error: Error) => {
      await stop();
      throw new Error(`${error.message}:\n${stderr}`);
    },
  );

  const api = async (path: string, init?: RequestInit): Promise<Response> => {
    const res = await fetch(`${url}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: HTTP ${res.status} ${await res.text()}`);
    return res;
  };
  const alerts = async (): Promise<AmAlert[]> => (await (await api('/api/v2/alerts')).json()) as AmAlert[];

  return {
    url,
    pid,
    stop,
    alerts,
    async postAlerts(list) {
      await api('/api/v2/alerts', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(list),
      });
    },
    async silence(labels) {
      const now = Date.now();
      const res = await api('/api/v2/silences', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          matchers: Object.entries(labels).map(([name, value]) => ({ name, value, isRegex: false, isEqual: true })),
          startsAt: new Date(now - 60_000).toISOString(),
          endsAt: new Date(now + 3_600_000).toISOString(),
          createdBy: 'chaoscat-tests',
          comment: 'test silence',
        }),
      });
      return ((await res.json()) as { silenceID: string }).silenceID;
    },
    async waitFor(predicate, what, timeoutMs = 20_000) {
      await eventually(async () => predicate(await alerts()), `alertmanager to show ${what}`, { timeoutMs, everyMs: 100 });
    },
  };
}
