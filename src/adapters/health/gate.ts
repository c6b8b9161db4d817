import type { Logger } from 'pino';
import type { HealthProviderConfig } from '../../config/health-schema.js';
import { formatDuration } from '../../domain/duration.js';
import type { HealthReport, ProviderResult } from '../../domain/model.js';
import type { Clock } from '../../ports/clock.js';
import type { HealthCheck } from '../../ports/health-check.js';
import type { Cancel, Timers } from '../../ports/timers.js';
import { systemTimers } from '../system/timers.js';
import { alertmanagerProvider } from './alertmanager.js';
import { commandProvider } from './command.js';
import { httpProvider } from './http.js';
import { providerNames } from './names.js';
import { pagerdutyProvider } from './pagerduty.js';
import { prometheusProvider } from './prometheus.js';
import { type Provider, unhealthy, type Verdict } from './provider.js';
import { redact, secretValues } from './secrets.js';

export interface HealthGateOptions {
  readonly providers: readonly HealthProviderConfig[];
  readonly clock: Clock;
  readonly logger: Logger;
  /** Where tokenEnv secrets are read from; defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** All providers together must answer within this; a slower one is reported as timed out. */
  readonly gateTimeoutMs: number;
  /** Providers built once and shared with other gates (the global ones, for every team), checked first. */
  readonly shared?: readonly Provider[];
  /** The timeouts' timers (default: the system's); tests step time. */
  readonly timers?: Timers;
}

const MAX_REASON_CHARS = 200;

/** Builds the health gate from config: every provider must pass (see docs/health.md). */
export function createHealthGate(opts: HealthGateOptions): HealthCheck {
  const names = providerNames(opts.providers);
  const providers = opts.providers.map((config, i) => buildProvider(config, names[i] ?? config.kind));
  return gateOf([...(opts.shared ?? []), ...providers], opts);
}

export function buildProvider(config: HealthProviderConfig, name: string): Provider {
  switch (config.kind) {
    case 'http':
      return httpProvider(config, name);
    case 'alertmanager':
      return alertmanagerProvider(config, name);
    case 'prometheus':
      return prometheusProvider(config, name);
    case 'pagerduty':
      return pagerdutyProvider(config, name);
    case 'command':
      return commandProvider(config, name);
  }
}

/**
 * The gate over already-built providers (tests pass fakes here). Providers run concurrently; each is
 * cut off at its own timeout and all at the whole-gate timeout, whether or not they honour the abort
 * signal. check() never throws: anything unexpected is an unhealthy result (fail closed).
 */
export function gateOf(providers: readonly Provider[], opts: Omit<HealthGateOptions, 'providers'>): HealthCheck {
  const { clock, logger, gateTimeoutMs } = opts;
  const timers = opts.timers ?? systemTimers;
  const last = new Map<string, boolean>();

  async function runAll(): Promise<HealthReport> {
    const checkedAt = clock.now();
    if (providers.length === 0) return { healthy: true, checkedAt, results: [] };
    const env = opts.env ?? process.env;
    let cancelGate: Cancel | undefined;
    const gateExpired = new Promise<void>((resolve) => {
      cancelGate = timers.after(gateTimeoutMs, resolve);
    });
    try {
      const results = await Promise.all(providers.map((p) => probeOne(p, env, gateExpired, { clock, timers, gateTimeoutMs })));
      const secrets = secretValues(
        env,
        providers.flatMap((p) => p.secretEnv),
      );
      const clean = results.map((r) => ({ ...r, reason: clip(redact(r.reason, secrets)) }));
      return { healthy: clean.every((r) => r.healthy), checkedAt, results: clean };
    } finally {
      cancelGate?.();
    }
  }

  return {
    async check(): Promise<HealthReport> {
      let report: HealthReport;
      try {
        report = await runAll();
      } catch (error) {
        report = {
          healthy: false,
          checkedAt: safeNow(clock),
          results: [
            {
              name: 'health-gate',
              kind: 'gate',
              healthy: false,
              reason: `health gate failed: ${describe(error)}`,
              durationMs: 0,
            },
          ],
        };
      }
      try {
        logChanges(report, last, logger);
      } catch {
        // Logging must not turn a report into a throw.
      }
      return report;
    },
  };
}

/** One provider, cut off at its own timeout or the gate's, whichever comes first; never rejects. */
async function probeOne(
  p: Provider,
  env: NodeJS.ProcessEnv,
  gateExpired: Promise<void>,
  o: { readonly clock: Clock; readonly timers: Timers; readonly gateTimeoutMs: number },
): Promise<ProviderResult> {
  const { clock, timers, gateTimeoutMs } = o;
  const started = clock.now();
  const controller = new AbortController();
  let cancelOwn: Cancel | undefined;
  const ownExpired = new Promise<Verdict>((resolve) => {
    cancelOwn = timers.after(p.timeoutMs, () => resolve(unhealthy(`timed out after ${formatDuration(p.timeoutMs)}`)));
  });
  const gateCut = gateExpired.then(() =>
    unhealthy(`timed out after ${formatDuration(gateTimeoutMs)} (the whole health gate's limit)`),
  );
  const work = Promise.resolve()
    .then(() => p.probe({ signal: controller.signal, env }))
    .catch((error: unknown) => unhealthy(`check failed: ${describe(error)}`));
  try {
    const verdict = await Promise.race([work, ownExpired, gateCut]);
    return {
      name: p.name,
      kind: p.kind,
      healthy: verdict.healthy === true,
      reason: verdict.reason,
      durationMs: Math.max(0, clock.now() - started),
    };
  } finally {
    cancelOwn?.();
    // Stops what is still running: pending requests, child processes.
    controller.abort();
  }
}

/** Each provider's result at debug level, and at info or warn when it changed since the last check. */
function logChanges(report: HealthReport, last: Map<string, boolean>, logger: Logger): void {
  for (const r of report.results) {
    const before = last.get(r.name);
    last.set(r.name, r.healthy);
    const fields = { provider: r.name, kind: r.kind, healthy: r.healthy, reason: r.reason, durationMs: r.durationMs };
    if (before === r.healthy) logger.debug(fields, 'health check');
    else if (r.healthy) logger.info(fields, 'health provider is healthy');
    else logger.warn(fields, 'health provider is unhealthy');
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return clip(error.message || error.name);
  return clip(String(error));
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_REASON_CHARS ? `${flat.slice(0, MAX_REASON_CHARS - 3)}...` : flat;
}

/** The injected clock; should it throw (a bug), the wall clock: a report must never become a throw. */
function safeNow(clock: Clock): number {
  try {
    return clock.now();
  } catch {
    return Date.now();
  }
}
