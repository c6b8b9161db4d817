import type { DetectionPoll } from '../domain/detection.js';
import type { HostDef } from '../domain/model.js';

/**
 * One place monitoring reports alerts (Alertmanager, Prometheus' ALERTS). Side effects: one read
 * over the network per poll; never throws (an unreadable answer is `unread`, with why).
 */
export interface DetectionSource {
  readonly name: string;
  /** The earliest alert for `host` that began in [from, to], if the source shows one now. */
  poll(host: HostDef, from: number, to: number): Promise<DetectionPoll>;
}
