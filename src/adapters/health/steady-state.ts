import type { Logger } from 'pino';
import type { Config } from '../../config/config.js';
import type { AttackDef } from '../../domain/model.js';
import type { Clock } from '../../ports/clock.js';
import type { HealthCheck } from '../../ports/health-check.js';
import type { SteadyState } from '../../ports/steady-state.js';
import { createHealthGate } from './gate.js';

/** One gate per attack over `health:` plus its `steadyState:` probes, built once and kept. */
export function createSteadyState(opts: { config: Config; clock: Clock; logger: Logger; env?: NodeJS.ProcessEnv }): SteadyState {
  const gates = new Map<string, HealthCheck>();
  return {
    probesFor(attack: AttackDef): HealthCheck | null {
      const providers = [...opts.config.health, ...(opts.config.steadyState[attack.name] ?? [])];
      if (providers.length === 0) return null;
      let gate = gates.get(attack.name);
      if (!gate) {
        gate = createHealthGate({
          providers,
          clock: opts.clock,
          logger: opts.logger,
          gateTimeoutMs: opts.config.schedule.healthTimeout,
          ...(opts.env ? { env: opts.env } : {}),
        });
        gates.set(attack.name, gate);
      }
      return gate;
    },
  };
}
