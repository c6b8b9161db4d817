import type { Logger } from 'pino';
import type { Config } from '../../config/config.js';
import type { Announcer, Authorizer } from '../../ports/chat.js';
import type { Clock } from '../../ports/clock.js';
import type { GameDayStore } from '../../ports/game-day-store.js';
import type { Timers } from '../../ports/timers.js';
import type { AttackRequest, LaunchResult } from '../engine/flight.js';

/** What a team's game days use: its config view, their store, the runner, the chat, time. */
export interface GameDaysDeps {
  /** The team's view: its game days, zone, attacks and dry run. */
  readonly config: Config;
  readonly store: GameDayStore;
  readonly runner: { request(request: AttackRequest): Promise<LaunchResult> };
  readonly announcer: Announcer;
  readonly authorizer: Authorizer;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Logger;
}
