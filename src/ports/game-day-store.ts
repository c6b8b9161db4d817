import type { Occurrence } from '../domain/game-day.js';

/**
 * Where one team's game-day notices and approvals are kept, so they survive a restart. Side
 * effects: writes the database; a write that fails throws (the caller says so and does not go on).
 */
export interface GameDayStore {
  /** The occurrence of the game day at that start, if its notice was posted. */
  occurrence(name: string, at: number): Occurrence | undefined;
  /** Occurrences whose notice is out and that neither started nor were skipped, oldest first. */
  announced(): readonly Occurrence[];
  /** Records that the notice of the occurrence was posted; nothing if it already was. */
  announce(name: string, at: number, announcedAt: number): void;
  /** Adds the admin's approval (once per admin); returns the approvers in order. */
  approve(name: string, at: number, user: string, approvedAt: number): readonly string[];
  /** Moves an announced occurrence to a final state; false when it already was final. */
  settle(name: string, at: number, state: 'skipped' | 'started', detail: string): boolean;
}
