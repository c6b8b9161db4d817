import type { Logger } from 'pino';
import type { Config } from '../../config/config.js';
import type { Clock } from '../../ports/clock.js';
import type { HealthCheck } from '../../ports/health-check.js';
import type { SteadyState } from '../../ports/steady-state.js';
import type { Timers } from '../../ports/timers.js';
import { systemTimers } from '../system/timers.js';
import { buildProvider, createHealthGate } from './gate.js';
import { providerNames } from './names.js';
import type { Provider, Verdict } from './provider.js';
import { createSteadyState } from './steady-state.js';

/**
 * One probe at a time for a provider every team shares: teams that check at the same moment (every
 * team ticks on the minute) share its answer instead of asking Alertmanager a hundred times. The
 * probe runs with its own timeout, so one team giving up never cuts another's answer short.
 */
export function singleFlight(p: Provider, timers: Timers = systemTimers): Provider {
  let inflight: Promise<Verdict> | null = null;
  return {
    name: p.name,
    kind: p.kind,
    timeoutMs: p.timeoutMs,
    secretEnv: p.secretEnv,
    probe: ({ env }) => {
      inflight ??= (async () => {
        const controller = new AbortController();
        const cancel = timers.after(p.timeoutMs, () => controller.abort());
        try {
          return await p.probe({ signal: controller.signal, env });
        } finally {
          cancel();
          inflight = null;
        }
      })();
      return inflight;
    },
  };
}

export interface TeamGates {
  /** The gate of a view: the global providers (shared between teams) and the view's own. */
  gate(view: Config): HealthCheck;
  steadyState(view: Config): SteadyState;
}

/** Every team's health gate over one set of global providers. */
export function teamGates(config: Config, clock: Clock, logger: Logger, env?: NodeJS.ProcessEnv): TeamGates {
  const names = providerNames(config.health);
  const global = config.health.map((c, i) => singleFlight(buildProvider(c, names[i] ?? c.kind)));
  const own = (view: Config) => view.health.filter((p) => !config.health.some((g) => g.name === p.name));
  return {
    gate: (view) =>
      createHealthGate({
        providers: own(view),
        shared: global,
        clock,
        logger,
        gateTimeoutMs: view.schedule.healthTimeout,
        ...(env ? { env } : {}),
      }),
    steadyState: (view) => createSteadyState({ config: view, clock, logger, ...(env ? { env } : {}) }),
  };
}
