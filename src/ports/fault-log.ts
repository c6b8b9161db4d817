import type { Fault } from '../domain/fault.js';

/**
 * Where one team's "fault may remain" markers are kept across restarts. Side effects: writes the
 * database; a write that fails throws (the caller keeps the fault in memory and says so).
 */
export interface FaultLog {
  /** Records an open fault; nothing if that attack already has one. */
  openFault(fault: Fault): void;
  /** The open (unresolved) faults, oldest first. */
  openFaults(): readonly Fault[];
  /** Marks the fault resolved; false when there is no open fault for that id. */
  resolveFault(id: string, by: string, at: number, note: string): boolean;
  /** Notes that the next contact with the host found nothing left (it stays open until resolved). */
  confirmFault(id: string, at: number): void;
}
