import type { HealthReport } from '../domain/model.js';

/**
 * Asks every configured health provider. Side effects: network calls / local commands, read-only.
 * Must never throw and never hang: errors, timeouts and unreadable answers come back as unhealthy
 * results with a reason (fail closed), and the whole gate answers within its timeout.
 */
export interface HealthCheck {
  check(): Promise<HealthReport>;
}
