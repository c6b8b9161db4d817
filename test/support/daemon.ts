import type { ChildProcess } from 'node:child_process';

/** What the test daemons (Alertmanager, Prometheus) share: a readiness probe and a clean stop. */

/** Whether the Prometheus-family daemon at `url` answers 200 on /-/ready. */
export async function isReady(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2_000) });
    await res.body?.cancel();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after 5 s if it is still there; resolves once it has exited. */
export async function killAndWait(child: ChildProcess, hasExited: () => boolean): Promise<void> {
  if (hasExited()) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (!hasExited()) child.kill('SIGKILL');
  }, 5_000);
  await gone;
  clearTimeout(timer);
}
