import type { AttackDef, HostDef } from '../domain/model.js';
import type { HealthCheck } from './health-check.js';

/**
 * The probes that define "fine" for one attack: the global health providers plus the attack's own
 * `steadyState`. Side effects: the probes' network calls or local commands, read-only. Like the
 * health gate, a check never throws and never hangs: an erroring or timed-out probe is a failure.
 */
export interface SteadyState {
  /**
   * The attack's probes, or null when there is none at all (then no verdict can be drawn). Probes
   * that name `{{host}}` or `{{address}}` watch `host`, the host it hits (the first of a run).
   */
  probesFor(attack: AttackDef, host?: HostDef): HealthCheck | null;
}
