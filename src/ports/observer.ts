import type { Fault } from '../domain/fault.js';
import type { AttackRecord, TickOutcome } from '../domain/model.js';
import type { AbortOutcome } from './chat.js';

/** What a team's bot tells observers (metrics). Each hook must not throw and has no effect on the bot. */
export interface BotObserver {
  onTick?(outcome: TickOutcome): void;
  onAttackFinished?(record: AttackRecord): void;
  onAborted?(outcome: AbortOutcome): void;
  onVerdict?(record: AttackRecord): void;
  /** Every open fault after each change (the gauge). */
  onFaults?(open: readonly Fault[]): void;
}
