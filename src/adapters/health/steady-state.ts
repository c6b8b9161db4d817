import type { Logger } from 'pino';
import type { Config } from '../../config/config.js';
import type { AttackDef, HostDef } from '../../domain/model.js';
import type { Clock } from '../../ports/clock.js';
import type { HealthCheck } from '../../ports/health-check.js';
import type { SteadyState } from '../../ports/steady-state.js';
import { createHealthGate } from './gate.js';
import { probeForHost, probesNameHost } from './probe-host.js';

/**
 * One gate per attack over `health:` plus its `steadyState:` probes, built once and kept; per attack
 * and host when its probes name the host (probe-host.ts).
 */
export function createSteadyState(opts: { config: Config; clock: Clock; logger: Logger; env?: NodeJS.ProcessEnv }): SteadyState {
  const gates = new Map<string, HealthCheck>();
  return {
    probesFor(attack: AttackDef, host?: HostDef): HealthCheck | null {
      const own = opts.config.steadyState[attack.name] ?? [];
      const perHost = host !== undefined && probesNameHost(own);
      const providers = [...opts.config.health, ...(perHost ? own.map((p) => probeForHost(p, host)) : own)];
      if (providers.length === 0) return null;
      const key = perHost ? `${attack.name}\n${host.name}` : attack.name;
      let gate = gates.get(key);
      if (!gate) {
        gate = createHealthGate({
          providers,
          clock: opts.clock,
          logger: opts.logger,
          gateTimeoutMs: opts.config.schedule.healthTimeout,
          ...(opts.env ? { env: opts.env } : {}),
        });
        gates.set(key, gate);
      }
      return gate;
    },
  };
}
