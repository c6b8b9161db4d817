import type { Fault } from '../../src/domain/fault.js';
import { type AttackRecord, pendingRecord } from '../../src/domain/model.js';

/** An attack record for tests: a pending scheduled cpu-burn on web-1, with the fields a test sets. */
export function attackRecord(overrides: Partial<AttackRecord> = {}): AttackRecord {
  const base = pendingRecord('1', {
    attack: 'cpu-burn',
    host: 'web-1',
    trigger: { kind: 'schedule' },
    dryRun: false,
    createdAt: 0,
    deadlineAt: 90_000,
    durationMs: 60_000,
  });
  return { ...base, ...overrides };
}

/** A fault that may remain after a failed rollback: #7 cpu-burn on web-1, with the fields a test sets. */
export function faultRecord(overrides: Partial<Fault> = {}): Fault {
  return {
    id: '7',
    attack: 'cpu-burn',
    host: 'web-1',
    detail: 'the rollback failed',
    manualRollback: null,
    confirmedAt: null,
    openedAt: 0,
    ...overrides,
  };
}
